/**
 * Everything row generation needs, derived once from a `DataSpec`: the folded seed, the faker
 * pools, the date table and the id width. Derivation is pure, so a worker thread that builds its
 * own context from the same spec generates the same rows as the main thread.
 */
import { DateTable } from './dates.js';
import { poolsFor, type Pools } from './pools.js';
import { seedKey } from './prng.js';
import type { DataSpec } from './spec.js';

/** Derived, read-only inputs of row generation for one spec. */
export interface GeneratorContext {
  readonly spec: DataSpec;
  /** 32-bit fold of the seed that every per-customer stream derives from. */
  readonly key: number;
  readonly pools: Pools;
  readonly dates: DateTable;
  /** Digits after `cust_`: 8, or more once the customer count needs them. */
  readonly idWidth: number;
}

/** Digits of the id number: `cust_00000001` … up to N; 9 digits from N = 10^8 on. */
export function idWidth(customers: number): number {
  return Math.max(8, String(customers).length);
}

/** Id of customer `index` (0-based): `cust_` + (index + 1) zero-padded. */
export function customerId(index: number, width: number): string {
  return 'cust_' + String(index + 1).padStart(width, '0');
}

const dateTables = new Map<string, DateTable>();

function dateTableFor(referenceDate: string): DateTable {
  let table = dateTables.get(referenceDate);
  if (table === undefined) {
    table = new DateTable(referenceDate);
    dateTables.set(referenceDate, table);
  }
  return table;
}

/** Builds the context of a spec; pools and date tables are cached per seed / date. */
export function makeContext(spec: DataSpec): GeneratorContext {
  return {
    spec,
    key: seedKey(spec.seed),
    pools: poolsFor(spec.seed),
    dates: dateTableFor(spec.referenceDate),
    idWidth: idWidth(spec.customers),
  };
}
