/**
 * `--dirty RATE`: malformed lines of known kinds, planted so a bad-input test can check that the
 * pipeline reports every one of them, at the right line, and nothing else.
 *
 * Rules (also written into dirty-manifest.json as `rules`):
 * - Planted lines are *inserted*, never replacing a clean row: each is a corrupted copy of a
 *   customer's row, written after that customer's rows. Deleting the planted lines from a dirty
 *   run gives byte-for-byte the files of the same run without `--dirty`.
 * - `bad_number`, `wrong_column_count`, `empty_id`: each (customer, file) gets one with
 *   probability RATE, the kind picked uniformly. They break only their own line.
 * - `unclosed_quote`: exactly one per file, always its last line: a field opened with `"` and
 *   never closed. Under RFC 4180 an open quote swallows everything up to the next quote, which
 *   would make the error's extent parser-dependent anywhere else; as the last line it is reported
 *   at its own line by every strict parser. The line carries no other quote character.
 */
import { COLUMNS, NUMERIC_COLUMNS, SOURCES, SOURCE_FILE, type Source } from './columns.js';
import type { GeneratorContext } from './context.js';
import { BAD_NUMBERS, LINE_LOCAL_KINDS, type DirtyKind, type PlantedRow } from './planted.js';
import { Stream, rngFor } from './prng.js';
import { recordCells } from './records.js';
import { primaryRecord } from './rows.js';

/** A planted line before its absolute line number is known. */
export interface Plant {
  readonly cells: string[];
  readonly row: Omit<PlantedRow, 'line'>;
}

/**
 * The planted lines (at most one per file) after customer `index`'s rows, in `SOURCES` order.
 * Draws a fixed 4 numbers per file from the customer's `dirty` stream.
 */
export function plantsFor(ctx: GeneratorContext, index: number): Array<{ source: Source; plant: Plant }> {
  const rate = ctx.spec.dirty;
  if (rate === 0) return [];
  const rng = rngFor(ctx.key, index, Stream.dirty);
  const out: Array<{ source: Source; plant: Plant }> = [];
  for (const source of SOURCES) {
    const uPlant = rng.float();
    const kind = LINE_LOCAL_KINDS[Math.floor(rng.float() * LINE_LOCAL_KINDS.length)] as DirtyKind;
    const uColumn = rng.float();
    const uValue = rng.float();
    if (uPlant >= rate) continue;
    const cells = recordCells(source, primaryRecord(ctx, source, index));
    const customerId = cells[0] as string;
    const file = SOURCE_FILE[source];
    if (kind === 'bad_number') {
      const numeric = NUMERIC_COLUMNS[source];
      const column = numeric[Math.floor(uColumn * numeric.length)] as string;
      cells[(COLUMNS[source] as readonly string[]).indexOf(column)] = BAD_NUMBERS[Math.floor(uValue * BAD_NUMBERS.length)] as string;
      out.push({ source, plant: { cells, row: { file, kind, customer_id: customerId, column } } });
    } else if (kind === 'wrong_column_count') {
      if (uColumn < 0.5) cells.pop();
      else cells.push('unexpected');
      out.push({ source, plant: { cells, row: { file, kind, customer_id: customerId, cells: cells.length } } });
    } else {
      cells[0] = '';
      out.push({ source, plant: { cells, row: { file, kind, customer_id: customerId } } });
    }
  }
  return out;
}

/**
 * The `unclosed_quote` line that ends `source`'s file when RATE > 0: the row of the first id past
 * the dataset with its email field opened by a quote that is never closed.
 */
export function unclosedQuoteLine(ctx: GeneratorContext, source: Source): { text: string; row: Omit<PlantedRow, 'line'> } {
  const cells = recordCells(source, primaryRecord(ctx, source, ctx.spec.customers));
  const id = cells[0] as string;
  const rest = cells.slice(1).join(',').replace(/"/g, '');
  return {
    text: `${id},"${rest}\n`,
    row: { file: SOURCE_FILE[source], kind: 'unclosed_quote', customer_id: id, column: 'email' },
  };
}
