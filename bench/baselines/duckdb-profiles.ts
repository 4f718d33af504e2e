/**
 * DuckDB doing the pipeline's whole job: merging the four sources, enriching, and writing one JSON
 * profile per customer to a file (each source's fields under its name, the scores, an
 * idempotency key), then reporting the same aggregate. The like-with-like baseline of the bench;
 * `duckdb.ts`'s aggregate-only query stays as the lower bound.
 *
 * The merge rule restated from src/core (merge.ts, rows.ts): per customer and source the last
 * accepted row in file order wins (here: the row with the largest `rowid` among the accepted rows
 * of that id, `rowid` being file order in a table loaded by CTAS with `preserve_insertion_order`);
 * a rejected row (empty id, a cell outside its domain) supersedes nothing and is only counted as
 * read; customers missing from CRM (orphans) still get a profile from the sources they are in;
 * empty cells are absent from a source's fields. Cells are read typed by DuckDB's CSV reader
 * (numbers DOUBLE, dates DATE, the rest text), as the aggregate baseline's `native` checks do.
 *
 * Numbers are written in DuckDB's notation (`250.0` where the pipeline writes `250`), and the
 * idempotency key hashes DuckDB's text of the sources, so the files are compared by content
 * (profile-digest.ts), not by bytes.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CHECKS, SCORES_SQL, SOURCES, inDomain, levelSql, payloadSql, quoteIdent, quoteString, roundedAverage } from '../duckdb.js';
import type { DuckdbAggregate } from '../duckdb.js';

/** DuckDB's memory limit when BENCH_DUCKDB_MEMORY does not say otherwise. */
export const DEFAULT_DUCKDB_MEMORY = '6GiB';

export interface DuckdbProfilesOptions {
  /** Folder the profiles file is written to (created by DuckDB's COPY; must exist). */
  readonly outDir: string;
  /** Where DuckDB spills when the memory limit is reached. */
  readonly tempDir: string;
  /** `SET memory_limit` value, e.g. `6GiB`. */
  readonly memoryLimit?: string;
  readonly threads?: number;
}

export interface DuckdbProfilesResult extends DuckdbAggregate {
  /** The JSON-lines files written (one here). */
  readonly files: readonly string[];
}

/** The memory limit: BENCH_DUCKDB_MEMORY when set, else the default. */
export function duckdbMemoryLimit(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const v = env['BENCH_DUCKDB_MEMORY'];
  if (v === undefined || v === '') return DEFAULT_DUCKDB_MEMORY;
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(v)) throw new RangeError(`BENCH_DUCKDB_MEMORY must be a size such as 6GiB or 4000MB, got ${JSON.stringify(v)}`);
  return v;
}

/** Loads one source with every column, typed, plus its id, verdict and enrichment slots. */
function loadAllSql(dataDir: string, i: number): string {
  const source = SOURCES[i]!;
  const file = quoteString(join(dataDir, `${source}.csv`));
  const known = Object.entries(CHECKS[source] ?? {});
  const [a, b] = payloadSql(source, 'native');
  const ok = [`coalesce(trim(customer_id), '') <> ''`, ...known.map(([c, k]) => inDomain(c, k))].join(' AND ');
  const types = known.map(([c, k]) => `${quoteString(c)}: '${k.type === 'date' ? 'DATE' : 'DOUBLE'}'`).join(', ');
  const reader = `read_csv(${file}, header = true, delim = ',', quote = '"', escape = '"', auto_type_candidates = ['VARCHAR'], types = {${types}})`;
  return `CREATE TEMP TABLE r${i} AS SELECT trim(customer_id) AS __id, (${ok}) AS __ok, ${a} AS __a, ${b} AS __b, * EXCLUDE (customer_id) FROM ${reader}`;
}

/** SQL of a row's fields as a JSON object, empty cells left out, columns in file order. */
function fieldsJsonSql(columns: readonly string[]): string {
  if (columns.length === 0) return `'{}'`;
  const parts = columns.map((c) => `CASE WHEN ${quoteIdent(c)} IS NOT NULL THEN ${quoteString(`${JSON.stringify(c)}:`)} || to_json(${quoteIdent(c)}) END`);
  return `'{' || concat_ws(',', ${parts.join(', ')}) || '}'`;
}

/** The last accepted row per customer of source `i` (largest rowid among its accepted rows), as its fields JSON and enrichment slots. */
function winnersSql(i: number, columns: readonly string[]): string {
  return `CREATE TEMP TABLE w${i} AS
    SELECT __id AS id, __a AS a${i}, __b AS b${i}, ${fieldsJsonSql(columns)} AS j${i}
    FROM r${i} WHERE rowid IN (SELECT max(rowid) FROM r${i} WHERE __ok GROUP BY __id)`;
}

/** Every customer with an accepted row in some source, its profile line and scores. */
export function profilesSql(): string {
  const sources = `'{' || concat_ws(',', ${SOURCES.map((s, i) => `'"${s}":' || j${i}`).join(', ')}) || '}'`;
  const parts = SOURCES.map((s, i) => `coalesce(',"${s}":' || j${i}, '')`).join(' || ');
  return `CREATE TEMP TABLE p AS
  WITH joined AS (
    SELECT id, j0, j1, j2, j3, a0 AS stage, a1 AS payment, b1 AS plan, a2 AS usage, a3 AS nps, b3 AS open
    FROM w0 FULL JOIN w1 USING (id) FULL JOIN w2 USING (id) FULL JOIN w3 USING (id)),
  merged AS (
    SELECT id, j0, j1, j2, j3, coalesce(usage, 50) AS usage, nps, open,
      coalesce(payment, 0) AS payment, coalesce(plan, 0) AS plan, coalesce(stage, 0) AS stage
    FROM joined),
  scored AS (SELECT id, j0, j1, j2, j3, ${SCORES_SQL} FROM merged)
  SELECT health, churn, expansion,
    '{"customer_id":' || to_json(id) || ${parts}
      || ',"health_score":' || health::VARCHAR
      || ',"churn_risk":"' || ${levelSql('churn')} || '","expansion_potential":"' || ${levelSql('expansion')}
      || '","idempotency_key":' || to_json(id || ':' || sha1(${sources})[1:16]) || '}' AS line
  FROM scored`;
}

async function columnsOf(conn: DuckDBConnection, table: string): Promise<string[]> {
  const r = await conn.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE table_name = ${quoteString(table)} ORDER BY column_index`);
  return r.getRowObjectsJS().map((row) => String(row['column_name'])).filter((c) => !c.startsWith('__'));
}

/**
 * Merges `<dataDir>/{crm,billing,product,support}.csv`, writes `<outDir>/profiles.jsonl` (one
 * profile per line) and returns the aggregate over the profiles written. DuckDB's errors (a
 * missing file, a cell it cannot convert, running out of memory or disk) are thrown as they are.
 */
export async function duckdbProfiles(dataDir: string, opts: DuckdbProfilesOptions): Promise<DuckdbProfilesResult> {
  const config: Record<string, string> = { preserve_insertion_order: 'true', memory_limit: opts.memoryLimit ?? DEFAULT_DUCKDB_MEMORY, temp_directory: opts.tempDir };
  if (opts.threads !== undefined) config['threads'] = String(opts.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  try {
    let records = 0;
    for (let i = 0; i < SOURCES.length; i++) {
      await conn.run(loadAllSql(dataDir, i));
      const n = await conn.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM r${i}`);
      records += Number(n.getRowObjectsJS()[0]?.['n'] ?? 0);
      await conn.run(winnersSql(i, await columnsOf(conn, `r${i}`)));
      await conn.run(`DROP TABLE r${i}`);
    }
    await conn.run(profilesSql());
    for (let i = 0; i < SOURCES.length; i++) await conn.run(`DROP TABLE w${i}`);
    // File order no longer matters: the profiles may be written in any order.
    await conn.run(`SET preserve_insertion_order = false`);
    const file = join(opts.outDir, 'profiles.jsonl');
    // Raw lines: no quoting, a delimiter that never occurs (one column).
    await conn.run(`COPY (SELECT line FROM p) TO ${quoteString(file)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01')`);
    const reader = await conn.runAndReadAll(`SELECT
      count(*)::BIGINT AS profiles, coalesce(sum(health), 0)::BIGINT AS health_sum,
      count(*) FILTER (WHERE churn < 2)::BIGINT AS churn_low,
      count(*) FILTER (WHERE churn >= 2 AND churn < 5)::BIGINT AS churn_medium,
      count(*) FILTER (WHERE churn >= 5)::BIGINT AS churn_high,
      count(*) FILTER (WHERE expansion < 2)::BIGINT AS exp_low,
      count(*) FILTER (WHERE expansion >= 2 AND expansion < 5)::BIGINT AS exp_medium,
      count(*) FILTER (WHERE expansion >= 5)::BIGINT AS exp_high
      FROM p`);
    const row = reader.getRowObjectsJS()[0] ?? {};
    const n = (key: string): number => Number(row[key] ?? 0);
    const profiles = n('profiles');
    const healthSum = n('health_sum');
    return {
      profiles_generated: profiles,
      records_processed: records,
      health_score_sum: healthSum,
      avg_health_score: roundedAverage(healthSum, profiles),
      churn_distribution: { LOW: n('churn_low'), MEDIUM: n('churn_medium'), HIGH: n('churn_high') },
      expansion_distribution: { LOW: n('exp_low'), MEDIUM: n('exp_medium'), HIGH: n('exp_high') },
      files: [file],
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
