/**
 * A shard killed mid-load and retried, on the embedded runtime's real worker processes: each
 * shard's first attempt exits the process after COPY and the upsert but before COMMIT (the
 * workers load src/testing/pg-crash-tasks.ts, which sets the sink's step before COMMIT), the
 * runtime retries it, and the table must end up equal
 * to a clean load — no duplicates, no partial rows, and counts that show the crashed work never
 * landed. Needs `npm run build` (workers run dist/) and a reachable PostgreSQL.
 */
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../runtime/events.js';
import { InlineRuntime } from '../runtime/inline.js';
import { compiledPath } from '../runtime/compiled.js';
import { LocalRuntime } from '../runtime/local.js';
import type { RunInput, RunResult } from '../tasks/contracts.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import { dropTestSchema, openTestSchema, readTable, testDatabaseUrl, testSchemaName } from '../testing/postgres-testkit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = join(root, 'src/testdata/tutorial-2000');
const seed = Number(process.env['CM_TEST_SEED'] ?? Math.floor(Math.random() * 1e6));
const schema = testSchemaName(seed);
const url = testDatabaseUrl();
const SHARDS = 4;
let admin: pg.Client;

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), 'cm-pg-crash-'));
const q = (table: string): string => `"${schema}"."${table}"`;
const input = async (data: string, table: string): Promise<RunInput> => ({ data, out_dir: await tmp(), shards: SHARDS, sink: { kind: 'postgres', schema, table } });

/** Runs on real worker processes, every shard crashing before COMMIT on its first attempt. */
async function crashingRun(data: string, table: string): Promise<{ result: RunResult; events: RuntimeEvent[]; out: string }> {
  const rt = new LocalRuntime({
    concurrency: 2,
    registry: compiledPath(import.meta.url, '../testing/pg-crash-tasks.js'),
    env: { DATABASE_URL: url, LOG_LEVEL: 'silent' },
    retry: { maxRetries: 2, waitDurationMs: 20 },
  });
  const events: RuntimeEvent[] = [];
  rt.on((e) => events.push(e));
  const args = await input(data, table);
  return { result: await rt.run(mergeCustomerData, args), events, out: args.out_dir };
}

function shardAttempts(events: RuntimeEvent[]): { failed: string[]; succeeded: number } {
  const failed = events.flatMap((e) => (e.type === 'attempt_failed' && e.task === 'process_shard' ? [`${e.attempt}: ${e.error}`] : []));
  const succeeded = events.filter((e) => e.type === 'attempt_succeeded' && e.task === 'process_shard').length;
  return { failed, succeeded };
}

beforeAll(async () => {
  admin = await openTestSchema(url, schema);
});

afterAll(() => dropTestSchema(admin, schema));

describe(`PostgreSQL sink: shards killed before COMMIT and retried (schema ${schema}, seed ${seed})`, () => {
  let clean: Awaited<ReturnType<typeof readTable>>;

  beforeAll(async () => {
    const r = await new InlineRuntime().run(mergeCustomerData, await input(fixture, 'clean'));
    expect(r.load).toEqual({ inserted: 2000, updated: 0, unchanged: 0 });
    clean = await readTable(admin, q('clean'));
  });

  it('into an empty table: every shard crashes once, the retries insert all 2,000, equal to a clean load', async () => {
    const { result, events, out } = await crashingRun(fixture, 'crashed');
    const { failed, succeeded } = shardAttempts(events);
    expect(failed).toHaveLength(SHARDS);
    expect(failed.every((f) => /^1: .*exited before finishing \(exit code 1\)/.test(f))).toBe(true);
    expect(succeeded).toBe(SHARDS);
    expect((await readdir(join(out, '.test-markers'))).length).toBe(SHARDS);
    // Had a crashed attempt's rows landed, its retry would count them unchanged, not inserted.
    expect(result.load).toEqual({ inserted: 2000, updated: 0, unchanged: 0 });
    const n = await admin.query<{ n: number; d: number }>(`SELECT count(*)::int AS n, count(DISTINCT customer_id)::int AS d FROM ${q('crashed')}`);
    expect(n.rows[0]).toEqual({ n: 2000, d: 2000 });
    expect(await readTable(admin, q('crashed'))).toEqual(clean);
  });

  it('over an older load: the crashed update never lands, the retry updates exactly the changed customer', async () => {
    const older = await tmp();
    await cp(fixture, older, { recursive: true });
    const crm = await readFile(join(older, 'crm.csv'), 'utf8');
    const changed = crm.replace('cust_00000001,fay.wu@example.com,Summit Labs,', 'cust_00000001,fay.wu@example.com,"Summit Labs, Old Name",');
    expect(changed).not.toBe(crm);
    await writeFile(join(older, 'crm.csv'), changed);
    const first = await new InlineRuntime().run(mergeCustomerData, await input(older, 'updated'));
    expect(first.load).toEqual({ inserted: 2000, updated: 0, unchanged: 0 });

    const { result, events } = await crashingRun(fixture, 'updated');
    expect(shardAttempts(events).failed).toHaveLength(SHARDS);
    expect(result.load).toEqual({ inserted: 0, updated: 1, unchanged: 1999 });
    expect(await readTable(admin, q('updated'))).toEqual(clean);
  });
});
