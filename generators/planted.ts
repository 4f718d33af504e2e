/**
 * The vocabulary of `--dirty`: kinds of planted lines, the bad numbers used, and the entry format
 * of dirty-manifest.json. Kept apart from dirty.ts (which builds the lines) so the writer thread
 * can stream the manifest without loading the row generator and faker.
 */

export const DIRTY_KINDS = ['bad_number', 'wrong_column_count', 'unclosed_quote', 'empty_id'] as const;
export type DirtyKind = (typeof DIRTY_KINDS)[number];

/** Kinds planted at rate RATE in the body of a file (`unclosed_quote` only ends a file). */
export const LINE_LOCAL_KINDS = ['bad_number', 'wrong_column_count', 'empty_id'] as const;

/** Values that no number parser accepts (none empty: an empty cell may legitimately mean "missing"). */
export const BAD_NUMBERS = ['n/a', '12..5', 'forty-two', '1O0', '#VALUE!', '3,5', '$120'] as const;

/** One planted line as listed in dirty-manifest.json. */
export interface PlantedRow {
  readonly file: string;
  /** 1-based physical line in the file; the header is line 1. */
  readonly line: number;
  readonly kind: DirtyKind;
  /** Id of the customer whose row was corrupted ('' is what an `empty_id` line carries instead). */
  readonly customer_id: string;
  /** Column of the bad value (`bad_number`) or of the opened quote (`unclosed_quote`). */
  readonly column?: string;
  /** Cells in the planted line (`wrong_column_count` only); the header has COLUMNS[source].length. */
  readonly cells?: number;
}
