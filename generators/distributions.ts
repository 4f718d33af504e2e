/**
 * Value distributions of the tutorial's reference generator, read off its published data (see
 * /work/shared/fixtures/tutorial-2000): the same category lists, ranges and rough weights, so the
 * default output has the tutorial's shape and the enrichment rules see the same mix (about 35 %
 * of customers Past Due or Failed, usage centred near 60 %, NPS uniform on 1..10).
 */

/** Inclusive integer range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** Categories with cumulative weights for `Rng.weighted`. */
export interface Weighted<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
}

function weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  let total = 0;
  return {
    items: pairs.map(([item]) => item),
    cumulative: pairs.map(([, weight]) => (total += weight)),
  };
}

export const INDUSTRIES = [
  'Technology',
  'Healthcare',
  'Finance',
  'Retail',
  'Manufacturing',
  'Education',
  'Real Estate',
  'Media',
  'Energy',
  'Transportation',
] as const;

export const EMPLOYEE_COUNTS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

export const DEAL_STAGES = ['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Closed Won', 'Enterprise'] as const;

export const DEAL_VALUE: Range = { min: 1000, max: 100_000 };

/** Plans and their MRR ranges (the tutorial prices Business below Professional; kept as is). */
export const PLANS = [
  { plan: 'Starter', mrr: { min: 29, max: 99 } },
  { plan: 'Business', mrr: { min: 99, max: 499 } },
  { plan: 'Professional', mrr: { min: 499, max: 1999 } },
  { plan: 'Enterprise', mrr: { min: 1999, max: 9999 } },
] as const;

export const PAYMENT_STATUS = weighted([
  ['Active', 65],
  ['Past Due', 18],
  ['Failed', 17],
] as const);

export const ACCOUNT_STATUS = weighted([
  ['Active', 60],
  ['Inactive', 20],
  ['Trial', 20],
] as const);

/** Look-backs in days from the reference date. */
export const DAYS_BACK = {
  lastContact: { min: 0, max: 90 },
  subscriptionStart: { min: 30, max: 730 },
  lastPayment: { min: 0, max: 30 },
  signup: { min: 30, max: 730 },
  lastActive: { min: 0, max: 30 },
  lastTicket: { min: 0, max: 180 },
} as const satisfies Record<string, Range>;

export const TOTAL_SESSIONS: Range = { min: 10, max: 2000 };
export const FEATURES_USED: Range = { min: 3, max: 25 };
/** usage_pct: bell around 60 with sd 25, clamped to 5..100 (≈5 % sit at 100, as in the tutorial). */
export const USAGE = { mean: 60, sd: 25, min: 5, max: 100 } as const;
export const TOTAL_TICKETS: Range = { min: 0, max: 20 };
/** open_tickets is drawn from 0..min(MAX_OPEN_TICKETS, total_tickets). */
export const MAX_OPEN_TICKETS = 3;
/** Tenths of an hour: 1.0 .. 48.0. */
export const RESOLUTION_TENTHS: Range = { min: 10, max: 480 };
export const NPS: Range = { min: 1, max: 10 };
/** Tenths: 1.0 .. 5.0. */
export const CSAT_TENTHS: Range = { min: 10, max: 50 };

/** How a person's email local part is spelled at their company. */
export const EMAIL_FORMATS = weighted([
  ['first.last', 55],
  ['flast', 15],
  ['first_last', 10],
  ['firstlast', 12],
  ['first', 8],
] as const);
export type EmailFormat = (typeof EMAIL_FORMATS.items)[number];

export const BILLING_ROLES = ['billing', 'accounts', 'finance', 'invoices', 'ap'] as const;
export const SUPPORT_ROLES = ['support', 'it', 'helpdesk', 'admin'] as const;
