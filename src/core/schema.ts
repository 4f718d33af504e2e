/**
 * The tutorial's four sources and their typed fields. Extra columns are kept as strings; only
 * `customer_id` is required; a known field out of its domain becomes a reject, never a NaN.
 */

export const SOURCE_NAMES = ['crm', 'billing', 'product', 'support'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Position of each source in SOURCE_NAMES (the order profiles list their sources in). */
export const SOURCE_INDEX: Readonly<Record<SourceName, number>> = { crm: 0, billing: 1, product: 2, support: 3 };

/** File name of each source inside a data location. */
export const SOURCE_FILES: Readonly<Record<SourceName, string>> = {
  crm: 'crm.csv',
  billing: 'billing.csv',
  product: 'product.csv',
  support: 'support.csv',
};

export type FieldKind =
  | { readonly type: 'string' }
  | { readonly type: 'date' }
  | { readonly type: 'int'; readonly min?: number; readonly max?: number }
  | { readonly type: 'number'; readonly min?: number; readonly max?: number };

const str = { type: 'string' } as const;
const date = { type: 'date' } as const;
const count = { type: 'int', min: 0 } as const;
const amount = { type: 'number', min: 0 } as const;

/** Known columns of each source, in the tutorial's order. */
export const SOURCE_FIELDS: Readonly<Record<SourceName, Readonly<Record<string, FieldKind>>>> = {
  crm: {
    customer_id: str,
    email: str,
    company_name: str,
    industry: str,
    employee_count: count,
    deal_stage: str,
    deal_value: amount,
    sales_owner: str,
    last_contact: date,
  },
  billing: {
    customer_id: str,
    email: str,
    plan: str,
    mrr: amount,
    payment_status: str,
    subscription_start: date,
    last_payment: date,
  },
  product: {
    customer_id: str,
    email: str,
    signup_date: date,
    last_active: date,
    total_sessions: count,
    features_used: count,
    usage_pct: { type: 'number', min: 0, max: 100 },
    account_status: str,
  },
  support: {
    customer_id: str,
    email: str,
    total_tickets: count,
    open_tickets: count,
    avg_resolution_hrs: amount,
    last_ticket_date: date,
    nps_score: { type: 'int', min: 1, max: 10 },
    csat_score: { type: 'number', min: 1, max: 5 },
  },
};

/** Column names of each source in the tutorial's order (the generator writes these headers). */
export const SOURCE_COLUMNS: Readonly<Record<SourceName, readonly string[]>> = {
  crm: Object.keys(SOURCE_FIELDS.crm),
  billing: Object.keys(SOURCE_FIELDS.billing),
  product: Object.keys(SOURCE_FIELDS.product),
  support: Object.keys(SOURCE_FIELDS.support),
};

/** A value of a source record: numbers for numeric columns, strings otherwise. */
export type FieldValue = string | number;

/** One source row after typing, without its `customer_id`. Empty cells are absent. */
export type SourceFields = Record<string, FieldValue>;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why a cell does not fit its field, or undefined when it fits. */
export function checkValue(kind: FieldKind, text: string): FieldValue | { error: string } {
  switch (kind.type) {
    case 'string':
      return text;
    case 'date': {
      if (!DATE_RE.test(text)) return { error: `is not a date (YYYY-MM-DD): ${JSON.stringify(text)}` };
      const y = digits(text, 0, 4);
      const m = digits(text, 5, 7);
      const d = digits(text, 8, 10);
      if (!isCalendarDate(y, m, d)) {
        return { error: `is not a calendar date: ${JSON.stringify(text)}` };
      }
      return text;
    }
    case 'int':
    case 'number': {
      if (!isPlainDecimal(text) && !NUMBER_RE.test(text)) return { error: `is not a number: ${JSON.stringify(text)}` };
      const n = Number(text);
      if (!Number.isFinite(n)) return { error: `is not a finite number: ${JSON.stringify(text)}` };
      if (kind.type === 'int' && !Number.isInteger(n)) {
        return { error: `is not a whole number: ${JSON.stringify(text)}` };
      }
      if (kind.min !== undefined && n < kind.min) {
        return { error: `is ${text}, below its minimum ${kind.min}` };
      }
      if (kind.max !== undefined && n > kind.max) {
        return { error: `is ${text}, above its maximum ${kind.max}` };
      }
      return n;
    }
  }
}

/** Fast path of NUMBER_RE for the common shape `123` or `12.5` (no sign, no exponent). */
function isPlainDecimal(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 15) return false;
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (dot >= 0 || i === 0 || i === n - 1) return false;
      dot = i;
    } else if (c < 48 || c > 57) {
      return false;
    }
  }
  return true;
}

function digits(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether year-month-day names a day of the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1]!;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}
