/**
 * Options of `npm run bench`. Pure: parsing never touches the disk or the clock, so the rules
 * (defaults, ranges, the shard list) are unit-tested.
 */
import { availableParallelism } from 'node:os';
import { parseOptions } from '../src/cli/options.js';
import { InvalidOptionError } from '../src/core/errors.js';
import { MAX_SHARDS, MIN_SHARDS } from '../src/core/shard.js';
import { renderTarget } from '../src/render/target.js';

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
  /** Results go to bench/results/<name>.json and <name>.svg. */
  readonly name: string;
  readonly help: boolean;
}

export const DEFAULT_SHARD_SWEEP: readonly number[] = [1, 2, 4, 8, 16, 32];

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Local shard sweep of merge_customer_data against DuckDB (aggregates only, and writing the same
JSON profiles) and the single-process reference
on a generated dataset (cached in .cache/datasets/<customers>-<seed>/).

  --customers LIST    customers in the dataset; a comma-separated list   [100000]
                      (e.g. 100000,1000000,10000000) runs a size sweep: DuckDB
                      aggregates, DuckDB profiles and each shard count at every
                      size, on datasets cached per size and seed
  --seed N            generator seed                                  [1]
  --duplicates X      extra rows per customer and side source (0 = tutorial shape)  [0]
  --shards LIST       shard counts, comma-separated                   [${DEFAULT_SHARD_SWEEP.join(',')}]
  --iterations N      measured runs per case (fewer once the budget is spent)  [3]
  --warmup N          warm-up runs before measuring                   [1]
  --budget S          seconds per case after which no new iteration starts  [20]
  --concurrency N     shard tasks running at once locally             [CPU count]
  --workers N|shards  shard tasks the shards are dealt to; 'shards': one per shard
                      (as on Render)                  [min(shards, concurrency), as npm start]
  --per-shard         also run those shard counts with one task per shard, side by side
  --deployed          also sweep the deployed workflow (RENDER_API_KEY, RENDER_WORKFLOW_SLUG;
                      BENCH_DEPLOYED_DATA: the data URL the deployed shards read)
  --local             --deployed against \`render workflows dev\` (no API key; also on under
                      RENDER_USE_LOCAL_DEV=true or RENDER_LOCAL_DEV_URL, as for npm run trigger)
  --pg                measure the PostgreSQL sink's load rate (default on when DATABASE_URL is set)
  --no-components     skip the parse/route/merge/enrich component rates
  --no-reference      skip the single-process reference
  --name NAME         write bench/results/NAME.json and NAME.svg      [latest]
  -h, --help          this text

Environment: BENCH_DUCKDB_MEMORY  DuckDB's memory limit in the profiles baseline  [6GiB]`;

function whole(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new InvalidOptionError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** `1,2,4` → [1, 2, 4]: each a valid shard count, sorted, repeats removed. */
export function parseShardList(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new InvalidOptionError(`--shards must be a comma-separated list of shard counts, got ${JSON.stringify(text)}`);
  }
  const counts = parts.map((p) => whole('shards', p, 0, MIN_SHARDS, MAX_SHARDS));
  return [...new Set(counts)].sort((a, b) => a - b);
}

/** `100000,1000000` → [100000, 1000000]: each a valid customer count, sorted, repeats removed. */
export function parseCustomerList(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) {
    throw new InvalidOptionError(`--customers must be a customer count or a comma-separated list of them, got ${JSON.stringify(text)}`);
  }
  const counts = parts.map((p) => whole('customers', p, 0, 1, 100_000_000));
  return [...new Set(counts)].sort((a, b) => a - b);
}

/** Parses bench arguments; unknown options and out-of-range values are clear errors. */
export function parseBenchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): BenchOptions {
  const values = parseOptions(argv, {
    customers: { type: 'string' },
    seed: { type: 'string' },
    duplicates: { type: 'string' },
    shards: { type: 'string' },
    iterations: { type: 'string' },
    warmup: { type: 'string' },
    budget: { type: 'string' },
    concurrency: { type: 'string' },
    workers: { type: 'string' },
    'per-shard': { type: 'boolean' },
    deployed: { type: 'boolean' },
    local: { type: 'boolean' },
    pg: { type: 'boolean' },
    'no-components': { type: 'boolean' },
    'no-reference': { type: 'boolean' },
    name: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const duplicates = values.duplicates === undefined ? 0 : Number(values.duplicates);
  if (!Number.isFinite(duplicates) || duplicates < 0 || duplicates > 10 || !/^\d+(\.\d+)?$/.test(values.duplicates ?? '0')) {
    throw new InvalidOptionError(`--duplicates must be a number from 0 to 10, got ${JSON.stringify(values.duplicates)}`);
  }
  const name = values.name ?? 'latest';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new InvalidOptionError(`--name must be letters, digits, '.', '_' or '-', got ${JSON.stringify(name)}`);
  }
  const sizes = values.customers === undefined ? [100_000] : parseCustomerList(values.customers);
  return {
    customers: sizes[0]!,
    sizes,
    seed: whole('seed', values.seed, 1, 0, Number.MAX_SAFE_INTEGER),
    duplicates,
    shards: values.shards === undefined ? [...DEFAULT_SHARD_SWEEP] : parseShardList(values.shards),
    iterations: whole('iterations', values.iterations, 3, 1, 100),
    warmup: whole('warmup', values.warmup, 1, 0, 10),
    budgetSeconds: whole('budget', values.budget, 20, 0, 3600),
    concurrency: whole('concurrency', values.concurrency, availableParallelism(), 1, 256),
    perShard: values['per-shard'] ?? false,
    workers: values.workers === undefined ? null : values.workers === 'shards' ? 'shards' : whole('workers', values.workers, 0, 1, 1024),
    deployed: values.deployed ?? false,
    local: renderTarget(values.local ?? false, env).local,
    pg: (values.pg ?? false) || (env['DATABASE_URL'] ?? '') !== '',
    components: !(values['no-components'] ?? false),
    reference: !(values['no-reference'] ?? false),
    name,
    help: values.help ?? false,
  };
}
