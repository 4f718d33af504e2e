/**
 * Helpers for the PostgreSQL sink's tests and bench: a private schema per test file and reading a
 * table back as profiles. An unreachable server makes those tests fail, not skip.
 */
import pg from 'pg';
import type { Profile } from '../core/profile.js';
import type { SourceFields, SourceName } from '../core/schema.js';
import { SOURCE_COLUMNS_PG, TABLE_COLUMNS, quoteIdent } from '../sinks/postgres-schema.js';
import { LOCAL_DATABASE_URL, redactUrl } from '../sinks/postgres-url.js';

/** The database tests use: `CM_TEST_DATABASE_URL`, else the local server's `postgres` database. */
export function testDatabaseUrl(): string {
  return process.env['CM_TEST_DATABASE_URL'] ?? LOCAL_DATABASE_URL;
}

/** A connected client to the test database; a clear error when the server is not reachable. */
export async function connectTestDatabase(url = testDatabaseUrl()): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new Error(
      `the PostgreSQL sink tests need a server at ${redactUrl(url)} (CI's .ci/run starts one; set CM_TEST_DATABASE_URL to use another): ${(err as Error).message}`,
    );
  }
  return client;
}

/** A schema name unique to this process and seed: `cm_test_<pid>_<seed>`. */
export function testSchemaName(seed: number): string {
  return `cm_test_${process.pid}_${seed}`;
}

/** Opens the test database for a fresh private `schema` and points DATABASE_URL at it; pair with `dropTestSchema`. */
export async function openTestSchema(url: string, schema: string): Promise<pg.Client> {
  process.env['LOG_LEVEL'] ??= 'silent';
  const admin = await connectTestDatabase(url);
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  process.env['DATABASE_URL'] = url;
  return admin;
}

/** Drops a test file's schema and closes its client (either may be missing after a failed start). */
export async function dropTestSchema(admin: pg.Client | undefined, schema: string): Promise<void> {
  await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin?.end();
}

/** The URL with `search_path` set to `schema`, so unqualified table names land there. */
export function urlWithSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A row of the table as the tests read it: dates as text, numerics as numbers. */
export type LoadedRow = Record<string, unknown>;

/** Every row of a loaded table, ordered by customer_id, dates as `YYYY-MM-DD`, numerics as numbers. */
export async function readTable(client: pg.ClientBase, qualified: string, withLoadedAt = false): Promise<LoadedRow[]> {
  const cols = TABLE_COLUMNS.filter((c) => withLoadedAt || c.name !== 'loaded_at').map((c) => {
    const q = quoteIdent(c.name);
    if (c.type === 'date') return `${q}::text AS ${q}`;
    if (c.type === 'numeric') return `${q}::float8 AS ${q}`;
    return q;
  });
  const res = await client.query<LoadedRow>(`SELECT ${cols.join(', ')} FROM ${qualified} ORDER BY customer_id COLLATE "C"`);
  return res.rows;
}

/** Rebuilds the profile a row was loaded from (the row is lossless: typed columns + sources + extra). */
export function rowToProfile(row: LoadedRow): Profile {
  const sources = row['sources'] as SourceName[];
  const extra = (row['extra'] ?? {}) as Partial<Record<SourceName, SourceFields>>;
  const p: Record<string, unknown> = { customer_id: row['customer_id'] };
  for (const s of sources) {
    const fields: SourceFields = {};
    for (const c of SOURCE_COLUMNS_PG) {
      if (c.source !== s) continue;
      const v = row[c.name];
      if (v !== null && v !== undefined) fields[c.field!] = v as string | number;
    }
    Object.assign(fields, extra[s] ?? {});
    p[s] = fields;
  }
  p['health_score'] = row['health_score'];
  p['churn_risk'] = row['churn_risk'];
  p['expansion_potential'] = row['expansion_potential'];
  p['idempotency_key'] = row['idempotency_key'];
  return p as unknown as Profile;
}
