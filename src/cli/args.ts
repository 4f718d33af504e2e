import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../core/errors.js';
import { DEFAULT_SHARDS, assertShardCount } from '../core/shard.js';

export interface CliOptions {
  readonly data: string;
  readonly out: string;
  readonly shards: number;
  readonly concurrency: number;
  readonly json: boolean;
  readonly maxRejects: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm start -- [options]

Runs merge_customer_data on the embedded local runtime.

  --data DIR|URL      source CSVs (crm, billing, product, support)   [data]
  --out DIR           where profiles and rejects are written          [out]
  --shards N          shard count, 1..1024                            [${DEFAULT_SHARDS}]
  --concurrency N     shards running at once                          [CPU count]
  --max-rejects N     rejected rows allowed before the run fails      [0]
  --json              print the RunResult as JSON on stdout, nothing else
  -h, --help          this text`;

function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new InvalidOptionError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** Parses CLI arguments; unknown options and out-of-range values are clear errors. */
export function parseCli(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        shards: { type: 'string' },
        concurrency: { type: 'string' },
        'max-rejects': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new InvalidOptionError(err instanceof Error ? err.message : String(err));
  }
  const shards = wholeNumber('shards', values.shards, DEFAULT_SHARDS, 1, 1024);
  assertShardCount(shards, '--shards');
  return {
    data: values.data ?? 'data',
    out: values.out ?? 'out',
    shards,
    concurrency: wholeNumber('concurrency', values.concurrency, availableParallelism(), 1, 256),
    json: values.json ?? false,
    maxRejects: wholeNumber('max-rejects', values['max-rejects'], 0, 0, Number.MAX_SAFE_INTEGER),
    help: values.help ?? false,
  };
}
