import { InvalidOptionError } from '../core/errors.js';
import type { TaskOptions } from '../runtime/task.js';

/**
 * Task options for every runtime. `process_shard` retries as in the tutorial's Part 2; the
 * orchestrator does not (a retried orchestrator would redo its shards).
 */
export const PROCESS_SHARD_OPTIONS: TaskOptions = processShardOptions(process.env);

/**
 * `process_shard`'s options, read once at load so both runtimes agree: `SHARD_MAX_RETRIES` (0..10,
 * default 3), `SHARD_RETRY_WAIT_MS` (default 2000), `SHARD_RETRY_BACKOFF` (1..10, default 2),
 * `SHARD_TIMEOUT_SECONDS` (30..86400, default 1800). A malformed value is an error naming it.
 */
export function processShardOptions(env: Readonly<Record<string, string | undefined>>): TaskOptions {
  return {
    name: 'process_shard',
    retry: {
      maxRetries: envNumber(env, 'SHARD_MAX_RETRIES', 3, 0, 10, true),
      waitDurationMs: envNumber(env, 'SHARD_RETRY_WAIT_MS', 2000, 0, 3_600_000, true),
      backoffScaling: envNumber(env, 'SHARD_RETRY_BACKOFF', 2, 1, 10, false),
    },
    timeoutSeconds: envNumber(env, 'SHARD_TIMEOUT_SECONDS', 1800, 30, 86_400, true),
    plan: 'standard',
  };
}

/** `process_shards` retries like `process_shard`; a group takes as long as its shards, so its timeout is Render's longest. */
export const PROCESS_SHARDS_OPTIONS: TaskOptions = { ...PROCESS_SHARD_OPTIONS, name: 'process_shards', timeoutSeconds: 86_400 };

/**
 * Memory a shard worker may use, from `SHARD_MEMORY_MB` (64..1048576, default 448: fits Render's
 * 512 MB plan). A larger shard runs in id-range passes (shard/ranges.ts).
 */
export function shardMemoryBudgetBytes(env: Readonly<Record<string, string | undefined>>): number {
  return envNumber(env, 'SHARD_MEMORY_MB', 448, 64, 1_048_576, true) * 2 ** 20;
}

function envNumber(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number, whole: boolean): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
    throw new InvalidOptionError(`${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/**
 * `prepare_run` streams the four sources once before fan-out. A permanent error (missing file,
 * bad header, not UTF-8) fails at once whatever this says; the retries are for a transient
 * failure such as an HTTP transfer that broke midway.
 */
export const PREPARE_RUN_OPTIONS: TaskOptions = {
  name: 'prepare_run',
  retry: { maxRetries: 2, waitDurationMs: 2000, backoffScaling: 2 },
  timeoutSeconds: 3600,
  plan: 'standard',
};

/** Splitting one source into per-shard slices: one read of one file; retried like a shard. */
export const PARTITION_SOURCE_OPTIONS: TaskOptions = {
  name: 'partition_source',
  retry: { maxRetries: 2, waitDurationMs: 2000, backoffScaling: 2 },
  timeoutSeconds: 3600,
  plan: 'standard',
};

/** `partition_sources` (a group of sources in one process): as `partition_source`, with time for four. */
export const PARTITION_SOURCES_OPTIONS: TaskOptions = { ...PARTITION_SOURCE_OPTIONS, name: 'partition_sources', timeoutSeconds: 4 * 3600 };

export const MERGE_CUSTOMER_DATA_OPTIONS: TaskOptions = {
  name: 'merge_customer_data',
  timeoutSeconds: 7200,
  plan: 'starter',
};
