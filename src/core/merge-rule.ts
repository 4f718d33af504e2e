/**
 * The tutorial's merge rule, in one place:
 *
 * 1. Rows are grouped by `customer_id`; every customer in any source gets one profile (one
 *    missing from CRM is an orphan).
 * 2. Within a source, a customer's last row in file order wins; earlier rows count as duplicates.
 * 3. A customer's sources sit side by side under their own keys (crm, billing, product, support).
 * 4. Profiles are sorted by customer id in UTF-16 code units (`compareIds`).
 *
 * The engine's `Merger` applies the same rule on bytes; tests check both agree.
 */
import type { MergedSources } from './enrich.js';
import { SOURCE_NAMES } from './schema.js';
import type { SourceFields, SourceName } from './schema.js';

/** Customers by id, each with the fields of the row kept per source. */
export type Customers = Map<string, Partial<Record<SourceName, SourceFields>>>;

/** Keeps one row (rules 1 and 2): it replaces any earlier row of its customer in its source. */
export function keepRow(customers: Customers, source: SourceName, customerId: string, fields: SourceFields): void {
  const entry = customers.get(customerId) ?? {};
  entry[source] = fields;
  customers.set(customerId, entry);
}

/** A customer's sources side by side, in SOURCE_NAMES order, absent ones left out (rule 3). */
export function sideBySide(sources: MergedSources): Record<string, SourceFields> {
  const kept: Record<string, SourceFields> = {};
  for (const name of SOURCE_NAMES) {
    const fields = sources[name];
    if (fields !== undefined) kept[name] = fields;
  }
  return kept;
}

/** The order profiles are written in (rule 4): plain code-unit comparison, the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The customers' ids in profile order (rule 4). */
export function idsInOrder(customers: Customers): string[] {
  return [...customers.keys()].sort(compareIds);
}
