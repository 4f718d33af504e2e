import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../core/errors.js';
import { parseOptions, wholeNumber } from './options.js';
import { DEFAULT_SHARDS, assertShardCount } from '../core/shard.js';

export interface CliOptions {
  readonly data: string;
  readonly out: string;
  readonly shards: number;
  readonly concurrency: number;
  /** Shard tasks the shards are dealt to (RunInput.workers): --workers, else min(shards, concurrency). */
  readonly workers: number;
  readonly json: boolean;
  readonly maxRejects: number;
  readonly help: boolean;
  /** Reuse shards an earlier run over the same input finished (default); false with --force. */
  readonly resume: boolean;
  /** Where profiles go: JSON-lines files under --out, or a PostgreSQL table. */
  readonly sink: 'files' | 'postgres';
  /** Unset: the run's default (partition, or CM_DATA_PATH). */
  readonly dataPath?: 'partition' | 'scan';
  /** --database-url, when given (else DATABASE_URL, else the local default). */
  readonly databaseUrl?: string;
}

export const USAGE = `Usage: npm start -- [options]

Runs merge_customer_data on the embedded local runtime.

  --data DIR|URL      source CSVs (crm, billing, product, support)   [data]
  --out DIR           where profiles and rejects are written          [out]
  --shards N          shard count, 1..1024                            [${DEFAULT_SHARDS}]
  --concurrency N     shard tasks running at once                     [CPU count]
  --workers N|shards  shard tasks (worker processes) the shards are dealt
                      to, each taking its group one shard after another;
                      'shards': one task per shard, as on Render
                                                      [min(shards, concurrency)]
  --max-rejects N     rejected rows allowed before the run fails      [0]
  --json              print the RunResult as JSON on stdout, nothing else
                      (a failed run: one {"error": …} object)
  --resume            reuse shards an earlier run over the same input
                      finished (checked against their manifests)      [on]
  --force             recompute every shard, even finished ones
  --sink files|postgres  where profiles go: files under --out, or upserted
                      into the PostgreSQL table customer_profiles      [files]
  --database-url URL  PostgreSQL to load into (sets DATABASE_URL for the workers)
                      [$DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres]
  --data-path partition|scan  partition: split each source once, each shard
                      parses only its slice; scan: every shard reads
                      every source (what Render does)   [partition from 8 MiB of input]
  -h, --help          this text`;

/**
 * RunInput.workers as asked (`--workers N`, `shards` for one task per shard) or, unasked, one
 * shard task per slot that runs at once: more tasks than slots would only queue, each paying for
 * a fresh process; fewer would leave a core idle. Never more than the shards. The CLI and the
 * bench resolve it here, so the bench measures what `npm start` runs.
 */
export function resolveWorkers(shards: number, concurrency: number, asked: number | 'shards' | null): number {
  if (asked === 'shards') return shards;
  return Math.min(shards, asked ?? concurrency);
}

/** Parses CLI arguments; unknown options and out-of-range values are clear errors. */
export function parseCli(argv: readonly string[]): CliOptions {
  const values = parseOptions(argv, {
    data: { type: 'string' },
    out: { type: 'string' },
    shards: { type: 'string' },
    concurrency: { type: 'string' },
    workers: { type: 'string' },
    'max-rejects': { type: 'string' },
    json: { type: 'boolean' },
    resume: { type: 'boolean' },
    force: { type: 'boolean' },
    sink: { type: 'string' },
    'database-url': { type: 'string' },
    'data-path': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const sink = values.sink ?? 'files';
  if (sink !== 'files' && sink !== 'postgres') {
    throw new InvalidOptionError(`--sink must be files or postgres, got ${JSON.stringify(sink)}`);
  }
  const dataPath = values['data-path'];
  if (dataPath !== undefined && dataPath !== 'partition' && dataPath !== 'scan') {
    throw new InvalidOptionError(`--data-path must be partition or scan, got ${JSON.stringify(dataPath)}`);
  }
  const databaseUrl = values['database-url'];
  if (databaseUrl !== undefined && sink !== 'postgres') {
    throw new InvalidOptionError('--database-url is only used with --sink postgres');
  }
  if (values.resume === true && values.force === true) {
    throw new InvalidOptionError('--resume and --force contradict each other: --force recomputes every shard');
  }
  const shards = wholeNumber('shards', values.shards, DEFAULT_SHARDS, 1, 1024);
  assertShardCount(shards, '--shards');
  const concurrency = wholeNumber('concurrency', values.concurrency, availableParallelism(), 1, 256);
  return {
    data: values.data ?? 'data',
    out: values.out ?? 'out',
    shards,
    concurrency,
    workers: resolveWorkers(shards, concurrency, values.workers === undefined || values.workers === 'shards' ? (values.workers ?? null) : wholeNumber('workers', values.workers, 0, 1, 1024)),
    json: values.json ?? false,
    maxRejects: wholeNumber('max-rejects', values['max-rejects'], 0, 0, Number.MAX_SAFE_INTEGER),
    help: values.help ?? false,
    resume: values.force !== true,
    sink,
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(dataPath !== undefined ? { dataPath } : {}),
  };
}
