/**
 * The four files of the tutorial's dataset and their exact header order. The generator writes
 * these headers byte for byte, and `customerRows` returns records keyed by the same names, so a
 * parse-back test can zip a parsed line with its column list.
 */

/** Sources in the order the generator writes and reports them. */
export const SOURCES = ['crm', 'billing', 'product', 'support'] as const;
export type Source = (typeof SOURCES)[number];

/** Sources other than CRM: the ones coverage, duplicates and orphans apply to. */
export const SIDE_SOURCES = ['billing', 'product', 'support'] as const;
export type SideSource = (typeof SIDE_SOURCES)[number];

/** File name of each source inside the output directory. */
export const SOURCE_FILE: Readonly<Record<Source, string>> = {
  crm: 'crm.csv',
  billing: 'billing.csv',
  product: 'product.csv',
  support: 'support.csv',
};

/** Header of each file, in the tutorial's column order. */
export const COLUMNS = {
  crm: [
    'customer_id',
    'email',
    'company_name',
    'industry',
    'employee_count',
    'deal_stage',
    'deal_value',
    'sales_owner',
    'last_contact',
  ],
  billing: ['customer_id', 'email', 'plan', 'mrr', 'payment_status', 'subscription_start', 'last_payment'],
  product: [
    'customer_id',
    'email',
    'signup_date',
    'last_active',
    'total_sessions',
    'features_used',
    'usage_pct',
    'account_status',
  ],
  support: [
    'customer_id',
    'email',
    'total_tickets',
    'open_tickets',
    'avg_resolution_hrs',
    'last_ticket_date',
    'nps_score',
    'csat_score',
  ],
} as const satisfies Record<Source, readonly string[]>;

/** Numeric columns per source: where a planted `bad_number` may go. */
export const NUMERIC_COLUMNS: Readonly<Record<Source, readonly string[]>> = {
  crm: ['employee_count', 'deal_value'],
  billing: ['mrr'],
  product: ['total_sessions', 'features_used', 'usage_pct'],
  support: ['total_tickets', 'open_tickets', 'avg_resolution_hrs', 'nps_score', 'csat_score'],
};

/** Columns written with exactly one decimal (`28.0`, `35.8`), as the tutorial's files do. */
export const ONE_DECIMAL_COLUMNS: ReadonlySet<string> = new Set(['avg_resolution_hrs', 'csat_score']);
