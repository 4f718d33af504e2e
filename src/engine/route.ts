import { md5Prefix32, md5Prefix32Bytes } from './md5.js';

/** `shardOf` (src/core/routing.ts) by the engine's md5, for hot loops whose shard count was checked once. */
export function shardOfUnchecked(customerId: string, shardCount: number): number {
  return md5Prefix32(customerId) % shardCount;
}

/** `shardOfUnchecked` of an id still in bytes (`buf[start..end)`, UTF-8): the same shard. */
export function shardOfBytes(buf: Uint8Array, start: number, end: number, shardCount: number): number {
  return md5Prefix32Bytes(buf, start, end) % shardCount;
}
