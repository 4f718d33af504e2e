/**
 * The sink descriptor that crosses task boundaries: which sink and, for PostgreSQL, which table.
 * It never carries a credential (task arguments are logged and stored by the platform).
 */
import { InvalidOptionError } from '../core/errors.js';
import type { SinkDescriptor } from './sink.js';
import { filesSink } from './files.js';
import type { PostgresSinkOptions } from './postgres.js';
import { DEFAULT_TABLE, checkIdentifier } from './postgres-schema.js';
import type { ProfileSink } from './sink.js';

/** Checks a raw `sink` field of a task input; undefined stays undefined (files). */
export function checkSinkDescriptor(raw: unknown, what: string): SinkDescriptor | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidOptionError(`${what}.sink must be an object like {"kind":"postgres"}, got ${JSON.stringify(raw)}`);
  }
  const o = raw as Record<string, unknown>;
  const allowed = o['kind'] === 'postgres' ? ['kind', 'table', 'schema'] : ['kind'];
  const unknown = Object.keys(o).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    // Name the keys only: a value here might be a credential put in by mistake.
    throw new InvalidOptionError(`${what}.sink has unsupported field(s) ${unknown.join(', ')} (connection settings come from DATABASE_URL, never from task arguments)`);
  }
  if (o['kind'] === 'files') return { kind: 'files' };
  if (o['kind'] === 'postgres') {
    const table = o['table'];
    const schema = o['schema'];
    if (table !== undefined && typeof table !== 'string') throw new InvalidOptionError(`${what}.sink.table must be a string, got ${JSON.stringify(table)}`);
    if (schema !== undefined && typeof schema !== 'string') throw new InvalidOptionError(`${what}.sink.schema must be a string, got ${JSON.stringify(schema)}`);
    checkIdentifier(table ?? DEFAULT_TABLE, 'PostgreSQL table name');
    if (schema !== undefined) checkIdentifier(schema, 'PostgreSQL schema name');
    return { kind: 'postgres', ...(table !== undefined ? { table } : {}), ...(schema !== undefined ? { schema } : {}) };
  }
  throw new InvalidOptionError(`${what}.sink.kind must be "files" or "postgres", got ${JSON.stringify(o['kind'])}`);
}

/** The sink a shard writes through (files when absent); the PostgreSQL client is loaded only when used. */
export function sinkFor(descriptor: SinkDescriptor | undefined): ProfileSink {
  if (descriptor === undefined || descriptor.kind === 'files') return filesSink;
  const options = pgOptions(descriptor);
  return {
    async open(input) {
      const { postgresSink } = await import('./postgres.js');
      return postgresSink(options).open(input);
    },
  };
}

/**
 * Run-level preparation before fan-out: for PostgreSQL, create or verify the table once, so a bad
 * database fails the run with one line instead of every shard through its retries.
 */
export async function prepareSink(descriptor: SinkDescriptor | undefined): Promise<void> {
  if (descriptor?.kind === 'postgres') {
    const { preparePostgresTarget } = await import('./postgres.js');
    await preparePostgresTarget(pgOptions(descriptor));
  }
}

function pgOptions(d: { readonly table?: string; readonly schema?: string }): PostgresSinkOptions {
  return { ...(d.table !== undefined ? { table: d.table } : {}), ...(d.schema !== undefined ? { schema: d.schema } : {}) };
}
