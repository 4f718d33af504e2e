import { InvalidOptionError } from './errors.js';
import { md5Prefix32, md5Prefix32Bytes } from './md5.js';

/** Shard counts the pipeline accepts. 1024 keeps every task input far below Render's 4 MB cap. */
export const MIN_SHARDS = 1;
export const MAX_SHARDS = 1024;
/** The tutorial's default shard count. */
export const DEFAULT_SHARDS = 10;

/** Throws a clear error unless `n` is a whole number in 1..1024. */
export function assertShardCount(n: unknown, what = 'shard count'): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_SHARDS || n > MAX_SHARDS) {
    throw new InvalidOptionError(
      `${what} must be a whole number from ${MIN_SHARDS} to ${MAX_SHARDS}, got ${JSON.stringify(n)}`,
    );
  }
}

/**
 * The shard of a customer: the first 4 bytes of md5(UTF-8 id), unsigned big-endian, modulo the
 * shard count (the tutorial's rule). Pure and stable across processes and machines, so any task
 * anywhere can route a row without coordination.
 */
export function shardOf(customerId: string, shardCount: number): number {
  assertShardCount(shardCount);
  return md5Prefix32(customerId) % shardCount;
}

/** `shardOf` without the argument check, for hot loops whose shard count was checked once. */
export function shardOfUnchecked(customerId: string, shardCount: number): number {
  return md5Prefix32(customerId) % shardCount;
}

/** `shardOfUnchecked` of an id still in bytes (`buf[start..end)`, UTF-8): the same shard. */
export function shardOfBytes(buf: Uint8Array, start: number, end: number, shardCount: number): number {
  return md5Prefix32Bytes(buf, start, end) % shardCount;
}
