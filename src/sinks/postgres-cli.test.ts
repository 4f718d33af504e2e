/**
 * `npm start -- --sink postgres` as a user runs it (the compiled CLI in a child process): a load
 * and a re-run report inserted / updated / unchanged, and an unreachable server fails with one
 * credential-free line and a non-zero exit. The table lands in a private schema through the
 * URL's `options=-c search_path=…`, exactly as a user could aim it. Needs `npm run build`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../tasks/contracts.js';
import { connectTestDatabase, testDatabaseUrl, testSchemaName, urlWithSearchPath } from '../testing/postgres-testkit.js';
import { unusedPort } from '../testing/net.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/src/cli.js');
const fixture = join(root, 'src/testdata/tutorial-2000');
const seed = Number(process.env['CM_TEST_SEED'] ?? Math.floor(Math.random() * 1e6));
const schema = testSchemaName(seed);
const PASSWORD = `pw-${seed}-never-shown`;
let admin: pg.Client;

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    // Only what the test passes: an inherited DATABASE_URL must not aim the CLI elsewhere.
    const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
    delete childEnv['DATABASE_URL'];
    Object.assign(childEnv, env);
    execFile(process.execPath, [cli, ...args], { env: childEnv, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The test database's URL with a password added (trust auth ignores it) and the private schema. */
function secretUrl(): string {
  const u = new URL(urlWithSearchPath(testDatabaseUrl(), schema));
  if (u.username === '') u.username = 'postgres';
  u.password = PASSWORD;
  return u.toString();
}

beforeAll(async () => {
  admin = await connectTestDatabase();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.query(`CREATE SCHEMA "${schema}"`);
});

afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin?.end();
});

describe(`npm start -- --sink postgres (schema ${schema}, seed ${seed})`, () => {
  it('loads the fixture, then a re-run reports every row unchanged; the password never appears', async () => {
    const out = await mkdtemp(join(tmpdir(), 'cm-pg-cli-'));
    const first = await runCli(['--sink', 'postgres', '--database-url', secretUrl(), '--data', fixture, '--out', out, '--shards', '4']);
    expect(first.stderr + first.stdout).not.toContain(PASSWORD);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('profiles loaded into postgres:customer_profiles (4 shards, one transaction each)');
    expect(first.stdout).toMatch(/rows\s+inserted 2000, updated 0, unchanged 0/);
    const n = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".customer_profiles`);
    expect(n.rows[0]!.n).toBe(2000);

    const again = await runCli(['--sink', 'postgres', '--json', '--data', fixture, '--out', out, '--shards', '3'], { DATABASE_URL: secretUrl() });
    expect(again.stderr + again.stdout).not.toContain(PASSWORD);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as RunResult).load).toEqual({ inserted: 0, updated: 0, unchanged: 2000 });
  });

  it('an unreachable server: exit code 1 and exactly one line on stderr, without credentials', async () => {
    const port = await unusedPort();
    const bad = `postgres://loader:${PASSWORD}@127.0.0.1:${port}/profiles?sslpassword=${PASSWORD}x`;
    const out = await mkdtemp(join(tmpdir(), 'cm-pg-cli-'));
    const r = await runCli(['--sink', 'postgres', '--database-url', bad, '--data', fixture, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toEqual([`customer-merge: cannot connect to PostgreSQL at postgres://loader:***@127.0.0.1:${port}/profiles?…: connect ECONNREFUSED 127.0.0.1:${port}`]);
  });

  it('--database-url without --sink postgres is refused', async () => {
    const r = await runCli(['--database-url', 'postgres://h/db']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--database-url is only used with --sink postgres');
  });
});
