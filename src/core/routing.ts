import { createHash } from 'node:crypto';
import { InvalidOptionError } from './errors.js';

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
 * The shard of a customer: the first 4 bytes of md5(UTF-8 id), big-endian, modulo the shard count
 * (the tutorial's rule). Stable everywhere, so any task routes a row without coordination.
 */
export function shardOf(customerId: string, shardCount: number): number {
  assertShardCount(shardCount);
  return createHash('md5').update(customerId, 'utf8').digest().readUInt32BE(0) % shardCount;
}
