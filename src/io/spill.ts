import { join } from 'node:path';
import type { SourceName } from '../core/schema.js';

/**
 * The run-scoped spill area of the partitioned data path: each source file is read and split
 * once, into one slice per shard, so each shard parses only its own rows. Slices are CSV whose
 * first column is the record's line number in the original file (a negative number marks a line
 * the splitter already found malformed: its reason and raw text follow), so every reject still
 * names the original file and line.
 */
export function spillDir(outDir: string, key: string, shardCount: number): string {
  return join(outDir, '.spill', `${key}-of-${shardCount}`);
}

export function spillFile(dir: string, source: SourceName, shard: number): string {
  return join(dir, source, `shard-${String(shard).padStart(4, '0')}.csv`);
}

/** Written last: a source's slices are complete only when this exists. */
export function spillDoneMarker(dir: string, source: SourceName): string {
  return join(dir, source, '_complete.json');
}

/** Name of the line-number column a slice starts with. */
export const LINE_COLUMN = '__line';
