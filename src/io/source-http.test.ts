/**
 * The HTTP data location end to end on the embedded runtime (isolated worker per shard attempt),
 * against a real HTTP server on 127.0.0.1. Needs `npm run build` first (workers run dist/).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../runtime/events.js';
import { LocalRuntime } from '../runtime/local.js';
import type { RunResult } from '../tasks/contracts.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import { FixtureServer } from '../testing/fixture-server.js';
import type { Behaviour } from '../testing/fixture-server.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'tutorial-2000');
const SECRET = 'sig=TOPSECRET456';
const SHARDS = 4;
const retry = { maxRetries: 2, waitDurationMs: 10 };

let work: string;
let localResult: RunResult;
let localOut: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cm-http-'));
  localOut = join(work, 'local');
  localResult = await new LocalRuntime({ concurrency: 2 }).run(mergeCustomerData, {
    data: fixture,
    out_dir: localOut,
    shards: SHARDS,
    run_id: 'http-vs-local',
  });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runOverHttp(
  name: string,
  plan?: (path: string, n: number) => Behaviour,
  dataPath: 'partition' | 'scan' = 'partition',
): Promise<{ result: RunResult; events: RuntimeEvent[]; out: string }> {
  server = new FixtureServer(fixture, plan);
  const base = await server.start();
  const runtime = new LocalRuntime({ concurrency: 2, retry });
  const events: RuntimeEvent[] = [];
  runtime.on((e) => events.push(e));
  const out = join(work, name);
  const result = await runtime.run(mergeCustomerData, { data: `${base}/exports/2000/?${SECRET}`, out_dir: out, shards: SHARDS, run_id: 'http-vs-local', data_path: dataPath });
  return { result, events, out };
}

/** Every file under `dir`, relative path → content. */
async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    out.set(full.slice(dir.length + 1), await readFile(full, 'utf8'));
  }
  return out;
}

/** A RunResult without what legitimately differs between two runs (time, output folder). */
function comparable(r: RunResult): unknown {
  return { ...r, elapsed_ms: 0, out_dir: '', shards: r.shards.map((s) => ({ ...s, elapsed_ms: 0 })) };
}

async function expectSameAsLocal(result: RunResult, out: string): Promise<void> {
  expect(comparable(result)).toEqual(comparable(localResult));
  const [a, b] = await Promise.all([tree(join(localOut, 'profiles')), tree(join(out, 'profiles'))]);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [k, v] of a) expect(b.get(k), k).toBe(v);
}

describe('HTTP data location on the local runtime', () => {
  it('the local-directory run reproduces the fixture figures (the reference for the HTTP runs)', async () => {
    const expected = JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')) as {
      profiles_generated: number;
      records_processed: number;
      health_sum: number;
      churn_distribution: unknown;
    };
    expect(localResult.profiles_generated).toBe(expected.profiles_generated);
    expect(localResult.records_processed).toBe(expected.records_processed);
    expect(localResult.statistics.health_score_sum).toBe(expected.health_sum);
    expect(localResult.statistics.churn_distribution).toEqual(expected.churn_distribution);
  });

  it('a full run over HTTP equals the local-directory run', async () => {
    const { result, out, events } = await runOverHttp('http-plain');
    await expectSameAsLocal(result, out);
    // Every source was fetched, always with the prefix's query string.
    for (const f of ['crm', 'billing', 'product', 'support']) {
      expect(server?.requests.some((r) => r.url === `/exports/2000/${f}.csv?${SECRET}`), f).toBe(true);
    }
    expect(server?.requests.every((r) => r.url.startsWith('/exports/2000/') && r.url.endsWith(`?${SECRET}`))).toBe(true);
    expect(events.filter((e) => e.type === 'attempt_failed')).toEqual([]);
  });

  /** Runs with one transfer broken midway and checks that exactly that attempt failed and healed. */
  async function brokenOnce(
    name: string,
    breakIt: (path: string, nthOfPath: number) => boolean,
    dataPath: 'partition' | 'scan' = 'partition',
  ): Promise<RuntimeEvent & { type: 'attempt_failed' }> {
    const seen = new Map<string, number>();
    const { result, out, events } = await runOverHttp(
      name,
      (path) => {
        const k = seen.get(path) ?? 0;
        seen.set(path, k + 1);
        return breakIt(path, k) ? { kind: 'break', afterBytes: 3000 } : { kind: 'serve' };
      },
      dataPath,
    );
    await expectSameAsLocal(result, out);
    const failed = events.filter((e): e is RuntimeEvent & { type: 'attempt_failed' } => e.type === 'attempt_failed');
    expect(failed).toHaveLength(1);
    const f = failed[0] as RuntimeEvent & { type: 'attempt_failed' };
    expect(f.attempt).toBe(1);
    expect(f.retryInMs).toBe(10);
    expect(f.error).toMatch(/\/exports\/2000\/crm\.csv: transfer (broke|ended) after/);
    expect(events.find((e) => e.type === 'attempt_succeeded' && e.runId === f.runId)).toMatchObject({ attempt: 2 });
    expect(JSON.stringify(events)).not.toContain('TOPSECRET');
    return f;
  }

  it('a shard whose transfer breaks midway (scan data path, as on Render): that attempt fails, the retry heals it, output identical', async () => {
    // The first request for crm.csv is the fail-fast check before fan-out; the second is a shard's.
    const f = await brokenOnce('http-broken-shard', (path, n) => path.endsWith('/crm.csv') && n === 1, 'scan');
    expect(f.task).toBe('process_shard');
  });

  it('a partition task whose transfer breaks midway: that attempt fails, the retry heals it, output identical', async () => {
    // The first request for crm.csv is the fail-fast check; the second is partition_source's.
    const f = await brokenOnce('http-broken-partition', (path, n) => path.endsWith('/crm.csv') && n === 1);
    expect(f.task).toBe('partition_source');
  });

  it('the very first request breaking midway fails only that attempt too', async () => {
    const f = await brokenOnce('http-broken-first', (path, n) => path.endsWith('/crm.csv') && n === 0);
    expect(['prepare_run', 'process_shard']).toContain(f.task);
  });

  it('a 404 fails the run at once with a permanent error naming the URL without its query string', async () => {
    const err = await runOverHttp('http-404', (path) => (path.endsWith('/billing.csv') ? { kind: 'status', status: 404 } : { kind: 'serve' })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toMatch(/Subtask failed: (prepare_run|process_shard) after 1 attempt\(s\): http:\/\/127\.0\.0\.1:\d+\/exports\/2000\/billing\.csv: is missing \(HTTP 404 Not Found\)/);
    expect(err?.message).not.toContain('TOPSECRET');
    expect(err?.message).not.toContain('?');
  });
});
