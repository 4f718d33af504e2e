/**
 * Text of a contiguous range of customers [start, end) for all four files, in csv-stringify's
 * format (see csv-line.ts). A chunk is a pure function of (spec, start, end), and the files are the
 * concatenation of chunk texts in index order, so the output is the same for every chunk size and
 * worker count. Line numbers of planted rows are relative to the chunk (1 = its first line); the
 * writer adds the lines before it.
 */
import { SOURCES, type Source } from './columns.js';
import type { GeneratorContext } from './context.js';
import { plantsFor, unclosedQuoteLine } from './dirty.js';
import type { PlantedRow } from './planted.js';
import { ByteSink } from './byte-sink.js';
import { csvLine, recordLine } from './csv-line.js';
import type { AnyRecord } from './records.js';
import { emittedRowsIn } from './rows.js';

/** A planted row whose `line` counts from the chunk's first line (1-based). */
export type RelativePlant = PlantedRow;

/** One chunk's output: bytes, line and record counts per file, and its planted lines. */
export interface ChunkText {
  readonly start: number;
  readonly end: number;
  /** UTF-8 bytes of each file's share, each in its own (transferable) ArrayBuffer. */
  readonly bytes: Record<Source, Uint8Array>;
  /** Physical lines in each text (clean rows + planted lines). */
  readonly lines: Record<Source, number>;
  /** Clean rows in each text. */
  readonly records: Record<Source, number>;
  readonly planted: RelativePlant[];
}

function perSource<T>(make: (source: Source) => T): Record<Source, T> {
  return { crm: make('crm'), billing: make('billing'), product: make('product'), support: make('support') };
}

/** One reusable sink per file; a producer keeps a set and passes it to every chunk. */
export type ChunkSinks = Record<Source, ByteSink>;

export function newSinks(): ChunkSinks {
  return perSource(() => new ByteSink());
}

/** Gives each sink its spare output buffer back (see `ByteSink.give`). */
export function giveSpares(sinks: ChunkSinks, spares: Readonly<Record<Source, ArrayBuffer>>): void {
  for (const source of SOURCES) sinks[source].give(spares[source]);
}

/**
 * Generates customers [start, end); the chunk that ends at N also ends each file (dirty trailer).
 * `sinks` are emptied on return.
 */
export function generateChunk(ctx: GeneratorContext, start: number, end: number, sinks: ChunkSinks = newSinks()): ChunkText {
  const text = sinks;
  const lines = perSource(() => 0);
  const records = perSource(() => 0);
  const planted: RelativePlant[] = [];
  for (let index = start; index < end; index++) {
    const block = emittedRowsIn(ctx, index);
    for (const source of SOURCES) {
      const rows = block[source];
      for (let k = 0; k < rows.length; k++) {
        text[source].write(recordLine(source, rows[k] as AnyRecord));
      }
      lines[source] += rows.length;
      records[source] += rows.length;
    }
    for (const { source, plant } of plantsFor(ctx, index)) {
      text[source].write(csvLine(plant.cells));
      lines[source] += 1;
      planted.push({ ...plant.row, line: lines[source] });
    }
  }
  if (end === ctx.spec.customers && ctx.spec.dirty > 0) {
    for (const source of SOURCES) {
      const trailer = unclosedQuoteLine(ctx, source);
      text[source].write(trailer.text);
      lines[source] += 1;
      planted.push({ ...trailer.row, line: lines[source] });
    }
  }
  return { start, end, bytes: perSource((source) => text[source].take()), lines, records, planted };
}

