/**
 * The record types of the four files and their exact cell text. Numbers stay numbers in records
 * (one-decimal columns hold values like 35.8 exactly as `Number("35.8")` parses), and
 * `recordCells` is the single place that turns a record into the strings written to disk, so a
 * parse-back test can compare cells to `recordCells(record)` without re-deriving formats.
 */
import { COLUMNS, ONE_DECIMAL_COLUMNS, type Source } from './columns.js';

/** One row of crm.csv (keys in header order). */
export type CrmRecord = {
  customer_id: string;
  email: string;
  company_name: string;
  industry: string;
  employee_count: number;
  deal_stage: string;
  deal_value: number;
  sales_owner: string;
  last_contact: string;
};

/** One row of billing.csv. */
export type BillingRecord = {
  customer_id: string;
  email: string;
  plan: string;
  mrr: number;
  payment_status: string;
  subscription_start: string;
  last_payment: string;
};

/** One row of product.csv. */
export type ProductRecord = {
  customer_id: string;
  email: string;
  signup_date: string;
  last_active: string;
  total_sessions: number;
  features_used: number;
  usage_pct: number;
  account_status: string;
};

/** One row of support.csv. */
export type SupportRecord = {
  customer_id: string;
  email: string;
  total_tickets: number;
  open_tickets: number;
  avg_resolution_hrs: number;
  /** Empty when the customer never filed a ticket (total_tickets = 0), as in the tutorial. */
  last_ticket_date: string;
  nps_score: number;
  csat_score: number;
};

/** Record type of each source. */
export interface SourceRecords {
  crm: CrmRecord;
  billing: BillingRecord;
  product: ProductRecord;
  support: SupportRecord;
}

/** Any record, viewed as a plain column → value map. */
export type AnyRecord = Readonly<Record<string, string | number>>;

/** Cell text of one value of column `column`. */
export function cellText(column: string, value: string | number): string {
  if (typeof value === 'string') return value;
  return ONE_DECIMAL_COLUMNS.has(column) ? value.toFixed(1) : String(value);
}

/** The cells written for `record`, in the header order of `source`. */
export function recordCells(source: Source, record: AnyRecord): string[] {
  const columns = COLUMNS[source];
  const cells = new Array<string>(columns.length);
  for (let k = 0; k < columns.length; k++) {
    const column = columns[k] as string;
    cells[k] = cellText(column, record[column] ?? '');
  }
  return cells;
}
