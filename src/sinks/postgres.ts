/**
 * The PostgreSQL sink: per shard, check the table (short locked transaction), then ONE transaction
 * that COPYs the profiles into a TEMP staging table and upserts where the idempotency key differs.
 * A shard's rows appear all at once or not at all, a re-run changes no row, a retry adds no
 * duplicate, and the URL appears only redacted.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CopyStreamQuery } from 'pg-copy-streams';
import { profileOf } from '../core/profile.js';
import type { ProfileLine } from '../core/profile.js';
import { COPY_COLUMNS, encodeProfile } from './postgres-copy.js';
import { pgFailure } from './postgres-errors.js';
import { DEFAULT_TABLE, LOAD_COLUMNS, checkIdentifier, ensureTable, qualifiedName, quoteIdent, targetLabel } from './postgres-schema.js';
import type { PgTarget } from './postgres-schema.js';
import { DATABASE_URL_ENV, checkDatabaseUrl } from './postgres-url.js';
import type { ProfileSink, ShardTarget, SinkReceipt, SinkSession } from './sink.js';

export interface PostgresSinkOptions {
  /** Connection URL; default: `DATABASE_URL` of this process's environment, read at `open`. */
  readonly url?: string;
  /** Table name (default `customer_profiles`). */
  readonly table?: string;
  /** Schema of the table; default: the connection's search_path (normally `public`). */
  readonly schema?: string;
  /** Connect timeout in ms (default 10 s), so an unreachable host fails in bounded time. */
  readonly connectTimeoutMs?: number;
}

/** Rows inserted, updated and unchanged by one load. */
export interface LoadCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Runs in a shard's load after COPY and the upsert, just before COMMIT. */
export type BeforeCommit = (input: ShardTarget) => void | Promise<void>;

let beforeCommit: BeforeCommit | undefined;

/**
 * Sets (or clears, with undefined) the step every load of this process runs just before COMMIT:
 * a seam for tests that kill a shard mid-load; production never sets it.
 */
export function setBeforeCommit(step: BeforeCommit | undefined): void {
  beforeCommit = step;
}

const FLUSH_BYTES = 1 << 16;

/** Resolves the target from options, checking names (permanent error when bad). */
export function resolveTarget(options: Pick<PostgresSinkOptions, 'table' | 'schema'>): PgTarget {
  const table = checkIdentifier(options.table ?? DEFAULT_TABLE, 'PostgreSQL table name');
  return options.schema === undefined ? { table } : { schema: checkIdentifier(options.schema, 'PostgreSQL schema name'), table };
}

/** What `output_file` says for a shard loaded into `target`: `postgres:customer_profiles#shard-0003-of-0010`. */
export function loadLabel(target: PgTarget, input: Pick<ShardTarget, 'shard_index' | 'shard_count'>): string {
  const pad = (n: number): string => String(n).padStart(4, '0');
  return `postgres:${targetLabel(target)}#shard-${pad(input.shard_index)}-of-${pad(input.shard_count)}`;
}

/** Opens a connected client; failures become one-line, credential-free, retryable errors. */
export async function connect(url: string, connectTimeoutMs = 10_000): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, application_name: 'customer-merge' });
  // An idle connection that dies emits 'error'; without a listener that would crash the worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw pgFailure(err, url, 'cannot connect to PostgreSQL', true);
  }
  return client;
}

/** Checks the connection and prepares the table once before fan-out; returns the target's label. */
export async function preparePostgresTarget(options: PostgresSinkOptions = {}): Promise<string> {
  const url = checkDatabaseUrl(options.url ?? process.env[DATABASE_URL_ENV]);
  const target = resolveTarget(options);
  const client = await connect(url, options.connectTimeoutMs);
  try {
    await ensureTable(client, target).catch((err: unknown) => {
      throw pgFailure(err, url, `preparing table ${targetLabel(target)}`);
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  return targetLabel(target);
}

/** The PostgreSQL sink. Each `open` is one shard's connection and transaction. */
export function postgresSink(options: PostgresSinkOptions = {}): ProfileSink {
  return { open: (input) => openLoad(options, input) };
}

/** A shard's load in progress, with what it has staged so far. */
export interface PostgresLoadSession extends SinkSession {
  /** Rows and bytes staged; `elapsedMs` from connect to COMMIT once committed. */
  readonly stats: { readonly rows: number; readonly bytes: number; readonly elapsedMs: number };
}

/**
 * Opens one shard's load: connects, prepares the table, BEGINs, creates the TEMP staging table
 * (dropped at COMMIT, and with the session on any failure) and starts the COPY.
 */
export async function openLoad(options: PostgresSinkOptions, input: ShardTarget): Promise<PostgresLoadSession> {
  const url = checkDatabaseUrl(options.url ?? process.env[DATABASE_URL_ENV]);
  const target = resolveTarget(options);
  const t0 = performance.now();
  const client = await connect(url, options.connectTimeoutMs);
  const doing = `loading shard ${input.shard_index} of ${input.shard_count} into ${targetLabel(target)}`;
  try {
    await ensureTable(client, target);
    await client.query('BEGIN');
    const stage = `cm_stage_${String(input.shard_index).padStart(4, '0')}`;
    const defs = LOAD_COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
    await client.query(`CREATE TEMP TABLE ${stage} (${defs}) ON COMMIT DROP`);
    const copy = client.query(copyFrom(`COPY ${stage} (${COPY_COLUMNS.map(quoteIdent).join(', ')}) FROM STDIN`));
    return new PgSession(client, copy, { url, target, stage, input, doing, t0 });
  } catch (err) {
    await client.end().catch(() => undefined);
    throw pgFailure(err, url, doing);
  }
}

interface SessionInfo {
  readonly url: string;
  readonly target: PgTarget;
  readonly stage: string;
  readonly input: ShardTarget;
  readonly doing: string;
  readonly t0: number;
}

/** One shard's open load: a COPY in progress inside an open transaction. */
class PgSession implements PostgresLoadSession {
  private pending = '';
  private readonly hash = createHash('sha256');
  private copyError: unknown;
  private closed = false;
  private copying = true;
  /** Rows staged and bytes sent so far; the load's elapsed time once committed. */
  readonly stats = { rows: 0, bytes: 0, elapsedMs: 0 };

  constructor(
    private readonly client: pg.Client,
    private readonly copy: CopyStreamQuery,
    private readonly info: SessionInfo,
  ) {
    copy.on('error', (err) => {
      this.copyError ??= err;
    });
  }

  async write(profile: ProfileLine): Promise<void> {
    this.pending += encodeProfile(profileOf(profile));
    this.stats.rows++;
    if (this.pending.length < FLUSH_BYTES) return;
    try {
      await this.flush();
    } catch (err) {
      // The server may refuse a row while later ones are still streaming: report its error.
      throw pgFailure(this.copyError ?? err, this.info.url, this.info.doing);
    }
  }

  async commit(): Promise<SinkReceipt> {
    if (this.closed) throw new Error(`${this.info.doing}: session already closed`);
    try {
      await this.flush();
      this.copy.end();
      await finished(this.copy);
      this.copying = false;
      const staged = this.copy.rowCount;
      const counts = await this.upsert(staged);
      if (beforeCommit !== undefined) await beforeCommit(this.info.input);
      await this.client.query('COMMIT');
      this.stats.elapsedMs = performance.now() - this.info.t0;
      this.closed = true;
      await this.client.end().catch(() => undefined);
      return { output_file: loadLabel(this.info.target, this.info.input), checksum: this.hash.digest('hex'), load: counts };
    } catch (err) {
      throw pgFailure(this.copyError ?? err, this.info.url, this.info.doing);
    }
  }

  /** Rolls back (nothing of this shard becomes visible) and closes the connection. Never throws. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.copying && !this.copy.destroyed) {
        // Destroying a COPY-in stream sends CopyFail: the server ends the COPY with an error.
        this.copy.destroy();
        await withTimeout(once(this.copy, 'close'), 5000).catch(() => undefined);
      }
      await withTimeout(this.client.query('ROLLBACK'), 5000);
    } catch {
      // Closing the connection below rolls the transaction back anyway.
    } finally {
      await withTimeout(this.client.end(), 5000).catch(() => undefined);
    }
  }

  private async flush(): Promise<void> {
    if (this.copyError !== undefined) throw this.copyError;
    if (this.pending === '') return;
    const buf = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.hash.update(buf);
    this.stats.bytes += buf.length;
    if (!this.copy.write(buf)) await once(this.copy, 'drain');
  }

  /** The one statement that makes staged rows final; only changed or new customers are written. */
  private async upsert(staged: number): Promise<LoadCounts> {
    const q = qualifiedName(this.info.target);
    const cols = COPY_COLUMNS.map(quoteIdent).join(', ');
    const sets = COPY_COLUMNS.filter((c) => c !== 'customer_id')
      .map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`)
      .join(', ');
    const res = await this.client.query<{ inserted: number; updated: number }>(
      `WITH up AS (
         INSERT INTO ${q} AS t (${cols})
         SELECT ${cols} FROM ${this.info.stage} ORDER BY customer_id
         ON CONFLICT (customer_id) DO UPDATE SET ${sets}, loaded_at = now()
         WHERE t.idempotency_key IS DISTINCT FROM EXCLUDED.idempotency_key
         RETURNING (t.xmax = 0) AS inserted
       )
       SELECT (count(*) FILTER (WHERE inserted))::int AS inserted,
              (count(*) FILTER (WHERE NOT inserted))::int AS updated
         FROM up`,
    );
    const row = res.rows[0] ?? { inserted: 0, updated: 0 };
    return { inserted: row.inserted, updated: row.updated, unchanged: staged - row.inserted - row.updated };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
