/**
 * Options of `npm run bench`. Pure: parsing never touches the disk or the clock, so the rules
 * (defaults, ranges, the shard list) are unit-tested.
 */
import { availableParallelism } from 'node:os';
import { OptionError, formatHelp, numberIn, oneOf, parseTable, wholeNumberIn } from '../src/cli/options.js';
import { MAX_SHARDS, MIN_SHARDS } from '../src/core/routing.js';
import { renderTarget } from '../src/render/target.js';
import { checkStoreLocation } from '../src/io/source-store.js';

export interface BenchOptions {
  /** Customers in the generated dataset (the smallest of `sizes`). */
  readonly customers: number;
  /** Every dataset size asked for, ascending; more than one makes the run a size sweep. */
  readonly sizes: readonly number[];
  /** Generator seed; printed with every result. */
  readonly seed: number;
  /** Generator knob: mean extra rows per (customer, side source); 0 = the tutorial's shape. */
  readonly duplicates: number;
  /** Shard counts of the sweep, ascending, without repeats. */
  readonly shards: readonly number[];
  /** Measured iterations per case (at most; see `budgetSeconds`). */
  readonly iterations: number;
  /** Warm-up runs before measuring (they fill the page cache; each run is a fresh process). */
  readonly warmup: number;
  /** Once a case has used this many seconds, it stops after the current iteration (min. 1). */
  readonly budgetSeconds: number;
  /** Shards running at once in the local runtime. */
  readonly concurrency: number;
  /**
   * Shard tasks the shards are dealt to (RunInput.workers): a count, `shards` for one task per
   * shard, or null for `npm start`'s default, min(shards, concurrency).
   */
  readonly workers: number | 'shards' | null;
  /** Also run every shard count that is dealt to fewer workers with one task per shard. */
  readonly perShard: boolean;
  /** Also sweep the deployed workflow (needs RENDER_API_KEY, a slug and the SDK). */
  readonly deployed: boolean;
  /** The deployed sweep goes to `render workflows dev` (--local, RENDER_USE_LOCAL_DEV, RENDER_LOCAL_DEV_URL). */
  readonly local: boolean;
  /** Measure the PostgreSQL sink's load rate: on with --pg, or when DATABASE_URL is set. */
  readonly pg: boolean;
  readonly components: boolean;
  readonly reference: boolean;
  /** The object-store suite instead of the shard sweep: scan against partition with data in a bucket. */
  readonly store: boolean;
  /** Where the store suite's runs write: the bucket (`<bucket>/runs/…`) or a local scratch folder. */
  readonly storeOut: 'bucket' | 'local';
  /** Where the deployed sweep's shards write (`<deployedOut>/<N>-shards`): a folder on their instance or `s3://bucket/prefix`. */
  readonly deployedOut: string;
  /** BENCH_DEPLOYED_DATA: where the deployed shards read (a path in the service, an http(s) URL or `s3://bucket/prefix`); the dataset's folder when unset. */
  readonly deployedData?: string;
  /** Results go to bench/results/<name>.json and <name>.svg (`latest`, or `store` for the store suite). */
  readonly name: string;
  readonly help: boolean;
}

export const DEFAULT_SHARD_SWEEP: readonly number[] = [1, 2, 4, 8, 16, 32];

/** A comma-separated list (`1,2,4` or a single value) of whole numbers in min..max, sorted, repeats removed. */
function sortedList(text: string, flag: string, min: number, max: number, what: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new OptionError(flag, text, `${flag} must be ${what}, got ${JSON.stringify(text)}`);
  const counts = parts.map((p) => wholeNumberIn(min, max)(p, flag));
  return [...new Set(counts)].sort((a, b) => a - b);
}

/** `1,2,4` → [1, 2, 4]: each a valid shard count, sorted, repeats removed. */
export function parseShardList(text: string): number[] {
  return sortedList(text, '--shards', MIN_SHARDS, MAX_SHARDS, 'a comma-separated list of shard counts');
}

/** `100000,1000000` → [100000, 1000000]: each a valid customer count, sorted, repeats removed. */
export function parseCustomerList(text: string): number[] {
  return sortedList(text, '--customers', 1, 100_000_000, 'a customer count or a comma-separated list of them');
}

/** A number from 0 to 10 written as digits with an optional fraction (`1.5`). */
function duplicatesValue(text: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new OptionError(flag, text, `${flag} must be a number from 0 to 10, got ${JSON.stringify(text)}`);
  return numberIn(0, 10)(text, flag);
}

/** A results name: letters, digits, '.', '_' or '-', not starting with a punctuation mark. */
function resultsName(text: string, flag: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text)) throw new OptionError(flag, text, `${flag} must be letters, digits, '.', '_' or '-', got ${JSON.stringify(text)}`);
  return text;
}

/** A folder or an `s3://bucket/prefix`; a malformed `s3://` location is refused naming the flag and the value. */
export function storeLocation(text: string, flag: string): string {
  if (text.trim() === '') throw new OptionError(flag, text, `${flag} must be a folder or s3://bucket/prefix, got ""`);
  checkStoreLocation(text, flag);
  return text;
}

/** `npm run bench`'s options. */
export const BENCH_OPTIONS = {
  customers: {
    type: 'string',
    value: 'LIST',
    help: 'customers in the dataset; a comma-separated list\n(e.g. 100000,1000000,10000000) runs a size sweep: DuckDB\naggregates, DuckDB profiles and each shard count at every\nsize, on datasets cached per size and seed',
    default: [100_000],
    parse: (text: string): number[] => parseCustomerList(text),
  },
  seed: { type: 'string', value: 'N', help: 'generator seed', default: 1, parse: wholeNumberIn(0, Number.MAX_SAFE_INTEGER) },
  duplicates: { type: 'string', value: 'X', help: 'extra rows per customer and side source (0 = tutorial shape)', default: 0, parse: duplicatesValue },
  shards: { type: 'string', value: 'LIST', help: 'shard counts, comma-separated', default: DEFAULT_SHARD_SWEEP, parse: (text: string): number[] => parseShardList(text) },
  iterations: { type: 'string', value: 'N', help: 'measured runs per case (fewer once the budget is spent)', default: 3, parse: wholeNumberIn(1, 100) },
  warmup: { type: 'string', value: 'N', help: 'warm-up runs before measuring', default: 1, parse: wholeNumberIn(0, 10) },
  budget: { type: 'string', value: 'S', help: 'seconds per case after which no new iteration starts', default: 20, parse: wholeNumberIn(0, 3600) },
  concurrency: { type: 'string', value: 'N', help: 'shard tasks running at once locally', shownDefault: 'CPU count', parse: wholeNumberIn(1, 256) },
  workers: {
    type: 'string',
    value: 'N|shards',
    help: "shard tasks the shards are dealt to; 'shards': one per shard\n(as on Render)",
    shownDefault: 'min(shards, concurrency), as npm start',
    parse: (text: string, flag: string): number | 'shards' => (text === 'shards' ? 'shards' : wholeNumberIn(1, 1024)(text, flag)),
  },
  'per-shard': { type: 'boolean', help: 'also run those shard counts with one task per shard, side by side' },
  deployed: { type: 'boolean', help: 'also sweep the deployed workflow (RENDER_API_KEY, RENDER_WORKFLOW_SLUG;\nBENCH_DEPLOYED_DATA: where the deployed shards read, a URL or s3://…)' },
  local: { type: 'boolean', help: '--deployed against `render workflows dev` (no API key; also on under\nRENDER_USE_LOCAL_DEV=true or RENDER_LOCAL_DEV_URL, as for npm run trigger)' },
  pg: { type: 'boolean', help: "measure the PostgreSQL sink's load rate (default on when DATABASE_URL is set)" },
  'deployed-out': {
    type: 'string',
    value: 'DIR|s3://…',
    help: "where the deployed shards write, under <DIR>/<N>-shards: a folder on\ntheir instance (--local: a fresh temporary folder), or\ns3://bucket/prefix (a fresh prefix under it per bench run)",
    default: 'out/bench',
    parse: storeLocation,
  },
  store: {
    type: 'boolean',
    help: 'the object-store suite instead: data in an S3-compatible bucket\n(s3rver on 127.0.0.1, or AWS_ENDPOINT_URL), scan against partition\nat each shard count, bytes read and written counted by a proxy;\n--iterations rounds of every case, no --budget',
  },
  'store-out': {
    type: 'string',
    value: 'bucket|local',
    help: "--store: the runs' output in the bucket, or in a local folder",
    default: 'bucket',
    parse: oneOf('bucket', 'local'),
  },
  'no-components': { type: 'boolean', help: 'skip the parse/route/merge/enrich component rates' },
  'no-reference': { type: 'boolean', help: 'skip the single-process reference' },
  name: { type: 'string', value: 'NAME', help: 'write bench/results/NAME.json and NAME.svg', shownDefault: 'latest; store with --store', parse: resultsName },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const;

export const BENCH_USAGE = formatHelp(
  'npm run bench -- [options]',
  'Local shard sweep of merge_customer_data against DuckDB (aggregates only, and writing the same\nJSON profiles) and the single-process reference on a generated dataset (cached in\n.cache/datasets/<customers>-<seed>/).',
  BENCH_OPTIONS,
  "Environment: BENCH_DUCKDB_MEMORY  DuckDB's memory limit in the profiles baseline  [6GiB]",
);

/** Parses bench arguments; unknown options and out-of-range values are clear errors. */
export function parseBenchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): BenchOptions {
  const values = parseTable(argv, BENCH_OPTIONS);
  const sizes = [...values.customers];
  return {
    customers: sizes[0]!,
    sizes,
    seed: values.seed,
    duplicates: values.duplicates,
    shards: [...values.shards],
    iterations: values.iterations,
    warmup: values.warmup,
    budgetSeconds: values.budget,
    concurrency: values.concurrency ?? availableParallelism(),
    perShard: values['per-shard'] ?? false,
    workers: values.workers ?? null,
    deployed: values.deployed ?? false,
    local: renderTarget(values.local ?? false, env).local,
    pg: (values.pg ?? false) || (env['DATABASE_URL'] ?? '') !== '',
    components: !(values['no-components'] ?? false),
    reference: !(values['no-reference'] ?? false),
    store: values.store ?? false,
    storeOut: values['store-out'],
    deployedOut: values['deployed-out'],
    ...(env['BENCH_DEPLOYED_DATA'] !== undefined ? { deployedData: storeLocation(env['BENCH_DEPLOYED_DATA'], 'BENCH_DEPLOYED_DATA') } : {}),
    name: values.name ?? ((values.store ?? false) ? 'store' : 'latest'),
    help: values.help ?? false,
  };
}
