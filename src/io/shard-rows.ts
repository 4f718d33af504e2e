import { readRowBatches } from '../core/rows.js';
import type { Merger } from '../core/merge.js';
import type { RowEvent } from '../core/rows.js';
import type { SourceName } from '../core/schema.js';
import { shardOfUnchecked } from '../core/shard.js';
import { openSource, sourceLabel } from './source.js';

/**
 * The data path of a shard: how `process_shard` obtains the rows (and rejects) it owns. Task
 * code depends only on this interface, so the way rows arrive (a full scan with a cheap filter,
 * a pre-partitioned slice, a remote object) can change without touching task code.
 */
export interface ShardRowSource {
  /**
   * The shard's rows and rejects of one source, in file order, in batches; with `into`, the rows
   * go to that Merger as they are read and the batches hold only the rejects.
   */
  rows(source: SourceName, into?: Merger): AsyncIterable<RowEvent[]>;
}

/**
 * The shard that owns a row (or a reject): the routing of its customer id; a reject whose id
 * cannot be told belongs to shard 0, so each rejected line is reported by exactly one shard.
 */
export function ownerShard(customerId: string | undefined, shardCount: number): number {
  return customerId === undefined ? 0 : shardOfUnchecked(customerId, shardCount);
}

/** Scans each whole source and keeps the rows this shard owns, routing before typing. */
export function scanShardRows(data: string, shardIndex: number, shardCount: number): ShardRowSource {
  const keep = shardCount === 1 ? undefined : (id: string | undefined): boolean => ownerShard(id, shardCount) === shardIndex;
  return {
    rows: (source, into) =>
      readRowBatches(openSource(data, source), {
        file: sourceLabel(data, source),
        source,
        ...(keep !== undefined ? { keep } : {}),
        ...(into !== undefined ? { into } : {}),
      }),
  };
}
