/**
 * Dates relative to a fixed reference date, never "now", so a dataset does not drift with the
 * calendar. All arithmetic is on whole UTC days; formatting goes through a precomputed table, so
 * the per-row cost is one array read.
 */
import { GeneratorOptionError } from './errors.js';

/** Default reference date: the tutorial fixture's last day, so default output matches its period. */
export const DEFAULT_REFERENCE_DATE = '2026-01-01';

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` string; rejects impossible dates like 2025-02-30. */
export function parseIsoDay(text: string, option = 'referenceDate'): number {
  const match = ISO_DAY.exec(text);
  if (match === null) throw new GeneratorOptionError(option, text, 'a date YYYY-MM-DD');
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  if (new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new GeneratorOptionError(option, text, 'an existing calendar date YYYY-MM-DD');
  }
  return ms / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function formatIsoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Longest look-back any column uses (subscription start, signup): two years. */
export const MAX_DAYS_BACK = 730;

/** `daysBefore(n)` is the reference date minus n days, formatted; n in [0, MAX_DAYS_BACK]. */
export class DateTable {
  private readonly table: string[];

  constructor(readonly referenceDate: string) {
    const ref = parseIsoDay(referenceDate);
    this.table = [];
    for (let n = 0; n <= MAX_DAYS_BACK; n++) this.table.push(formatIsoDay(ref - n));
  }

  daysBefore(n: number): string {
    return this.table[n] as string;
  }
}
