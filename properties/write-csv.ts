/**
 * Writes generated datasets as the four source CSVs, RFC 4180: a field is quoted when it holds a
 * comma, a quote, CR or LF (or always, when the table's format says so), quotes inside are
 * doubled; lines end with LF or CRLF; a UTF-8 BOM and a missing final line end are optional.
 * Kept independent of the generator's writer so the suites do not share a bug with it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SOURCE_FILES, SOURCE_NAMES } from '../src/core/schema.js';
import type { Dataset, SourceTable } from './arbitraries.js';

const NEEDS_QUOTES = /[",\r\n]/;

/** One field as written. */
export function csvField(text: string, quoteAll = false): string {
  return quoteAll || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole text of one table's file. */
export function csvText(table: SourceTable): string {
  const { columns, rows, format } = table;
  const eol = format.crlf ? '\r\n' : '\n';
  const line = (cells: readonly string[]): string => cells.map((c) => csvField(c, format.quoteAll)).join(',');
  const lines = [line(columns), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))];
  const body = lines.join(eol) + (format.noFinalNewline ? '' : eol);
  return (format.bom ? '\ufeff' : '') + body;
}

/** Writes crm.csv, billing.csv, product.csv and support.csv of `dataset` into `dir`. */
export async function writeDataset(dir: string, dataset: Dataset): Promise<void> {
  await Promise.all(SOURCE_NAMES.map((s) => writeFile(join(dir, SOURCE_FILES[s]), csvText(dataset[s]), 'utf8')));
}

/** A readable rendering of a dataset (what a shrunk counterexample prints). */
export function describeDataset(dataset: Dataset): string {
  return SOURCE_NAMES.map((s) => `--- ${SOURCE_FILES[s]} ${JSON.stringify(dataset[s].format)}\n${JSON.stringify(csvText(dataset[s]))}`).join('\n');
}
