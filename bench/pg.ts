/**
 * PostgreSQL plumbing of the bench's load measurement: is a database reachable (DATABASE_URL, else
 * the local default the CLI uses), and dropping the scratch tables the pg cases created. The
 * workers read DATABASE_URL from their environment, so a reachable default is exported to it.
 * Messages never carry the URL's credentials (the sink's own errors redact them).
 */
import { connect } from '../src/sinks/postgres.js';
import { DATABASE_URL_ENV, LOCAL_DATABASE_URL, checkDatabaseUrl } from '../src/sinks/postgres-url.js';

export async function pgReady(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const url = checkDatabaseUrl(process.env[DATABASE_URL_ENV] || LOCAL_DATABASE_URL);
    const client = await connect(url, 5000);
    await client.end().catch(() => undefined);
    process.env[DATABASE_URL_ENV] = url;
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '' };
  }
}

/** Drops the bench's scratch tables (names made by the bench: `bench_profiles_<pid>_<n>`). */
export async function dropPgTables(tables: readonly string[]): Promise<void> {
  const url = checkDatabaseUrl(process.env[DATABASE_URL_ENV] || LOCAL_DATABASE_URL);
  const client = await connect(url, 5000);
  try {
    for (const t of tables) {
      if (!/^bench_profiles_\d+_\d+$/.test(t)) throw new Error(`refusing to drop ${JSON.stringify(t)}: not a bench table`);
      await client.query(`DROP TABLE IF EXISTS "${t}"`);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
