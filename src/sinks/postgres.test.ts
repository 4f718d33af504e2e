/**
 * The PostgreSQL sink against a real server (the tests fail, never skip, when it is not
 * reachable). Everything happens in a private schema `cm_test_<pid>_<seed>`, dropped afterwards.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPermanent } from '../core/errors.js';
import { buildProfile, profileLine } from '../core/profile.js';
import type { Profile } from '../core/profile.js';
import { InlineRuntime } from '../runtime/inline.js';
import type { RunResult, ShardInput } from '../tasks/contracts.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import { openLoad, preparePostgresTarget } from './postgres.js';
import { PostgresError } from './postgres-errors.js';
import { PostgresSchemaError, SCHEMA_VERSION } from './postgres-schema.js';
import { dropTestSchema, openTestSchema, readTable, rowToProfile, testDatabaseUrl, testSchemaName } from '../testing/postgres-testkit.js';
import { DatabaseUrlError } from './postgres-url.js';
import { unusedPort } from '../testing/net.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = join(root, 'src/testdata/tutorial-2000');
const expected = JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')) as {
  health_sum: number;
  churn_distribution: Record<string, number>;
  expansion_distribution: Record<string, number>;
};
const seed = Number(process.env['CM_TEST_SEED'] ?? Math.floor(Math.random() * 1e6));
const schema = testSchemaName(seed);
const url = testDatabaseUrl();
let admin: pg.Client;

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), 'cm-pg-'));
const q = (table: string): string => `"${schema}"."${table}"`;

async function runInto(data: string, table: string, shards = 10): Promise<RunResult> {
  return new InlineRuntime().run(mergeCustomerData, { data, out_dir: await tmp(), shards, sink: { kind: 'postgres', schema, table } });
}

async function jsonProfiles(data: string, shards = 3): Promise<Profile[]> {
  const r = await new InlineRuntime().run(mergeCustomerData, { data, out_dir: await tmp(), shards });
  const out: Profile[] = [];
  for (const f of r.output_files) {
    for (const line of (await readFile(join(r.out_dir, f), 'utf8')).split('\n')) if (line !== '') out.push(JSON.parse(line) as Profile);
  }
  return out.sort((a, b) => (a.customer_id < b.customer_id ? -1 : 1));
}

async function count(table: string): Promise<number> {
  return Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(table)}`)).rows[0]!.n);
}

function shardInput(out_dir: string, shard_index = 0, shard_count = 1): ShardInput {
  return { run_id: `test-${seed}`, shard_index, shard_count, data: fixture, out_dir };
}


beforeAll(async () => {
  admin = await openTestSchema(url, schema);
});

afterAll(() => dropTestSchema(admin, schema));

describe(`PostgreSQL sink: tutorial-2000 into ${schema}.profiles (seed ${seed})`, () => {
  let first: RunResult;

  it('first load inserts every customer, and each row is exactly its JSON profile, typed', async () => {
    first = await runInto(fixture, 'profiles');
    expect(first.profiles_generated).toBe(2000);
    expect(first.load).toEqual({ inserted: 2000, updated: 0, unchanged: 0 });
    expect(first.output_files[3]).toBe(`postgres:${schema}.profiles#shard-0003-of-0010`);
    expect(first.shards.every((s) => /^[0-9a-f]{64}$/.test(s.checksum))).toBe(true);
    expect(await count('profiles')).toBe(2000);

    const rows = await readTable(admin, q('profiles'));
    expect(rows.map(rowToProfile)).toEqual(await jsonProfiles(fixture));

    const stats = await admin.query<{ churn_risk: string; n: number }>(`SELECT churn_risk, count(*)::int AS n FROM ${q('profiles')} GROUP BY 1`);
    expect(Object.fromEntries(stats.rows.map((r) => [r.churn_risk, r.n]))).toEqual(expected.churn_distribution);
    const sum = await admin.query<{ s: number }>(`SELECT sum(health_score)::int AS s FROM ${q('profiles')}`);
    expect(sum.rows[0]!.s).toBe(expected.health_sum);

    // Numbers are numbers and dates are dates in the database itself.
    const typed = await admin.query<{ deal: string; contact: string; emp: number; t1: string; t2: string; t3: string }>(
      `SELECT deal_value + 0 AS deal, (last_contact + 1)::text AS contact, employee_count * 2 AS emp,
              pg_typeof(deal_value)::text AS t1, pg_typeof(last_contact)::text AS t2, pg_typeof(health_score)::text AS t3
         FROM ${q('profiles')} WHERE customer_id = 'cust_00000001'`,
    );
    expect(typed.rows[0]).toEqual({ deal: '2725', contact: '2025-10-24', emp: 50, t1: 'numeric', t2: 'date', t3: 'integer' });
  });

  it('records the schema version and indexes churn risk and health score', async () => {
    const c = await admin.query<{ c: string }>(`SELECT obj_description('${q('profiles')}'::regclass, 'pg_class') AS c`);
    expect(c.rows[0]!.c).toBe(`customer-merge profiles schema v${SCHEMA_VERSION}`);
    const idx = await admin.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename = 'profiles'`, [schema]);
    const defs = idx.rows.map((r) => r.def).join('\n');
    expect(defs).toMatch(/\(churn_risk, health_score\)/);
    expect(defs).toMatch(/\(health_score\)/);
    expect(defs).toMatch(/UNIQUE INDEX .*\(customer_id\)/);
  });

  it('a re-run of the same input changes no row: 0 inserted, 0 updated, 2000 unchanged', async () => {
    const before = await admin.query(`SELECT customer_id, loaded_at FROM ${q('profiles')} ORDER BY 1`);
    const again = await runInto(fixture, 'profiles');
    expect(again.load).toEqual({ inserted: 0, updated: 0, unchanged: 2000 });
    expect(again.shards.map((s) => s.checksum)).toEqual(first.shards.map((s) => s.checksum));
    const after = await admin.query(`SELECT customer_id, loaded_at FROM ${q('profiles')} ORDER BY 1`);
    expect(after.rows).toEqual(before.rows);
  });

  it('after one source row changes, exactly that customer is updated', async () => {
    const data = await tmp();
    await cp(fixture, data, { recursive: true });
    const billing = await readFile(join(data, 'billing.csv'), 'utf8');
    const changed = billing.replace('cust_00000002,billing_2@example.com,Business,286,', 'cust_00000002,billing_2@example.com,Business,999.5,');
    expect(changed).not.toBe(billing);
    await writeFile(join(data, 'billing.csv'), changed);

    const before = await admin.query<{ customer_id: string; loaded_at: Date; idempotency_key: string }>(
      `SELECT customer_id, loaded_at, idempotency_key FROM ${q('profiles')} ORDER BY 1`,
    );
    const r = await runInto(data, 'profiles');
    expect(r.load).toEqual({ inserted: 0, updated: 1, unchanged: 1999 });
    const after = await admin.query<{ customer_id: string; loaded_at: Date; idempotency_key: string }>(
      `SELECT customer_id, loaded_at, idempotency_key FROM ${q('profiles')} ORDER BY 1`,
    );
    const moved = after.rows.filter((row, i) => row.loaded_at.getTime() !== before.rows[i]!.loaded_at.getTime() || row.idempotency_key !== before.rows[i]!.idempotency_key);
    expect(moved.map((m) => m.customer_id)).toEqual(['cust_00000002']);
    const mrr = await admin.query<{ mrr: string }>(`SELECT mrr::text AS mrr FROM ${q('profiles')} WHERE customer_id = 'cust_00000002'`);
    expect(mrr.rows[0]!.mrr).toBe('999.5');
    expect((await readTable(admin, q('profiles'))).map(rowToProfile)).toEqual(await jsonProfiles(data));
  });
});

describe(`PostgreSQL sink: awkward text survives COPY (seed ${seed})`, () => {
  const names = [
    'Comma, Inc.',
    'The "Quoted" Co',
    'Line\nBreak Ltd',
    'CR\r\nLF GmbH',
    'Tab\tSeparated',
    'Back\\slash \\N \\. \\t',
    'Zoë & Ångström — 東京 株式会社 🚀',
    ' padded ',
    '\\',
  ];
  const cell = (s: string): string => `"${s.replace(/"/g, '""')}"`;

  it('loads commas, quotes, newlines, tabs, backslashes and non-ASCII exactly, in columns and in extra', async () => {
    const data = await tmp();
    const crm = ['customer_id,email,company_name,industry,employee_count,deal_stage,deal_value,sales_owner,last_contact,notes'];
    names.forEach((n, i) => {
      const id = `cust_${String(i + 1).padStart(8, '0')}`;
      crm.push([id, `x${i}@example.com`, n, 'Retail', String(10 + i), 'Enterprise', '1234.56', 'Ana "A" Wu', '2025-02-28', `note ${n}`].map(cell).join(','));
    });
    await writeFile(join(data, 'crm.csv'), `${crm.join('\r\n')}\r\n`);
    await writeFile(join(data, 'billing.csv'), 'customer_id,email,plan,mrr,payment_status,subscription_start,last_payment\ncust_00000001,b@x.io,Starter,10,Past Due,2024-01-01,2025-01-01\n');
    await writeFile(join(data, 'product.csv'), 'customer_id,email,signup_date,last_active,total_sessions,features_used,usage_pct,account_status\n');
    await writeFile(join(data, 'support.csv'), 'customer_id,email,total_tickets,open_tickets,avg_resolution_hrs,last_ticket_date,nps_score,csat_score\ncust_00000099,s@x.io,3,0,1.5,2025-03-01,9,4.5\n');

    const r = await runInto(data, 'awkward', 3);
    expect(r.load).toEqual({ inserted: names.length + 1, updated: 0, unchanged: 0 });
    const back = await admin.query<{ company_name: string }>(`SELECT company_name FROM ${q('awkward')} WHERE company_name IS NOT NULL ORDER BY customer_id`);
    expect(back.rows.map((x) => x.company_name)).toEqual(names);
    const extra = await admin.query<{ note: string }>(`SELECT extra->'crm'->>'notes' AS note FROM ${q('awkward')} WHERE customer_id = 'cust_00000006'`);
    expect(extra.rows[0]!.note).toBe(`note ${names[5]}`);
    expect((await readTable(admin, q('awkward'))).map(rowToProfile)).toEqual(await jsonProfiles(data));
    const again = await runInto(data, 'awkward', 2);
    expect(again.load).toEqual({ inserted: 0, updated: 0, unchanged: names.length + 1 });
  });
});

describe(`PostgreSQL sink: nothing half-loaded (seed ${seed})`, () => {
  const opts = { url, schema, table: 'atomic' };
  let base: Profile[];

  beforeAll(async () => {
    base = await jsonProfiles(fixture);
    const s = await openLoad(opts, shardInput(await tmp()));
    for (const p of base.slice(0, 500)) await s.write(profileLine(p));
    expect((await s.commit()).load).toEqual({ inserted: 500, updated: 0, unchanged: 0 });
  });

  it('abort after the rows were streamed by COPY leaves the table as it was', async () => {
    const before = await readTable(admin, q('atomic'), true);
    const s = await openLoad(opts, shardInput(await tmp()));
    // 2,000 profiles are far more than one 64 KiB flush: the server has received staged rows.
    for (const p of base) await s.write(profileLine({ ...p, idempotency_key: `${p.idempotency_key}-v2` }));
    expect(s.stats.bytes).toBeGreaterThan(1 << 16);
    await s.abort();
    expect(await readTable(admin, q('atomic'), true)).toEqual(before);
  });

  it('a row the upsert refuses fails the whole shard, permanently, and none of its rows appear', async () => {
    const before = await readTable(admin, q('atomic'), true);
    const s = await openLoad(opts, shardInput(await tmp()));
    for (const p of base.slice(500, 900)) await s.write(profileLine(p));
    await s.write(profileLine({ ...buildProfile('cust_99999999', {}), health_score: 101 }));
    let caught: unknown;
    try {
      await s.commit();
    } catch (err) {
      caught = err;
    }
    await s.abort();
    expect(caught).toBeInstanceOf(PostgresError);
    expect((caught as PostgresError).sqlstate).toBe('23514');
    expect(isPermanent(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/^loading shard 0 of 1 into cm_test_\d+_\d+\.atomic: .*check constraint/);
    expect(await readTable(admin, q('atomic'), true)).toEqual(before);
  });

  it('a value the server refuses during COPY names line and column, not the row, and loads nothing', async () => {
    const before = await count('atomic');
    const s = await openLoad(opts, shardInput(await tmp()));
    let err: unknown;
    try {
      for (const p of base.slice(900, 1000)) await s.write(profileLine(p));
      await s.write(profileLine(buildProfile('cust_99999998', { crm: { company_name: 'Secret Corp', last_contact: '0000-01-01' } })));
      // Many more rows after the bad one: the server's refusal may surface while they stream.
      for (const p of base.slice(1000)) await s.write(profileLine(p));
      await s.commit();
    } catch (e) {
      err = e;
    }
    await s.abort();
    expect(err).toBeInstanceOf(PostgresError);
    expect((err as Error).message).toMatch(/COPY cm_stage_0000, line 101, column last_contact/);
    expect((err as Error).message).not.toContain('Secret Corp');
    expect(isPermanent(err)).toBe(true);
    expect(await count('atomic')).toBe(before);
  });

  it('shards opening at once on a missing table create it once and all load', async () => {
    const o = { url, schema, table: 'concurrent' };
    const sessions = await Promise.all(Array.from({ length: 6 }, async (_, i) => openLoad(o, shardInput(`/tmp/unused-${seed}`, i, 6))));
    const counts = await Promise.all(
      sessions.map(async (s, i) => {
        for (const p of base.filter((_, k) => k % 6 === i)) await s.write(profileLine(p));
        return (await s.commit()).load;
      }),
    );
    expect(counts.reduce((n, c) => n + c!.inserted, 0)).toBe(2000);
    expect(await count('concurrent')).toBe(2000);
  });
});

describe(`PostgreSQL sink: an incompatible table is a clear, permanent error (seed ${seed})`, () => {
  const prepare = (table: string): Promise<unknown> => preparePostgresTarget({ url, schema, table }).then(() => undefined, (e: unknown) => e);

  it('refuses a table it did not create, and leaves it untouched', async () => {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await admin.query(`CREATE TABLE ${q('theirs')} (customer_id text PRIMARY KEY, note text)`);
    await admin.query(`INSERT INTO ${q('theirs')} VALUES ('cust_00000001', 'keep me')`);
    const err = await new InlineRuntime().run(mergeCustomerData, { data: fixture, out_dir: await tmp(), shards: 2, sink: { kind: 'postgres', schema, table: 'theirs' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`table ${schema}.theirs exists but was not created by customer-merge`);
    expect(isPermanent(err)).toBe(true);
    expect((await admin.query(`SELECT * FROM ${q('theirs')}`)).rows).toEqual([{ customer_id: 'cust_00000001', note: 'keep me' }]);
    // A shard started on its own checks too.
    await expect(openLoad({ url, schema, table: 'theirs' }, shardInput(await tmp()))).rejects.toBeInstanceOf(PostgresSchemaError);
  });

  it('refuses another schema version', async () => {
    expect(await prepare('versioned')).toBeUndefined();
    await admin.query(`COMMENT ON TABLE ${q('versioned')} IS 'customer-merge profiles schema v${SCHEMA_VERSION + 1}'`);
    const err = await prepare('versioned');
    expect(err).toBeInstanceOf(PostgresSchemaError);
    expect((err as Error).message).toContain(`has customer-merge schema version ${SCHEMA_VERSION + 1}, this build writes version ${SCHEMA_VERSION}`);
  });

  it('refuses a mistyped or missing column, naming each', async () => {
    expect(await prepare('reshaped')).toBeUndefined();
    await admin.query(`ALTER TABLE ${q('reshaped')} ALTER COLUMN mrr TYPE text, DROP COLUMN extra`);
    const err = await prepare('reshaped');
    expect(err).toBeInstanceOf(PostgresSchemaError);
    expect((err as PostgresSchemaError).retryable).toBe(false);
    expect((err as Error).message).toContain('column mrr is text, expected numeric');
    expect((err as Error).message).toContain('column extra is missing');
  });
});

describe(`PostgreSQL sink: connection problems say so in one credential-free line (seed ${seed})`, () => {
  it('an unreachable server is a retryable error naming the redacted URL only', async () => {
    const bad = `postgres://loader:hunter22@127.0.0.1:${await unusedPort()}/profiles?sslpassword=sekrit99`;
    const err = await openLoad({ url: bad }, shardInput(await tmp())).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PostgresError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/loader:\*\*\*@127\.0\.0\.1:\d+\/profiles\?…: .*ECONNREFUSED/);
    expect(msg).not.toMatch(/hunter22|sekrit99/);
    expect(msg).not.toContain('\n');
    expect(isPermanent(err)).toBe(false);
  });

  it('the run fails at once, before any shard starts, when the database is unreachable', async () => {
    const saved = process.env['DATABASE_URL'];
    process.env['DATABASE_URL'] = `postgres://loader:hunter22@127.0.0.1:${await unusedPort()}/x`;
    try {
      const rt = new InlineRuntime();
      const shardRuns: string[] = [];
      rt.on((e) => {
        if (e.type === 'run_started' && e.task === 'process_shard') shardRuns.push(e.runId);
      });
      const err = await rt.run(mergeCustomerData, { data: fixture, out_dir: await tmp(), shards: 4, sink: { kind: 'postgres', schema } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error).message).toMatch(/cannot connect to PostgreSQL at postgres:\/\/loader:\*\*\*@127\.0\.0\.1/);
      expect((err as Error).message).not.toContain('hunter22');
      expect(shardRuns).toEqual([]);
    } finally {
      process.env['DATABASE_URL'] = saved;
    }
  });

  it('a missing DATABASE_URL is a permanent error', async () => {
    const saved = process.env['DATABASE_URL'];
    delete process.env['DATABASE_URL'];
    try {
      const err = await openLoad({ schema }, shardInput(await tmp())).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DatabaseUrlError);
      expect(isPermanent(err)).toBe(true);
    } finally {
      process.env['DATABASE_URL'] = saved;
    }
  });

  it('a descriptor carrying a URL is refused without echoing it', async () => {
    const err = await new InlineRuntime()
      .run(mergeCustomerData, { data: fixture, out_dir: await tmp(), shards: 1, sink: { kind: 'postgres', url: 'postgres://u:pw-in-args@h/db' } as never })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((err as Error).message).toContain('RunInput.sink has unsupported field(s) url');
    expect((err as Error).message).not.toContain('pw-in-args');
  });
});
