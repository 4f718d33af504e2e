/**
 * The `customer_profiles` table: typed columns, indexes, schema version, and the check that an
 * existing table matches this build exactly; anything else is a permanent `PostgresSchemaError`.
 */
import type { ClientBase } from 'pg';
import { PipelineError } from '../core/errors.js';
import { SOURCE_FIELDS, SOURCE_NAMES } from '../core/schema.js';
import type { FieldKind, SourceName } from '../core/schema.js';

/** Bump when a column, a type or a constraint changes; tables of another version are refused. */
export const SCHEMA_VERSION = 1;
/** Recorded as the table's comment; `verifyTable` reads the version back from it. */
export const SCHEMA_COMMENT = `customer-merge profiles schema v${SCHEMA_VERSION}`;
const COMMENT_RE = /^customer-merge profiles schema v(\d+)\b/;

export const DEFAULT_TABLE = 'customer_profiles';

export type ColumnType = 'text' | 'integer' | 'numeric' | 'date' | 'jsonb' | 'text[]' | 'timestamp with time zone';

/** A column of the table. `source`/`field` say which profile field fills it. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly source?: SourceName;
  readonly field?: string;
  readonly notNull?: boolean;
}

/** The column type of a known source field: numbers keep their kind, dates are dates. */
function pgType(kind: FieldKind): ColumnType {
  return kind.type === 'int' ? 'integer' : kind.type === 'number' ? 'numeric' : kind.type === 'date' ? 'date' : 'text';
}

/**
 * Columns from the source rows: every known field (core/schema.ts) typed by kind; `email`, in four
 * sources, is named after its source (`crm_email`, …).
 */
export const SOURCE_COLUMNS_PG: readonly ColumnSpec[] = SOURCE_NAMES.flatMap((source) =>
  Object.entries(SOURCE_FIELDS[source])
    .filter(([field]) => field !== 'customer_id')
    .map(([field, kind]): ColumnSpec => ({ name: field === 'email' ? `${source}_email` : field, type: pgType(kind), source, field })),
);

/** The staged and upserted columns in COPY order; `sources` and `extra` make a row a lossless profile. */
export const LOAD_COLUMNS: readonly ColumnSpec[] = [
  { name: 'customer_id', type: 'text', notNull: true },
  ...SOURCE_COLUMNS_PG,
  { name: 'sources', type: 'text[]', notNull: true },
  { name: 'extra', type: 'jsonb' },
  { name: 'health_score', type: 'integer', notNull: true },
  { name: 'churn_risk', type: 'text', notNull: true },
  { name: 'expansion_potential', type: 'text', notNull: true },
  { name: 'idempotency_key', type: 'text', notNull: true },
];

/** Every column of the table: the loaded ones plus `loaded_at` (set on insert and on update). */
export const TABLE_COLUMNS: readonly ColumnSpec[] = [
  ...LOAD_COLUMNS,
  { name: 'loaded_at', type: 'timestamp with time zone', notNull: true },
];

/** Where profiles are loaded: a table, optionally in a named schema (else the search_path). */
export interface PgTarget {
  readonly schema?: string;
  readonly table: string;
}

const IDENT_RE = /^[a-z_][a-z0-9_]{0,62}$/;

/** A permanent problem with the target table: wrong shape, other version, bad name. */
export class PostgresSchemaError extends PipelineError {
  constructor(message: string) {
    super('POSTGRES_SCHEMA', message, false);
  }
}

/** Checks a table or schema name: lowercase letters, digits and `_`, at most 63 characters. */
export function checkIdentifier(name: unknown, what: string): string {
  if (typeof name !== 'string' || !IDENT_RE.test(name)) {
    throw new PostgresSchemaError(`${what} must be 1..63 lowercase letters, digits or '_' (not starting with a digit), got ${JSON.stringify(name)}`);
  }
  return name;
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `"schema"."table"` or `"table"`. */
export function qualifiedName(t: PgTarget): string {
  return t.schema === undefined ? quoteIdent(t.table) : `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
}

/** `schema.table` or `table`, unquoted, for messages and receipts. */
export function targetLabel(t: PgTarget): string {
  return t.schema === undefined ? t.table : `${t.schema}.${t.table}`;
}

/** The CREATE TABLE, index and comment statements for a fresh table. */
export function createTableSql(t: PgTarget): string[] {
  const q = qualifiedName(t);
  const defs = TABLE_COLUMNS.map((c) => {
    let d = `${quoteIdent(c.name)} ${c.type}`;
    if (c.name === 'customer_id') d += ' PRIMARY KEY';
    else if (c.notNull === true) d += ' NOT NULL';
    if (c.name === 'health_score') d += ' CHECK (health_score BETWEEN 0 AND 100)';
    if (c.name === 'churn_risk' || c.name === 'expansion_potential') d += ` CHECK (${c.name} IN ('LOW', 'MEDIUM', 'HIGH'))`;
    if (c.name === 'loaded_at') d += ' DEFAULT now()';
    return `  ${d}`;
  });
  return [
    `CREATE TABLE ${q} (\n${defs.join(',\n')}\n)`,
    // "Who is most at risk": filter by bucket, order by score; and score ranges on their own.
    `CREATE INDEX ON ${q} (churn_risk, health_score)`,
    `CREATE INDEX ON ${q} (health_score)`,
    `COMMENT ON TABLE ${q} IS '${SCHEMA_COMMENT}'`,
  ];
}

/**
 * Creates or checks the target table in a short transaction under an advisory lock on its name,
 * so starting shards neither race on CREATE nor hold the lock while loading.
 */
export async function ensureTable(client: ClientBase, t: PgTarget): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`customer-merge:${targetLabel(t)}`]);
    if (t.schema !== undefined) {
      const ns = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [t.schema]);
      if (ns.rowCount === 0) await client.query(`CREATE SCHEMA ${quoteIdent(t.schema)}`);
    }
    const existing = await client.query<{ oid: number | null }>('SELECT to_regclass($1)::oid AS oid', [qualifiedName(t)]);
    if (existing.rows[0]?.oid == null) {
      for (const sql of createTableSql(t)) await client.query(sql);
    }
    await verifyTable(client, t);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

interface AttrRow {
  readonly attname: string;
  readonly type: string;
  readonly attnotnull: boolean;
}

/**
 * Refuses a table this build cannot load into: not a table, another schema version, a missing or
 * retyped column, or no unique key on `customer_id`. Extra columns are allowed.
 */
export async function verifyTable(client: ClientBase, t: PgTarget): Promise<void> {
  const label = targetLabel(t);
  const rel = await client.query<{ oid: number | null; relkind: string | null; comment: string | null }>(
    `SELECT c.oid, c.relkind, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [qualifiedName(t)],
  );
  const r = rel.rows[0];
  if (r === undefined || r.oid === null) throw new PostgresSchemaError(`table ${label} does not exist`);
  if (r.relkind !== 'r' && r.relkind !== 'p') throw new PostgresSchemaError(`${label} exists but is not a table (relkind ${r.relkind})`);
  const m = r.comment === null ? null : COMMENT_RE.exec(r.comment);
  if (m === null) {
    throw new PostgresSchemaError(
      `table ${label} exists but was not created by customer-merge (no schema version in its comment); refusing to load into it — drop it or choose another table`,
    );
  }
  if (Number(m[1]) !== SCHEMA_VERSION) {
    throw new PostgresSchemaError(`table ${label} has customer-merge schema version ${m[1]}, this build writes version ${SCHEMA_VERSION}; migrate or drop it, or choose another table`);
  }
  const attrs = await client.query<AttrRow>(
    `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull
       FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped`,
    [r.oid],
  );
  const have = new Map(attrs.rows.map((a) => [a.attname, a]));
  const problems: string[] = [];
  for (const c of TABLE_COLUMNS) {
    const a = have.get(c.name);
    if (a === undefined) problems.push(`column ${c.name} is missing`);
    else if (a.type !== c.type) problems.push(`column ${c.name} is ${a.type}, expected ${c.type}`);
  }
  const key = await client.query<{ ok: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = $1::oid AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL
          AND a.attname = 'customer_id') AS ok`,
    [r.oid],
  );
  if (key.rows[0]?.ok !== true) problems.push('customer_id has no unique key');
  if (problems.length > 0) {
    throw new PostgresSchemaError(`table ${label} does not match customer-merge schema v${SCHEMA_VERSION}: ${problems.join('; ')}`);
  }
}
