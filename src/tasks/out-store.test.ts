/**
 * `out_dir` in a bucket: a run from and to a real S3-compatible server on 127.0.0.1 (s3rver, or
 * the one AWS_ENDPOINT_URL names) on the embedded runtime, against the same run on local folders.
 * Tasks work in private staging folders and publish to the bucket, so nothing here relies on
 * the tasks sharing a disk. Workers run dist/ (built by the tests' global setup) and reach the
 * store through AWS_ENDPOINT_URL, which some tests point at a counting proxy.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import type { RuntimeEvent } from '../runtime/events.js';
import { LocalRuntime } from '../runtime/local.js';
import { openStore } from '../io/store/index.js';
import { failureLines, runCli } from '../testing/run-cli.js';
import { fixtureDir } from '../testing/small-fixture.js';
import { startFaultProxy } from '../testing/s3-fault-proxy.js';
import { startS3Dataset, type S3Dataset } from '../testing/s3-dataset.js';
import type { TestS3 } from '../testing/s3-server.js';
import type { RunResult } from './contracts.js';
import { PARTITION_MIN_BYTES, dataPathOf, mergeCustomerData } from './merge-customer-data.js';
import { partitionOne } from './partition-source.js';
import { HEADER_RANGE_BYTES } from '../io/inspect-header.js';
import { findReusableShard } from './shard/resume.js';

const SEED = 18;
const CUSTOMERS = 3000;
const SHARDS = 4;
/** Each test runs the pipeline once or twice with real worker processes; on 2 shared cores that can take minutes. */
const SLOW = { timeout: 300_000 };
const NO_CHAOS = { CHAOS_FAIL_SHARD: '', CHAOS_CRASH_SHARD: '', CHAOS_HANG_SHARD: '', CHAOS_FAIL_RATE: '' };

let fx: S3Dataset;
let s3: TestS3;
let work: string;
let localData: string;
let bucketData: string;
const baselines = new Map<string, { result: RunResult; tree: Map<string, Buffer> }>();

beforeAll(async () => {
  fx = await startS3Dataset({ tmpPrefix: 'cm-s3out-', dataset: { customers: CUSTOMERS, seed: SEED, dirty: 0.01 }, prefix: 'in' });
  ({ s3, work, localData, data: bucketData } = fx);
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

interface Run {
  readonly result: RunResult;
  readonly events: RuntimeEvent[];
}

async function run(data: string, out: string, options: { dataPath?: 'partition' | 'scan'; env?: Record<string, string>; retries?: number; resume?: boolean; workers?: number } = {}): Promise<Run> {
  const runtime = new LocalRuntime({ concurrency: 2, env: { ...NO_CHAOS, ...options.env }, retry: { maxRetries: options.retries ?? 1, waitDurationMs: 10 } });
  const events: RuntimeEvent[] = [];
  runtime.on((e) => events.push(e));
  const result = await runtime.run(mergeCustomerData, {
    data,
    out_dir: out,
    shards: SHARDS,
    run_id: 's3-out',
    max_rejects: 1_000_000,
    ...(options.dataPath !== undefined ? { data_path: options.dataPath } : {}),
    ...(options.resume !== undefined ? { resume: options.resume } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
  return { result, events };
}

/** Every file under a local folder, relative path → bytes. */
async function folderTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), await readFile(join(e.parentPath, e.name)));
  }
  return out;
}

/** Every object under a store location, key → bytes. */
async function bucketTree(location: string): Promise<Map<string, Buffer>> {
  const store = openStore(location, { env: s3.env });
  const out = new Map<string, Buffer>();
  try {
    for await (const { key } of store.list('')) {
      const chunks: Buffer[] = [];
      for await (const c of await store.get(key)) chunks.push(c as Buffer);
      out.set(key, Buffer.concat(chunks));
    }
  } finally {
    await store.close();
  }
  return out;
}

/**
 * The run from the same bucket data to a local folder, for a data path (computed once): rejects
 * name the source they came from (`s3://bucket/in/billing.csv`), so the input location is the same.
 */
async function baseline(dataPath: 'partition' | 'scan'): Promise<{ result: RunResult; tree: Map<string, Buffer> }> {
  let b = baselines.get(dataPath);
  if (b === undefined) {
    const out = join(work, `local-${dataPath}`);
    const { result } = await run(bucketData, out, { dataPath });
    b = { result, tree: await folderTree(out) };
    baselines.set(dataPath, b);
  }
  return b;
}

function comparable(r: RunResult): unknown {
  return { ...r, elapsed_ms: 0, out_dir: '', reused_shards: [], shards: r.shards.map((s) => ({ ...s, elapsed_ms: 0 })) };
}

const untimed = (buf: Buffer): string => JSON.stringify(JSON.parse(buf.toString('utf8')), (k, v: unknown) => (k === 'elapsed_ms' || k === 'reused' ? undefined : v));

/** The bucket holds exactly the local run's files, byte for byte (manifests: timings apart). */
function expectSameTree(local: Map<string, Buffer>, bucket: Map<string, Buffer>): void {
  expect([...bucket.keys()].sort()).toEqual([...local.keys()].sort());
  const differing = [...local].filter(([k, v]) => {
    const b = bucket.get(k);
    if (b === undefined) return true;
    return k.startsWith('manifests/') ? untimed(v) !== untimed(b) : !b.equals(v);
  });
  expect(differing.map(([k]) => k)).toEqual([]);
}

const failedAttempts = (events: RuntimeEvent[]): RuntimeEvent[] => events.filter((e) => e.type === 'attempt_failed');

describe(`out_dir in a bucket (${CUSTOMERS} customers, seed ${SEED}, 1% dirty rows, ${SHARDS} shards)`, SLOW, () => {
  for (const dataPath of ['partition', 'scan'] as const) {
    it(`a run from and to the bucket equals the run to a local folder byte for byte (${dataPath} data path)`, async () => {
      const local = await baseline(dataPath);
      const out = `s3://${s3.bucket}/out-${dataPath}`;
      const remote = await run(bucketData, out, { dataPath });
      expect(remote.result.rejected).toBeGreaterThan(0);
      expect(remote.result.out_dir).toBe(out);
      expect(comparable(remote.result)).toEqual(comparable(local.result));
      const bucket = await bucketTree(out);
      expectSameTree(local.tree, bucket);
      expect([...bucket.keys()].filter((k) => k.startsWith('rejects/'))).toHaveLength(SHARDS);
      expect([...bucket.keys()].filter((k) => k.startsWith('.'))).toEqual([]);
      expect(failedAttempts(remote.events)).toEqual([]);
      expect(remote.events.some((e) => e.type === 'attempt_started' && e.task === 'partition_source')).toBe(dataPath === 'partition');
    });
  }
});

/** Runs `body` with the workers' store traffic going through a counting proxy. */
async function throughProxy<T>(body: (proxy: Awaited<ReturnType<typeof startFaultProxy>>) => Promise<T>): Promise<T> {
  const proxy = await startFaultProxy(s3.endpoint);
  process.env['AWS_ENDPOINT_URL'] = proxy.endpoint;
  try {
    return await body(proxy);
  } finally {
    process.env['AWS_ENDPOINT_URL'] = s3.env['AWS_ENDPOINT_URL'];
    await proxy.close();
  }
}

describe('resume and retries across instances, through the bucket', SLOW, () => {
  it('a run whose shards 2 and 3 fail for good leaves shards 0 and 1 published; the re-run reuses them and the slices, and ends equal to an uninterrupted run', async () => {
    const local = await baseline('partition');
    const out = `s3://${s3.bucket}/out-resume`;
    const first = await run(bucketData, out, { dataPath: 'partition', env: { CHAOS_FAIL_SHARD: '2,3' }, retries: 0 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // Both failing shards fail (a shard still running when the run failed cannot publish later).
    expect(first?.message).toMatch(/chaos: injected failure of shard [23] on attempt 1/);
    const complete: number[] = [];
    for (let i = 0; i < SHARDS; i++) {
      const found = await findReusableShard({ run_id: 'x', shard_index: i, shard_count: SHARDS, data: bucketData, out_dir: out, input_digest: local.result.input_digest! });
      if ('result' in found) complete.push(i);
    }
    expect(complete).toEqual([0, 1]);
    const left = [...(await bucketTree(out)).keys()];
    expect(left.filter((k) => k.startsWith('.spill/') && k.endsWith('/_complete.json'))).toHaveLength(SOURCE_NAMES.length);
    // Shards 2 and 3 published nothing under a final name (only their attempt markers).
    expect(left.filter((k) => /shard-000[23]-of-0004/.test(k) && !k.startsWith('.attempts/'))).toEqual([]);

    const resumed = await throughProxy(async (proxy) => {
      const r = await run(bucketData, out, { dataPath: 'partition' });
      // The slices of the failed run were reused (their markers): nothing re-uploaded, no source read again by the split.
      expect(proxy.seen.filter((q) => q.method === 'PUT' && q.path.includes('/.spill/'))).toEqual([]);
      return r;
    });
    expect(resumed.result.reused_shards).toEqual(complete);
    expect(comparable(resumed.result)).toEqual(comparable(local.result));
    const tree = await bucketTree(out);
    // The failed invocation's attempt markers stay (it never completed), as in a local folder; the re-run's are gone.
    expectSameTree(local.tree, new Map([...tree].filter(([k]) => !k.startsWith('.attempts/'))));
    expect([...tree.keys()].filter((k) => k.startsWith('.spill/'))).toEqual([]);
  });

  it('CHAOS_FAIL_SHARD=0: the first attempt fails, the retry sees its marker in the bucket and heals; the markers are gone after success', async () => {
    const local = await baseline('scan');
    const out = `s3://${s3.bucket}/out-chaos`;
    // With markers that did not survive an attempt, every retry would call itself the first and fail again.
    const healed = await run(bucketData, out, { dataPath: 'scan', env: { CHAOS_FAIL_SHARD: '0' }, retries: 2 });
    const failed = failedAttempts(healed.events);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ task: 'process_shard' });
    expect(comparable(healed.result)).toEqual(comparable(local.result));
    const tree = await bucketTree(out);
    expectSameTree(local.tree, tree);
    expect([...tree.keys()].filter((k) => k.startsWith('.attempts/'))).toEqual([]);
  });
});

describe('grouped tasks and store faults', SLOW, () => {
  it('2 workers (process_shards, partition_sources groups) give the same bucket as one task per shard', async () => {
    const local = await baseline('partition');
    const out = `s3://${s3.bucket}/out-workers`;
    const grouped = await run(bucketData, out, { dataPath: 'partition', workers: 2 });
    expect(grouped.events.some((e) => e.type === 'attempt_started' && e.task === 'process_shards')).toBe(true);
    expect(grouped.events.some((e) => e.type === 'attempt_started' && e.task === 'partition_sources')).toBe(true);
    expect(comparable(grouped.result)).toEqual(comparable(local.result));
    expectSameTree(local.tree, await bucketTree(out));
  });

  it('a slice download cut midway and a profiles upload refused 5 times fail only those attempts; the retries heal', async () => {
    const local = await baseline('partition');
    const out = `s3://${s3.bucket}/out-faults`;
    const profile = `${local.result.output_files[2]}`;
    const healed = await throughProxy(async (proxy) => {
      proxy.inject({ method: 'GET', key: 'crm/shard-0001.csv' }, { kind: 'cut', afterBytes: 100 }, 1);
      proxy.inject({ method: 'PUT', key: profile }, { kind: 'status', status: 500, code: 'InternalError' }, 5);
      const r = await run(bucketData, out, { dataPath: 'partition', retries: 2 });
      expect(proxy.seen.filter((q) => q.fault !== undefined)).toHaveLength(6);
      return r;
    });
    const failed = failedAttempts(healed.events).map((e) => (e as { error?: string }).error ?? '');
    expect(failed).toHaveLength(2);
    expect(failed.some((m) => /crm\/shard-0001\.csv: transfer broken after/.test(m))).toBe(true);
    expect(failed.some((m) => m.includes(`${profile}: the store at`) && m.includes('kept failing (HTTP 500 InternalError)'))).toBe(true);
    expect(comparable(healed.result)).toEqual(comparable(local.result));
    expectSameTree(local.tree, await bucketTree(out));
  });
});

describe('stale objects and the CLI', SLOW, () => {
  it('a shard without rejects deletes a stale rejects object of its name (clean tutorial-2000 fixture)', async () => {
    const out = `s3://${s3.bucket}/out-stale`;
    const first = await run(fixtureDir(), out, { dataPath: 'scan' });
    expect(first.result.rejected).toBe(0);
    const stale = `rejects/${first.result.input_digest!.slice(0, 12)}/shard-0001-of-0004.jsonl`;
    const store = openStore(out, { env: s3.env });
    try {
      await store.put(stale, '{"stale":true}\n');
      const again = await run(fixtureDir(), out, { dataPath: 'scan', resume: false });
      expect(again.result.reused_shards).toEqual([]);
      expect(await store.head(stale)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('npm start -- --data s3://… --out s3://… prints s3:// paths in its summary', async () => {
    const out = `s3://${s3.bucket}/cli-out`;
    const r = await runCli(['--data', bucketData, '--out', `${out}/`, '--shards', '2', '--max-rejects', '1000000'], work, { ...s3.env, ...NO_CHAOS });
    expect(r.stderr).not.toMatch(/^customer-merge: /m);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`profiles written to  ${out}/profiles/ (2 files)`);
    expect(r.stdout).toContain(`${out}/rejects.jsonl`);
    const keys = [...(await bucketTree(out)).keys()];
    expect(keys.filter((k) => k.startsWith('profiles/'))).toHaveLength(2);
    expect(keys).toContain('rejects.jsonl');
  });
});

describe('the partition step spills to the bucket', SLOW, () => {
  it('each source is read once by the split, each slice uploaded once (marker last) and read once, and the spill is removed', async () => {
    const local = await baseline('partition');
    const out = `s3://${s3.bucket}/out-spill`;
    const sizes = await Promise.all(SOURCE_NAMES.map(async (s) => (await readFile(join(localData, SOURCE_FILES[s]))).length));
    const { remote, seen, sourceBytes } = await throughProxy(async (proxy) => {
      const r = await run(bucketData, out, { dataPath: 'partition' });
      const sourceBytes = SOURCE_NAMES.map((s) => proxy.bytesServed({ method: 'GET', key: `in/${SOURCE_FILES[s]}` }));
      return { remote: r, seen: [...proxy.seen], sourceBytes };
    });
    expect(comparable(remote.result)).toEqual(comparable(local.result));
    // The split reads each source once in full (prepare_run only its header line); no shard reads a source.
    for (const s of SOURCE_NAMES) expect(seen.filter((q) => q.method === 'GET' && q.range === undefined && q.path.endsWith(`/in/${SOURCE_FILES[s]}`)), s).toHaveLength(1);
    for (const [i, n] of sizes.entries()) {
      expect(sourceBytes[i]).toBeGreaterThan(n);
      expect(sourceBytes[i]).toBeLessThanOrEqual(n + HEADER_RANGE_BYTES);
    }
    const spill = (q: { path: string }): string | undefined => /\/\.spill\/[0-9a-f]{12}-of-0*4\/(.+)$/.exec(q.path)?.[1];
    const slicePuts = seen.filter((q) => q.method === 'PUT' && spill(q)?.endsWith('.csv') === true).map((q) => spill(q)!);
    const sliceGets = seen.filter((q) => q.method === 'GET' && spill(q)?.endsWith('.csv') === true).map((q) => spill(q)!);
    const expected = SOURCE_NAMES.flatMap((s) => Array.from({ length: SHARDS }, (_, i) => `${s}/shard-${String(i).padStart(4, '0')}.csv`)).sort();
    expect([...slicePuts].sort()).toEqual(expected);
    // Each shard downloads exactly its own four slices: every slice is read once, none twice.
    expect([...sliceGets].sort()).toEqual(expected);
    for (const s of SOURCE_NAMES) {
      const markerAt = seen.findIndex((q) => q.method === 'PUT' && spill(q) === `${s}/_complete.json`);
      const lastSlice = Math.max(...seen.map((q, i) => (q.method === 'PUT' && spill(q)?.startsWith(`${s}/shard-`) === true ? i : -1)));
      expect(markerAt, s).toBeGreaterThan(lastSlice);
    }
    expect([...(await bucketTree(out)).keys()].filter((k) => k.startsWith('.spill/'))).toEqual([]);
  });

  it('partition_source reuses slices whose marker is in the bucket, and splits again when a slice is missing', async () => {
    const spill = `s3://${s3.bucket}/spill-reuse/.spill/abc-of-3`;
    const input = { run_id: 'r', source: 'billing' as const, data: bucketData, shard_count: 3, spill_dir: spill };
    const first = await partitionOne(input);
    expect(first.reused).toBe(false);
    const again = await partitionOne(input);
    expect(again).toMatchObject({ reused: true, records: first.records, slices: first.slices });
    const store = openStore(spill, { env: s3.env });
    try {
      await store.delete('billing/shard-0001.csv');
      const redone = await partitionOne(input);
      expect(redone).toMatchObject({ reused: false, records: first.records, slices: first.slices });
      expect(await store.head('billing/shard-0001.csv')).toBeDefined();
    } finally {
      await store.close();
    }
  });
});

describe('failures of the out location', SLOW, () => {
  const missing = 'cm-no-such-bucket-out';

  it('a missing bucket fails the run before any task, naming s3://bucket (STORE_NO_BUCKET)', async () => {
    const events: RuntimeEvent[] = [];
    const runtime = new LocalRuntime({ concurrency: 2, env: NO_CHAOS, retry: { maxRetries: 2, waitDurationMs: 10 } });
    runtime.on((e) => events.push(e));
    const err = await runtime.run(mergeCustomerData, { data: bucketData, out_dir: `s3://${missing}/out`, shards: SHARDS }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; retryable?: boolean },
    );
    expect(err?.message).toContain(`s3://${missing}`);
    expect(err?.retryable).toBe(false);
    expect(events.filter((e) => e.type === 'attempt_started' && e.task !== 'merge_customer_data')).toEqual([]);
  });

  it('the CLI: one line with code STORE naming the bucket, nothing written', async () => {
    const r = await runCli(['--data', bucketData, '--out', `s3://${missing}/out`, '--shards', '2', '--json'], work, s3.env);
    expect(r.code).toBe(1);
    const lines = failureLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`s3://${missing}`);
    expect(r.stderr).not.toContain(String(s3.env.AWS_SECRET_ACCESS_KEY));
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'STORE' } });
  });
});

describe('the automatic data path with a store out_dir', () => {
  const big = PARTITION_MIN_BYTES;
  const scanEnv = { CM_DATA_PATH: 'scan' };
  it('CM_DATA_PATH=scan means local out folders are not shared: a bucket out_dir still partitions', () => {
    expect(dataPathOf({ shards: 4, out_dir: 's3://bucket/out' }, big, scanEnv)).toBe('partition');
    expect(dataPathOf({ shards: 4, out_dir: '/tmp/out' }, big, scanEnv)).toBe('scan');
    expect(dataPathOf({ shards: 4, out_dir: '/tmp/out' }, big, {})).toBe('partition');
  });
  it('small inputs and one shard scan; an explicit data_path wins', () => {
    expect(dataPathOf({ shards: 4, out_dir: 's3://bucket/out' }, big - 1, scanEnv)).toBe('scan');
    expect(dataPathOf({ shards: 1, out_dir: 's3://bucket/out' }, big, {})).toBe('scan');
    expect(dataPathOf({ shards: 4, out_dir: 's3://bucket/out', data_path: 'scan' }, big, {})).toBe('scan');
    expect(dataPathOf({ shards: 4, out_dir: '/tmp/out', data_path: 'partition' }, 10, scanEnv)).toBe('partition');
  });
});
