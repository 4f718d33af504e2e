import { SOURCE_NAMES } from '../../core/schema.js';
import type { KeepId, ShardRowSource } from '../../io/row-source.js';

/**
 * Bounded memory per shard: a shard over its budget is processed in passes over consecutive id
 * ranges, writing the same file in the same order as one pass. Each pass rereads the input.
 */

/** A worker's peak memory in one pass: base + perInputByte × input bytes (fit: docs/engine-notes.md). */
export const ONE_PASS = { baseBytes: 150 * 2 ** 20, perInputByte: 2.45 } as const;
/** A worker's peak memory per pass of K passes: base + perInputByte × input bytes / K. */
export const PER_PASS = { baseBytes: 224 * 2 ** 20, perInputByte: 3.0 } as const;

/** At most this many passes, however small the budget: each pass reads the input again. */
export const MAX_PASSES = 64;

/** The census samples one record in this many. */
export const SAMPLE_EVERY = 16;

/** One pass: which ids it keeps (undefined: every id, the single pass of a shard that fits). */
export type IdRange = KeepId | undefined;

/** How many passes a shard of `inputBytes` needs under `budgetBytes` (1 when it fits or is unsized). */
export function passesFor(inputBytes: number | undefined, budgetBytes: number): number {
  if (inputBytes === undefined || ONE_PASS.baseBytes + ONE_PASS.perInputByte * inputBytes <= budgetBytes) return 1;
  const usable = Math.max(budgetBytes - PER_PASS.baseBytes, 32 * 2 ** 20);
  return Math.min(MAX_PASSES, Math.max(2, Math.ceil((PER_PASS.perInputByte * inputBytes) / usable)));
}

/**
 * The id ranges of a shard's passes: one when it fits; else a sampled census of its ids cut into
 * ranges of about equal rows. A line without a readable id belongs to the first range.
 */
export async function planRanges(rows: ShardRowSource, budgetBytes: number, forcePasses?: number): Promise<IdRange[]> {
  const passes = forcePasses ?? passesFor(rows.inputBytes(), budgetBytes);
  if (passes === 1) return [undefined];
  // A systematic sample (every SAMPLE_EVERY-th record) cuts about equal ranges while keeping the
  // census small (a map of every id would cost as much memory as a pass).
  const counts = new Map<string, number>();
  let n = 0;
  const census: KeepId = (id) => {
    if (id !== undefined && n++ % SAMPLE_EVERY === 0) counts.set(id, (counts.get(id) ?? 0) + 1);
    return false;
  };
  for (const source of SOURCE_NAMES) for await (const _ of rows.rows(source, undefined, census));
  return rangesOf(counts, passes);
}

/**
 * Cuts ids (with their row counts) into at most `passes` consecutive ranges of about equal
 * counts, in code-unit order (compareIds). Every id falls in exactly one range.
 */
export function rangesOf(counts: ReadonlyMap<string, number>, passes: number): IdRange[] {
  const ids = [...counts.keys()].sort();
  let total = 0;
  for (const n of counts.values()) total += n;
  const bounds: string[] = [];
  let seen = 0;
  for (const id of ids) {
    if (bounds.length < passes - 1 && seen >= (total * (bounds.length + 1)) / passes) bounds.push(id);
    seen += counts.get(id)!;
  }
  return Array.from({ length: bounds.length + 1 }, (_, k): KeepId => {
    const low = k === 0 ? undefined : bounds[k - 1]!;
    const high = k === bounds.length ? undefined : bounds[k]!;
    return (id) => (id === undefined ? k === 0 : (low === undefined || id >= low) && (high === undefined || id < high));
  });
}
