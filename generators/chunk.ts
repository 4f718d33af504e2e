/**
 * Text of a contiguous range of customers [start, end) for all four files, written through
 * csv-stringify. A chunk is a pure function of (spec, start, end), and the files are the
 * concatenation of chunk texts in index order, so the output is the same for every chunk size and
 * worker count. Line numbers of planted rows are relative to the chunk (1 = its first line); the
 * writer adds the lines before it.
 */
import { stringify } from 'csv-stringify/sync';
import { SOURCES, type Source } from './columns.js';
import type { GeneratorContext } from './context.js';
import { plantsFor, unclosedQuoteLine, type PlantedRow } from './dirty.js';
import { recordCells } from './records.js';
import { emittedRowsIn } from './rows.js';

/** A planted row whose `line` counts from the chunk's first line (1-based). */
export type RelativePlant = PlantedRow;

export interface ChunkText {
  readonly start: number;
  readonly end: number;
  readonly text: Record<Source, string>;
  /** Physical lines in each text (clean rows + planted lines). */
  readonly lines: Record<Source, number>;
  /** Clean rows in each text. */
  readonly records: Record<Source, number>;
  readonly planted: RelativePlant[];
}

function perSource<T>(make: (source: Source) => T): Record<Source, T> {
  return { crm: make('crm'), billing: make('billing'), product: make('product'), support: make('support') };
}

/** Generates customers [start, end); the chunk that ends at N also ends each file (dirty trailer). */
export function generateChunk(ctx: GeneratorContext, start: number, end: number): ChunkText {
  const cells = perSource<string[][]>(() => []);
  const records = perSource(() => 0);
  const planted: RelativePlant[] = [];
  for (let index = start; index < end; index++) {
    const block = emittedRowsIn(ctx, index);
    for (const source of SOURCES) {
      const rows = block[source];
      const out = cells[source];
      for (let k = 0; k < rows.length; k++) out.push(recordCells(source, rows[k] as Record<string, string | number>));
      records[source] += rows.length;
    }
    for (const { source, plant } of plantsFor(ctx, index)) {
      cells[source].push(plant.cells);
      planted.push({ ...plant.row, line: cells[source].length });
    }
  }
  const text = perSource((source) => (cells[source].length === 0 ? '' : stringify(cells[source])));
  const lines = perSource((source) => cells[source].length);
  if (end === ctx.spec.customers && ctx.spec.dirty > 0) {
    for (const source of SOURCES) {
      const trailer = unclosedQuoteLine(ctx, source);
      text[source] += trailer.text;
      lines[source] += 1;
      planted.push({ ...trailer.row, line: lines[source] });
    }
  }
  return { start, end, text, lines, records, planted };
}

/** The header line of a source's file. */
export function headerText(columns: readonly string[]): string {
  return stringify([columns as string[]]);
}
