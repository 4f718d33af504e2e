import { readRowBatches } from '../engine/index.js';
import { SOURCE_NAMES } from '../core/schema.js';
import { fileChunks } from './file-chunks.js';
import { localBytes } from './row-source.js';
import type { ShardRowSource } from './row-source.js';
import { sourceLabel } from './source.js';
import { SLICE_LINE, spillFile } from './spill.js';

/**
 * The partitioned data path: a shard reads only its own slice of each source, written once per
 * run by `partition_source`. Rows and rejects keep the original file's name and line numbers.
 */
export function partitionedShardRows(spillDir: string, data: string, shardIndex: number): ShardRowSource {
  return {
    rows: (source, into, keep) =>
      readRowBatches(fileChunks(spillFile(spillDir, source, shardIndex)), {
        file: sourceLabel(data, source),
        source,
        leading: SLICE_LINE,
        ...(into !== undefined ? { into } : {}),
        ...(keep !== undefined ? { keep } : {}),
      }),
    inputBytes: () => localBytes(SOURCE_NAMES.map((s) => spillFile(spillDir, s, shardIndex))),
  };
}
