import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readRowBatches, shardOfUnchecked } from '../engine/index.js';
import type { Merger, RowEvent } from '../engine/index.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { isRemote, openSource, sourceLabel } from './source.js';

/** Which customers a read keeps, by id (undefined: a line whose id cannot be told). */
export type KeepId = (customerId: string | undefined) => boolean;

/** How `process_shard` obtains the rows and rejects it owns; task code sees only this interface. */
export interface ShardRowSource {
  /**
   * The shard's rows and rejects of one source, in file order, in batches. With `into`, rows go to
   * that Merger and batches hold only rejects; with `keep`, only ids it accepts are kept.
   */
  rows(source: SourceName, into?: Merger, keep?: KeepId): AsyncIterable<RowEvent[]>;
  /** Bytes the shard will read (its share of the input), when that can be told without reading. */
  inputBytes(): number | undefined;
}

/**
 * The shard that owns a row (or a reject): the routing of its customer id; a reject whose id
 * cannot be told belongs to shard 0, so each rejected line is reported by exactly one shard.
 */
export function ownerShard(customerId: string | undefined, shardCount: number): number {
  return customerId === undefined ? 0 : shardOfUnchecked(customerId, shardCount);
}

/** Both filters: `a` and then `b`, either may be absent. */
export function bothKeep(a: KeepId | undefined, b: KeepId | undefined): KeepId | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (id) => a(id) && b(id);
}

/** Scans each whole source and keeps the rows this shard owns, routing before typing. */
export function scanShardRows(data: string, shardIndex: number, shardCount: number, sourceBytes?: number): ShardRowSource {
  const owned: KeepId | undefined = shardCount === 1 ? undefined : (id) => ownerShard(id, shardCount) === shardIndex;
  return {
    rows: (source, into, keep) => {
      const k = bothKeep(owned, keep);
      return readRowBatches(openSource(data, source), {
        file: sourceLabel(data, source),
        source,
        ...(k !== undefined ? { keep: k } : {}),
        ...(into !== undefined ? { into } : {}),
      });
    },
    // Routing spreads customers evenly, so a shard's own rows are about 1/N of the bytes; remote
    // sources are sized by `sourceBytes` (from prepare_run), or not at all.
    inputBytes: () => {
      const total = isRemote(data) ? sourceBytes : localBytes(SOURCE_NAMES.map((s) => join(data, SOURCE_FILES[s])));
      return total === undefined ? undefined : total / shardCount;
    },
  };
}

/** Total size of local files (a missing file counts 0: reading it will say what is wrong). */
export function localBytes(paths: readonly string[]): number {
  let n = 0;
  for (const p of paths) {
    try {
      n += statSync(p).size;
    } catch {
      // reported when read
    }
  }
  return n;
}
