/**
 * Driver errors as pipeline errors: one line, no credentials or row data, retryable only when a
 * retry could help (dropped connection, deadlock, server starting up).
 */
import { PipelineError } from '../core/errors.js';
import { redactUrl, scrubSecrets } from './postgres-url.js';

/** A PostgreSQL failure while preparing or loading. `sqlstate` is PostgreSQL's error code. */
export class PostgresError extends PipelineError {
  readonly sqlstate: string | undefined;
  constructor(message: string, retryable: boolean, sqlstate?: string) {
    super('POSTGRES', message, retryable);
    this.sqlstate = sqlstate;
  }
}

/** SQLSTATE classes a retry can heal: connection, transaction rollback (deadlock, serialization),
 * insufficient resources, object in use, operator intervention (shutdown, starting up), system. */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '55', '57', '58', 'XX']);

interface DriverError {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly where?: unknown;
}

/** The SQLSTATE of a server error, or undefined for a network or client-side error. */
export function sqlstateOf(err: unknown): string | undefined {
  const code = (err as DriverError | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Whether a retry could heal `err`: transient server classes and every network-level error. */
export function isTransientPgError(err: unknown): boolean {
  const state = sqlstateOf(err);
  return state === undefined ? true : TRANSIENT_CLASSES.has(state.slice(0, 2));
}

/**
 * Wraps a driver error: `doing` says what failed, connection failures append the redacted URL;
 * the server's `where` is kept up to the column name, its `detail` (may quote a row) dropped.
 */
export function pgFailure(err: unknown, url: string, doing: string, connecting = false): PipelineError {
  if (err instanceof PipelineError) return err;
  const e = (err ?? {}) as DriverError;
  const state = sqlstateOf(err);
  let message = typeof e.message === 'string' && e.message !== '' ? e.message : String(err);
  if (message === 'AggregateError' || message === '') message = String(e.code ?? 'connection failed');
  const where = typeof e.where === 'string' ? /^COPY [^,]+, line \d+(?:, column \w+)?/.exec(e.where)?.[0] : undefined;
  const at = connecting ? ` at ${redactUrl(url)}` : '';
  const tail = `${where !== undefined ? ` (${where})` : ''}${state !== undefined ? ` [SQLSTATE ${state}]` : ''}`;
  return new PostgresError(scrubSecrets(`${doing}${at}: ${message}${tail}`, url), isTransientPgError(err), state);
}
