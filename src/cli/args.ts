import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../core/errors.js';
import { formatHelp, oneOf, parseTable, wholeNumberIn } from './options.js';
import { DEFAULT_SHARDS, assertShardCount } from '../core/routing.js';

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

/** `npm start`'s options. */
export const START_OPTIONS = {
  data: { type: 'string', value: 'DIR|URL', help: 'source CSVs (crm, billing, product, support)', default: 'data' },
  out: { type: 'string', value: 'DIR|s3://…', help: 'where profiles and rejects are written (a folder\nor s3://bucket/prefix)', default: 'out' },
  shards: { type: 'string', value: 'N', help: 'shard count, 1..1024', default: DEFAULT_SHARDS, parse: wholeNumberIn(1, 1024) },
  concurrency: { type: 'string', value: 'N', help: 'shard tasks running at once', shownDefault: 'CPU count', parse: wholeNumberIn(1, 256) },
  workers: {
    type: 'string',
    value: 'N|shards',
    help: "shard tasks (worker processes) the shards are dealt\nto, each taking its group one shard after another;\n'shards': one task per shard, as on Render",
    shownDefault: 'min(shards, concurrency)',
    parse: (text: string, flag: string): number | 'shards' => (text === 'shards' ? 'shards' : wholeNumberIn(1, 1024)(text, flag)),
  },
  'max-rejects': { type: 'string', value: 'N', help: 'rejected rows allowed before the run fails', default: 0, parse: wholeNumberIn(0, Number.MAX_SAFE_INTEGER) },
  json: { type: 'boolean', help: 'print the RunResult as JSON on stdout, nothing else\n(a failed run: one {"error": …} object)' },
  resume: { type: 'boolean', help: 'reuse shards an earlier run over the same input\nfinished (checked against their manifests)', shownDefault: 'on' },
  force: { type: 'boolean', help: 'recompute every shard, even finished ones' },
  sink: {
    type: 'string',
    value: 'files|postgres',
    help: 'where profiles go: files under --out, or upserted\ninto the PostgreSQL table customer_profiles',
    default: 'files',
    parse: oneOf('files', 'postgres'),
  },
  'database-url': {
    type: 'string',
    value: 'URL',
    help: 'PostgreSQL to load into (sets DATABASE_URL for the workers)',
    shownDefault: '$DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres',
  },
  'data-path': {
    type: 'string',
    value: 'partition|scan',
    help: 'partition: split each source once, each shard\nparses only its slice; scan: every shard reads\nevery source (what Render does)',
    shownDefault: 'partition from 8 MiB of input',
    parse: oneOf('partition', 'scan'),
  },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const;

export const USAGE = formatHelp('npm start -- [options]', 'Runs merge_customer_data on the embedded local runtime.', START_OPTIONS);

/**
 * RunInput.workers as asked (`--workers N`), or one shard task per slot that runs at once, never
 * more than the shards. The bench resolves it here too, so it measures what `npm start` runs.
 */
export function resolveWorkers(shards: number, concurrency: number, asked: number | 'shards' | null): number {
  if (asked === 'shards') return shards;
  return Math.min(shards, asked ?? concurrency);
}

/** Parses CLI arguments; unknown options and out-of-range values are clear errors. */
export function parseCli(argv: readonly string[]): CliOptions {
  const values = parseTable(argv, START_OPTIONS);
  const { sink, shards } = values;
  const dataPath = values['data-path'];
  const databaseUrl = values['database-url'];
  if (databaseUrl !== undefined && sink !== 'postgres') {
    throw new InvalidOptionError('--database-url is only used with --sink postgres');
  }
  if (values.resume === true && values.force === true) {
    throw new InvalidOptionError('--resume and --force contradict each other: --force recomputes every shard');
  }
  assertShardCount(shards, '--shards');
  const concurrency = values.concurrency ?? availableParallelism();
  return {
    data: values.data,
    out: values.out,
    shards,
    concurrency,
    workers: resolveWorkers(shards, concurrency, values.workers ?? null),
    json: values.json ?? false,
    maxRejects: values['max-rejects'],
    help: values.help ?? false,
    resume: values.force !== true,
    sink,
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(dataPath !== undefined ? { dataPath } : {}),
  };
}
