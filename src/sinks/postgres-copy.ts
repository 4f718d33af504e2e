/**
 * A profile as one line of PostgreSQL's COPY text format, in `LOAD_COLUMNS` order; deterministic, so
 * a shard's staged bytes have a checksum. Backslash, newline, CR and tab are escaped; a value
 * PostgreSQL cannot store (NUL, an integer outside 32 bits) is a permanent error naming customer and column.
 */
import { PipelineError } from '../core/errors.js';
import type { Profile } from '../core/profile.js';
import { SOURCE_NAMES } from '../core/schema.js';
import type { FieldValue, SourceFields, SourceName } from '../core/schema.js';
import { LOAD_COLUMNS, SOURCE_COLUMNS_PG } from './postgres-schema.js';
import type { ColumnSpec } from './postgres-schema.js';

/** A profile value that no PostgreSQL column of its type can hold. Retrying cannot help. */
export class UnloadableValueError extends PipelineError {
  constructor(customerId: string, column: string, why: string) {
    super('POSTGRES_VALUE', `customer ${customerId}: column ${column} ${why}`, false);
  }
}

const NULL = '\\N';
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const SPECIAL_RE = /[\\\n\r\t]/;
const SPECIAL_RE_G = /[\\\n\r\t]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes one value for the COPY text format. */
export function copyEscape(text: string): string {
  return SPECIAL_RE.test(text) ? text.replace(SPECIAL_RE_G, (c) => ESCAPES[c]!) : text;
}

/** The known columns of each source, by field name. */
const KNOWN: Readonly<Record<SourceName, ReadonlyMap<string, ColumnSpec>>> = {
  crm: byField('crm'),
  billing: byField('billing'),
  product: byField('product'),
  support: byField('support'),
};

function byField(source: SourceName): ReadonlyMap<string, ColumnSpec> {
  return new Map(SOURCE_COLUMNS_PG.filter((c) => c.source === source).map((c) => [c.field!, c]));
}

/** Column order of a staged line; `encodeProfile` fills exactly these, in this order. */
export const COPY_COLUMNS: readonly string[] = LOAD_COLUMNS.map((c) => c.name);

/**
 * One profile as a COPY text line, newline-terminated. Known source fields go to their typed
 * column; extra source columns go to `extra` as `{source: {column: value}}` (NULL when none).
 */
export function encodeProfile(p: Profile): string {
  const id = p.customer_id;
  const cells: string[] = [text(id, 'customer_id', id)];
  for (const c of SOURCE_COLUMNS_PG) {
    const v = (p[c.source!] as SourceFields | undefined)?.[c.field!];
    cells.push(v === undefined ? NULL : typed(id, c, v));
  }
  const present = SOURCE_NAMES.filter((s) => p[s] !== undefined);
  cells.push(`{${present.join(',')}}`);
  cells.push(extraCell(p, present));
  cells.push(int(id, 'health_score', p.health_score));
  cells.push(text(id, 'churn_risk', p.churn_risk));
  cells.push(text(id, 'expansion_potential', p.expansion_potential));
  cells.push(text(id, 'idempotency_key', p.idempotency_key));
  return `${cells.join('\t')}\n`;
}

function extraCell(p: Profile, present: readonly SourceName[]): string {
  let extra: Record<string, Record<string, FieldValue>> | undefined;
  for (const s of present) {
    const fields = p[s]!;
    for (const name of Object.keys(fields)) {
      if (KNOWN[s].has(name)) continue;
      const v = fields[name]!;
      noNul(p.customer_id, `extra.${s}.${name}`, name);
      if (typeof v === 'string') noNul(p.customer_id, `extra.${s}.${name}`, v);
      extra ??= {};
      (extra[s] ??= {})[name] = v;
    }
  }
  return extra === undefined ? NULL : copyEscape(JSON.stringify(extra));
}

function typed(id: string, c: ColumnSpec, v: FieldValue): string {
  switch (c.type) {
    case 'integer':
      return int(id, c.name, v);
    case 'numeric':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UnloadableValueError(id, c.name, `needs a finite number, got ${JSON.stringify(v)}`);
      return String(v);
    case 'date':
      if (typeof v !== 'string' || !DATE_RE.test(v)) throw new UnloadableValueError(id, c.name, `needs a YYYY-MM-DD date, got ${JSON.stringify(v)}`);
      return v;
    default:
      return text(id, c.name, String(v));
  }
}

function int(id: string, column: string, v: FieldValue): string {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
    throw new UnloadableValueError(id, column, `needs a whole number from ${INT32_MIN} to ${INT32_MAX} (PostgreSQL integer), got ${JSON.stringify(v)}`);
  }
  return String(v);
}

function text(id: string, column: string, v: string): string {
  noNul(id, column, v);
  return copyEscape(v);
}

function noNul(id: string, column: string, v: string): void {
  if (v.includes('\u0000')) throw new UnloadableValueError(id, column, 'contains a NUL character, which PostgreSQL text cannot store');
}
