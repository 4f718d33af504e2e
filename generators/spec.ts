/**
 * The options that decide the bytes of a dataset (`DataSpec`) and their validation. Everything
 * else a run takes (workers, chunk size, progress, manifest) changes speed or reporting only, so
 * it is kept out of the spec: two runs with equal specs write byte-identical CSV files.
 */
import { SIDE_SOURCES, type SideSource } from './columns.js';
import { DEFAULT_REFERENCE_DATE, parseIsoDay } from './dates.js';
import { GeneratorOptionError } from './errors.js';

/** Share of CRM customers that also appear in each other source (1 = all, the default). */
export type Coverage = Readonly<Record<SideSource, number>>;

/** The realism knobs; all off by default so default output has the tutorial's shape. */
export interface RealismOptions {
  /** One share for all three sources, or per source (missing ones stay 1). */
  readonly coverage?: number | Partial<Coverage>;
  /**
   * Mean number of extra rows per (customer, side source) present: 0.2 gives a fifth of them a
   * second row, 1.5 gives each one or two more. Extra rows carry the same id and email and freshly
   * drawn values, right after the customer's first row.
   */
  readonly duplicates?: number;
  /** Probability per (customer, side source) of one row whose id is not in CRM. */
  readonly orphans?: number;
  /** Probability per (customer, file) of one planted malformed line (see dirty.ts). */
  readonly dirty?: number;
}

/** What a dataset is; equal specs give equal bytes. */
export interface DataSpec {
  readonly customers: number;
  readonly seed: number;
  readonly referenceDate: string;
  readonly coverage: Coverage;
  readonly duplicates: number;
  readonly orphans: number;
  readonly dirty: number;
}

/** Largest customer count accepted (ids stay well inside safe integers; files would be ~400 GB). */
export const MAX_CUSTOMERS = 1_000_000_000;
/** Largest mean number of duplicate rows per (customer, source). */
export const MAX_DUPLICATES = 10;

function checkInteger(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new GeneratorOptionError(option, value, `an integer in ${min}..${max}`);
  }
  return value;
}

function checkRate(option: string, value: unknown, max = 1): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new GeneratorOptionError(option, value, `a number in 0..${max}`);
  }
  return value;
}

function normaliseCoverage(value: RealismOptions['coverage']): Coverage {
  if (value === undefined) return { billing: 1, product: 1, support: 1 };
  if (typeof value === 'number') {
    const share = checkRate('coverage', value);
    return { billing: share, product: share, support: share };
  }
  for (const name of Object.keys(value)) {
    if (!(SIDE_SOURCES as readonly string[]).includes(name)) {
      throw new GeneratorOptionError('coverage', name, `one of ${SIDE_SOURCES.join(', ')}`);
    }
  }
  return {
    billing: checkRate('coverage.billing', value.billing ?? 1),
    product: checkRate('coverage.product', value.product ?? 1),
    support: checkRate('coverage.support', value.support ?? 1),
  };
}

/** Validates and fills defaults; throws `GeneratorOptionError` naming the bad value. */
export function normaliseSpec(
  options: { readonly customers: number; readonly seed: number; readonly referenceDate?: string } & RealismOptions,
): DataSpec {
  const referenceDate = options.referenceDate ?? DEFAULT_REFERENCE_DATE;
  parseIsoDay(referenceDate);
  return {
    customers: checkInteger('customers', options.customers, 0, MAX_CUSTOMERS),
    seed: checkInteger('seed', options.seed, 0, Number.MAX_SAFE_INTEGER),
    referenceDate,
    coverage: normaliseCoverage(options.coverage),
    duplicates: checkRate('duplicates', options.duplicates ?? 0, MAX_DUPLICATES),
    orphans: checkRate('orphans', options.orphans ?? 0),
    dirty: checkRate('dirty', options.dirty ?? 0),
  };
}
