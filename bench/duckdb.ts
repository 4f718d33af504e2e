/**
 * The same merge and aggregate as the pipeline, written as DuckDB SQL (`@duckdb/node-api`, an
 * in-memory instance). Two jobs: the bench's baseline (every pipeline time is reported as a ratio
 * to this, measured side by side) and an independent oracle for the property suites (it shares no
 * code with src/core: parsing, validation, last-row-wins and enrichment are all re-stated in SQL).
 *
 * Rules restated (see src/core/schema.ts, rows.ts, merge.ts, enrich.ts):
 * - every data row of every file counts in `records_processed` (accepted or rejected);
 * - a row is rejected when its trimmed `customer_id` is empty or a known numeric/date cell does not
 *   fit its domain (same number regex, finiteness, integer, min/max; dates YYYY-MM-DD and real);
 *   a rejected row takes no part in the merge (it supersedes nothing);
 * - per customer and source, the last accepted row in file order wins (file order =
 *   `row_number() OVER ()` over the scan, which `preserve_insertion_order` keeps in file order);
 * - profiles = union of accepted customer ids over the four sources;
 * - status values are normalised (trim, lower-case, runs of whitespace/hyphens → `_`); missing
 *   usage counts as 50; missing NPS and missing open_tickets score nothing;
 * - avg_health_score = round(sum / profiles, 1).
 *
 * Not restated: CSV-level malformation (wrong field count, unclosed quote) makes DuckDB throw,
 * where the pipeline rejects the line; the oracle is meant for well-formed files.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export interface Levels {
  LOW: number;
  MEDIUM: number;
  HIGH: number;
}

/** The aggregate the pipeline's RunResult reports, as DuckDB computes it. */
export interface DuckdbAggregate {
  profiles_generated: number;
  records_processed: number;
  health_score_sum: number;
  avg_health_score: number;
  churn_distribution: Levels;
  expansion_distribution: Levels;
}

export interface DuckdbOptions {
  /** DuckDB worker threads; default: DuckDB's own default (all cores). */
  readonly threads?: number;
  /**
   * How cells are checked. `oracle` (default): every cell read as text and checked by the restated
   * rules, so a row the pipeline would reject is counted as read and left out of the merge.
   * `native`: numeric and date columns are read typed by DuckDB's CSV reader (it throws on a cell
   * it cannot convert) and only the domains (min/max, whole numbers) are checked in SQL; this is
   * DuckDB doing the job its own way, the fair baseline for timing on well-formed files.
   */
  readonly checks?: 'oracle' | 'native';
}

/** JS `\s` (what `normalizeStatus` and `String.prototype.trim` treat as white space), in RE2 syntax. */
const WS = String.raw`[\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]`;
/** schema.ts NUMBER_RE, which RE2 accepts unchanged. */
const NUMBER = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;

type Kind = { type: 'date' } | { type: 'int' | 'number'; min?: number; max?: number };

/** Known typed columns per source, restated from the tutorial (not imported: this is an oracle). */
const CHECKS: Record<string, Record<string, Kind>> = {
  crm: { employee_count: { type: 'int', min: 0 }, deal_value: { type: 'number', min: 0 }, last_contact: { type: 'date' } },
  billing: { mrr: { type: 'number', min: 0 }, subscription_start: { type: 'date' }, last_payment: { type: 'date' } },
  product: {
    signup_date: { type: 'date' },
    last_active: { type: 'date' },
    total_sessions: { type: 'int', min: 0 },
    features_used: { type: 'int', min: 0 },
    usage_pct: { type: 'number', min: 0, max: 100 },
  },
  support: {
    total_tickets: { type: 'int', min: 0 },
    open_tickets: { type: 'int', min: 0 },
    avg_resolution_hrs: { type: 'number', min: 0 },
    last_ticket_date: { type: 'date' },
    nps_score: { type: 'int', min: 1, max: 10 },
    csat_score: { type: 'number', min: 1, max: 5 },
  },
};

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** SQL true when cell `col` (VARCHAR, NULL when empty) fits its kind; an empty cell always fits. */
function fits(col: string, kind: Kind): string {
  const c = quoteIdent(col);
  if (kind.type === 'date') {
    return `(${c} IS NULL OR (regexp_full_match(${c}, '\\d{4}-\\d{2}-\\d{2}') AND try_strptime(${c}, '%Y-%m-%d') IS NOT NULL))`;
  }
  const v = `try_cast(${c} AS DOUBLE)`;
  const parts = [`regexp_full_match(${c}, '${NUMBER}')`, `isfinite(${v})`];
  if (kind.type === 'int') parts.push(`${v} = floor(${v})`);
  if (kind.min !== undefined) parts.push(`${v} >= ${kind.min}`);
  if (kind.max !== undefined) parts.push(`${v} <= ${kind.max}`);
  return `(${c} IS NULL OR (${parts.join(' AND ')}))`;
}

/** SQL of a normalised status value (see `normalizeStatus`), '' for NULL. */
function status(expr: string): string {
  const trimmed = `regexp_replace(${expr}, '^${WS}+|${WS}+$', '', 'g')`;
  return `coalesce(regexp_replace(lower(${trimmed}), '(?:${WS}|-)+', '_', 'g'), '')`;
}

/** Columns each source contributes to enrichment, as the two payload slots `a` and `b`. */
const PAYLOAD: Record<string, readonly [string, string | null]> = {
  crm: ['deal_stage', null],
  billing: ['payment_status', 'plan'],
  product: ['usage_pct', null],
  support: ['nps_score', 'open_tickets'],
};
const SOURCES = Object.keys(PAYLOAD);

/**
 * One branch per source: reads the file once, numbers rows in file order (`row_number() OVER ()`
 * on an order-preserving scan), checks each row the way the pipeline would, and keeps the id, the
 * row number, the verdict and the columns enrichment needs. Every column is read as VARCHAR so that
 * the checks, not DuckDB's own casting rules, decide what is valid.
 */
function sourceRowsSql(dataDir: string, source: string, checks: 'oracle' | 'native'): string {
  const file = quoteString(join(dataDir, `${source}.csv`));
  const known = Object.entries(CHECKS[source] ?? {});
  const [a, b] = PAYLOAD[source] ?? ['NULL', null];
  const payload = (col: string | null): string =>
    col === null ? 'NULL::VARCHAR' : checks === 'native' ? `${quoteIdent(col)}::VARCHAR` : quoteIdent(col);
  let id: string;
  let ok: string;
  let reader: string;
  const dialect = `header = true, delim = ',', quote = '"', escape = '"'`;
  if (checks === 'oracle') {
    id = `regexp_replace(customer_id, '^${WS}+|${WS}+$', '', 'g')`;
    ok = [`coalesce(${id}, '') <> ''`, ...known.map(([c, k]) => fits(c, k))].join(' AND ');
    reader = `read_csv(${file}, ${dialect}, all_varchar = true)`;
  } else {
    id = 'trim(customer_id)';
    ok = [`coalesce(${id}, '') <> ''`, ...known.map(([c, k]) => inDomain(c, k))].join(' AND ');
    const types = known.map(([c, k]) => `${quoteString(c)}: '${k.type === 'date' ? 'DATE' : 'DOUBLE'}'`).join(', ');
    reader = `read_csv(${file}, ${dialect}, auto_type_candidates = ['VARCHAR'], types = {${types}})`;
  }
  return `SELECT ${id} AS id, ${SOURCES.indexOf(source)} AS src, row_number() OVER () AS rn, (${ok}) AS ok,
      ${payload(a)} AS a, ${payload(b)} AS b
    FROM ${reader}`;
}

/** SQL true when typed cell `col` (DOUBLE or DATE, NULL when empty) lies in its domain. */
function inDomain(col: string, kind: Kind): string {
  if (kind.type === 'date') return 'true';
  const c = quoteIdent(col);
  const parts = [`isfinite(${c})`];
  if (kind.type === 'int') parts.push(`${c} = floor(${c})`);
  if (kind.min !== undefined) parts.push(`${c} >= ${kind.min}`);
  if (kind.max !== undefined) parts.push(`${c} <= ${kind.max}`);
  return `(${c} IS NULL OR (${parts.join(' AND ')}))`;
}

/** The last accepted row of one source per customer, as a struct (NULL when the source has none). */
function lastOf(source: string): string {
  return `arg_max({'a': a, 'b': b}, rn) FILTER (WHERE ok AND src = ${SOURCES.indexOf(source)})`;
}

/**
 * The whole merge and aggregate as one query over the four files: rows of all sources grouped by
 * customer id, the last accepted row per source picked with `arg_max` over the file-order row
 * number, then enrichment and the distributions. A group with no accepted row (e.g. only rejected
 * rows, or the empty id) counts its rows as read but is not a profile.
 */
export function aggregateSql(dataDir: string, checks: 'oracle' | 'native' = 'oracle'): string {
  return `
  WITH rows AS (${SOURCES.map((s) => sourceRowsSql(dataDir, s, checks)).join('\n    UNION ALL ')}),
  grouped AS (
    SELECT count(*) AS read, bool_or(ok) AS any_ok,
      ${lastOf('crm')} AS c, ${lastOf('billing')} AS bi, ${lastOf('product')} AS p, ${lastOf('support')} AS s
    FROM rows GROUP BY id),
  merged AS (
    SELECT
      coalesce(try_cast(p.a AS DOUBLE), 50) AS usage,
      try_cast(s.a AS DOUBLE) AS nps,
      try_cast(s.b AS DOUBLE) AS open,
      ${status('bi.a')} AS payment,
      ${status('bi.b')} AS plan,
      ${status('c.a')} AS stage
    FROM grouped WHERE any_ok),
  scored AS (
    SELECT
      greatest(0, least(100, 50
        + CASE WHEN usage >= 80 THEN 20 WHEN usage >= 60 THEN 10 WHEN usage < 30 THEN -10 ELSE 0 END
        + CASE WHEN payment = 'active' THEN 15 WHEN payment IN ('past_due', 'failed') THEN -15 ELSE 0 END
        + CASE WHEN nps IS NULL THEN 0 WHEN nps >= 9 THEN 10 WHEN nps >= 7 THEN 5 WHEN nps <= 5 THEN -10 ELSE 0 END
        + CASE WHEN open IS NULL THEN 0 WHEN open = 0 THEN 5 WHEN open > 3 THEN -5 ELSE 0 END)) AS health,
      (CASE WHEN usage < 30 THEN 3 WHEN usage < 50 THEN 1 ELSE 0 END
        + CASE WHEN payment IN ('past_due', 'failed') THEN 3 ELSE 0 END
        + CASE WHEN nps IS NOT NULL AND nps <= 6 THEN 2 ELSE 0 END
        + CASE WHEN open IS NOT NULL AND open > 3 THEN 1 ELSE 0 END) AS churn,
      (CASE WHEN usage >= 80 THEN 3 WHEN usage >= 60 THEN 1 ELSE 0 END
        + CASE WHEN plan IN ('starter', 'free', 'basic') THEN 2 WHEN plan IN ('business', 'professional') THEN 1 ELSE 0 END
        + CASE WHEN nps IS NOT NULL AND nps >= 9 THEN 2 ELSE 0 END
        + CASE WHEN stage = 'enterprise' THEN 1 ELSE 0 END) AS expansion
    FROM merged)
  SELECT
    count(*)::BIGINT AS profiles,
    coalesce(sum(health), 0)::BIGINT AS health_sum,
    count(*) FILTER (WHERE churn < 2)::BIGINT AS churn_low,
    count(*) FILTER (WHERE churn >= 2 AND churn < 5)::BIGINT AS churn_medium,
    count(*) FILTER (WHERE churn >= 5)::BIGINT AS churn_high,
    count(*) FILTER (WHERE expansion < 2)::BIGINT AS exp_low,
    count(*) FILTER (WHERE expansion >= 2 AND expansion < 5)::BIGINT AS exp_medium,
    count(*) FILTER (WHERE expansion >= 5)::BIGINT AS exp_high,
    (SELECT coalesce(sum(read), 0) FROM grouped)::BIGINT AS records
  FROM scored`;
}

/** round(sum / profiles, 1), 0 for no profiles: the pipeline's `averageHealth`, restated. */
export function roundedAverage(sum: number, profiles: number): number {
  return profiles === 0 ? 0 : Math.round((sum / profiles) * 10) / 10;
}

/**
 * Runs the merge and aggregate over `<dataDir>/{crm,billing,product,support}.csv` in a fresh
 * in-memory DuckDB and returns the figures the pipeline reports. Throws DuckDB's error (naming the
 * file) when a file is missing or not a well-formed CSV.
 */
export async function duckdbMerge(dataDir: string, opts: DuckdbOptions = {}): Promise<DuckdbAggregate> {
  const config: Record<string, string> = { preserve_insertion_order: 'true' };
  if (opts.threads !== undefined) config['threads'] = String(opts.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(aggregateSql(dataDir, opts.checks ?? 'oracle'));
    const row = reader.getRowObjectsJS()[0];
    if (row === undefined) throw new Error(`DuckDB returned no aggregate row for ${dataDir}`);
    const n = (key: string): number => Number(row[key] ?? 0);
    const profiles = n('profiles');
    const healthSum = n('health_sum');
    return {
      profiles_generated: profiles,
      records_processed: n('records'),
      health_score_sum: healthSum,
      avg_health_score: roundedAverage(healthSum, profiles),
      churn_distribution: { LOW: n('churn_low'), MEDIUM: n('churn_medium'), HIGH: n('churn_high') },
      expansion_distribution: { LOW: n('exp_low'), MEDIUM: n('exp_medium'), HIGH: n('exp_high') },
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
