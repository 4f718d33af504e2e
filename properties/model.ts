/**
 * An independent expectation model of the pipeline, computed straight from a generated dataset's
 * cell texts without the CSV parser, the merger or the enrichment code under test:
 * - the customers are the union of ids over the four sources;
 * - per source, the last row of a customer in file order wins; every other row is a duplicate;
 * - a cell becomes a number in a known numeric column, text otherwise, and is absent when empty;
 * - the scores follow the tutorial's rules as written in the shared notes (statuses compared
 *   case-insensitively, ignoring spaces, '-' and '_').
 */
import { SOURCE_FIELDS, SOURCE_NAMES } from '../src/core/schema.js';
import type { SourceName } from '../src/core/schema.js';
import type { Dataset } from './arbitraries.js';

export type Fields = Record<string, string | number>;
export type Level = 'LOW' | 'MEDIUM' | 'HIGH';

export interface ExpectedProfile {
  readonly customer_id: string;
  readonly sources: Partial<Record<SourceName, Fields>>;
  readonly health_score: number;
  readonly churn_risk: Level;
  readonly expansion_potential: Level;
}

export interface Expectation {
  /** Profiles keyed by customer id. */
  readonly profiles: ReadonlyMap<string, ExpectedProfile>;
  /** Data rows per source (all valid, so all must be read and merged). */
  readonly rows: Record<SourceName, number>;
  /** Rows superseded by a later row of the same customer in the same source. */
  readonly duplicates: Record<SourceName, number>;
  /** Customers with no CRM row. */
  readonly orphans: number;
  /** Data rows over all four files. */
  readonly records: number;
}

function typed(source: SourceName, cells: Readonly<Record<string, string>>): Fields {
  const kinds = SOURCE_FIELDS[source];
  const out: Fields = {};
  for (const [column, text] of Object.entries(cells)) {
    if (column === 'customer_id' || text === '') continue;
    const kind = kinds[column]?.type;
    out[column] = kind === 'int' || kind === 'number' ? Number(text) : text;
  }
  return out;
}

/** What the pipeline must produce for `dataset`. */
export function expectationOf(dataset: Dataset): Expectation {
  const merged = new Map<string, Partial<Record<SourceName, Fields>>>();
  const rows = { crm: 0, billing: 0, product: 0, support: 0 };
  const duplicates = { crm: 0, billing: 0, product: 0, support: 0 };
  for (const source of SOURCE_NAMES) {
    for (const cells of dataset[source].rows) {
      const id = cells['customer_id']!;
      const entry = merged.get(id) ?? {};
      if (entry[source] !== undefined) duplicates[source]++;
      entry[source] = typed(source, cells);
      merged.set(id, entry);
      rows[source]++;
    }
  }
  const profiles = new Map<string, ExpectedProfile>();
  let orphans = 0;
  for (const [id, sources] of merged) {
    if (sources.crm === undefined) orphans++;
    profiles.set(id, { customer_id: id, sources, ...scores(sources) });
  }
  return { profiles, rows, duplicates, orphans, records: rows.crm + rows.billing + rows.product + rows.support };
}

const squash = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase().replace(/[\s_-]+/g, '') : '');
const numeric = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const levelOf = (points: number): Level => (points >= 5 ? 'HIGH' : points >= 2 ? 'MEDIUM' : 'LOW');

/** The tutorial's health score, churn risk and expansion potential, restated from its text. */
export function scores(s: Partial<Record<SourceName, Fields>>): Pick<ExpectedProfile, 'health_score' | 'churn_risk' | 'expansion_potential'> {
  const usage = numeric(s.product?.['usage_pct']) ?? 50;
  const nps = numeric(s.support?.['nps_score']);
  const open = numeric(s.support?.['open_tickets']);
  const payment = squash(s.billing?.['payment_status']);
  const plan = squash(s.billing?.['plan']);
  const troubled = payment === 'pastdue' || payment === 'failed';

  const health =
    50 +
    (usage >= 80 ? 20 : usage >= 60 ? 10 : usage < 30 ? -10 : 0) +
    (payment === 'active' ? 15 : troubled ? -15 : 0) +
    (nps === undefined ? 0 : nps >= 9 ? 10 : nps >= 7 ? 5 : nps <= 5 ? -10 : 0) +
    (open === undefined ? 0 : open === 0 ? 5 : open > 3 ? -5 : 0);
  const churn =
    (usage < 30 ? 3 : usage < 50 ? 1 : 0) +
    (troubled ? 3 : 0) +
    (nps !== undefined && nps <= 6 ? 2 : 0) +
    (open !== undefined && open > 3 ? 1 : 0);
  const expansion =
    (usage >= 80 ? 3 : usage >= 60 ? 1 : 0) +
    (['starter', 'free', 'basic'].includes(plan) ? 2 : ['business', 'professional'].includes(plan) ? 1 : 0) +
    (nps !== undefined && nps >= 9 ? 2 : 0) +
    (squash(s.crm?.['deal_stage']) === 'enterprise' ? 1 : 0);
  return {
    health_score: Math.min(100, Math.max(0, health)),
    churn_risk: levelOf(churn),
    expansion_potential: levelOf(expansion),
  };
}
