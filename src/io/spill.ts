import { join } from 'node:path';
import type { LeadingColumn } from '../engine/index.js';
import type { SourceName } from '../core/schema.js';
import type { SliceWriter } from './slice-writer.js';
import { subLocation } from './out-area.js';

/**
 * The run's spill area for the partitioned data path: each source is split once into one slice per
 * shard. A slice is CSV whose first column is the original line number (negative for a line found
 * malformed, followed by reason and raw text), so rejects name the original file and line. With a
 * store out_dir it lives at `s3://bucket/prefix/.spill/<key>-of-<N>`.
 */
export function spillDir(outDir: string, key: string, shardCount: number): string {
  return subLocation(outDir, `.spill/${key}-of-${shardCount}`);
}

/** A slice's key relative to the spill area: `crm/shard-0003.csv`. */
export function spillKey(source: SourceName, shard: number): string {
  return `${source}/shard-${String(shard).padStart(4, '0')}.csv`;
}

/** The completion marker's key relative to the spill area. */
export function spillDoneKey(source: SourceName): string {
  return `${source}/_complete.json`;
}

export function spillFile(dir: string, source: SourceName, shard: number): string {
  return join(dir, spillKey(source, shard));
}

/** Written last: a source's slices are complete only when this exists. */
export function spillDoneMarker(dir: string, source: SourceName): string {
  return join(dir, spillDoneKey(source));
}

/** Name of the line-number column a slice starts with. */
export const LINE_COLUMN = '__line';

/** Writes a slice's header line: the line column, then the source's header bytes. */
export function writeSliceHeader(w: SliceWriter, header: Buffer): void {
  w.ascii(`${LINE_COLUMN},`);
  w.bytesOf(header);
  w.ascii('\n');
}

const csvQuote = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** Writes a line the splitter found malformed as one record: `-line,reason,raw`. */
export function writeRejectedLine(w: SliceWriter, line: number, reason: string, raw: string): void {
  w.ascii(`-${line},`);
  w.bytesOf(Buffer.from(`${csvQuote(reason)},${csvQuote(raw)}`));
  w.ascii('\n');
  w.records++;
}

/**
 * How a shard reads a slice's first column: a line number of the original file, negative for a
 * line the splitter found malformed, whose record is then `-line,reason,raw`.
 */
export const SLICE_LINE: LeadingColumn = {
  lineAt(buf: Buffer, at: number): number {
    const negative = buf[at] === 0x2d;
    let k = negative ? at + 1 : at;
    let n = 0;
    for (;;) {
      const d = buf[k]! - 48;
      if (!(d >= 0 && d <= 9)) break;
      n = n * 10 + d;
      k++;
    }
    return negative ? -n : n;
  },
  lineOf: (cell) => Number(cell),
  isRejected: (line) => line < 0,
  rejectOf: (line, cells) => ({ line: -line, reason: cells[1] ?? '', raw: cells[2] ?? '' }),
};
