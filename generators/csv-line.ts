/**
 * CSV lines with csv-stringify's exact quoting, at a fraction of its per-field cost.
 * csv-stringify (default options) quotes a field only when it contains a comma, a quote, CR or
 * LF; every other field is written as is. So fields without those characters are joined directly,
 * and the rest are handed to csv-stringify itself (memoised: they come from value pools, so the
 * same few thousand strings recur). csv-line.test.ts checks the result is byte-identical to
 * `stringify(records)` for arbitrary records. Why: csv-stringify's per-field casts, option
 * objects and arrays would be most of the generator's time.
 */
import { stringify } from 'csv-stringify/sync';
import { COLUMNS, type Source } from './columns.js';
import { cellText, type AnyRecord } from './records.js';

const NEEDS_QUOTING = /[",\r\n]/;
const MEMO_LIMIT = 65_536;
const memo = new Map<string, string>();

/** The cell as csv-stringify writes it inside a record. */
export function csvCell(value: string): string {
  if (!NEEDS_QUOTING.test(value)) return value;
  let quoted = memo.get(value);
  if (quoted === undefined) {
    quoted = stringify([[value]]).slice(0, -1);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(value, quoted);
  }
  return quoted;
}

/** One record, newline-terminated, as `stringify([cells])` writes it. */
export function csvLine(cells: readonly string[]): string {
  let line = cells.length === 0 ? '' : csvCell(cells[0] as string);
  for (let k = 1; k < cells.length; k++) line += ',' + csvCell(cells[k] as string);
  return line + '\n';
}

/**
 * `csvLine(recordCells(source, record))` without the intermediate array; numbers never need
 * quoting, so only string values are checked.
 */
export function recordLine(source: Source, record: AnyRecord): string {
  const columns: readonly string[] = COLUMNS[source];
  let line = '';
  for (let k = 0; k < columns.length; k++) {
    const column = columns[k] as string;
    const value = record[column] ?? '';
    const cell = typeof value === 'number' ? cellText(column, value) : csvCell(value);
    line += k === 0 ? cell : ',' + cell;
  }
  return line + '\n';
}
