/**
 * The `s3://` data location end to end: the fixture uploaded to a real S3-compatible server on
 * 127.0.0.1 (s3rver, or the one AWS_ENDPOINT_URL names) and run on the embedded runtime through
 * both data paths, against the same runs on the local folder. Workers run dist/ (built by the
 * tests' global setup) and read the store's endpoint and credentials from their environment.
 */
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import type { RuntimeEvent } from '../runtime/events.js';
import { LocalRuntime } from '../runtime/local.js';
import type { RunResult } from '../tasks/contracts.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import { failureLines, runCli } from '../testing/run-cli.js';
import { startFaultProxy } from '../testing/s3-fault-proxy.js';
import { startS3Dataset, type S3Dataset } from '../testing/s3-dataset.js';
import type { TestS3 } from '../testing/s3-server.js';
import { openSource, sourceLabel } from './source.js';
import { openStore } from './store/index.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'tutorial-2000');
const SHARDS = 4;

let fx: S3Dataset;
let s3: TestS3;
let work: string;
let data: string;

beforeAll(async () => {
  // The orchestrator and prepare_run run in this process, the shards in workers that inherit its environment.
  fx = await startS3Dataset({ tmpPrefix: 'cm-s3data-', dataset: { dir: fixture }, prefix: 'exports/2000' });
  ({ s3, work, data } = fx);
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

async function run(name: string, from: string, dataPath: 'partition' | 'scan'): Promise<{ result: RunResult; events: RuntimeEvent[]; out: string }> {
  const runtime = new LocalRuntime({ concurrency: 2, retry: { maxRetries: 1, waitDurationMs: 10 } });
  const events: RuntimeEvent[] = [];
  runtime.on((e) => events.push(e));
  const out = join(work, name);
  const result = await runtime.run(mergeCustomerData, { data: from, out_dir: out, shards: SHARDS, run_id: 's3-vs-local', data_path: dataPath });
  return { result, events, out };
}

/** Every file under `dir`, relative path → bytes. */
async function tree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), await readFile(join(e.parentPath, e.name)));
  }
  return out;
}

/** A RunResult without what legitimately differs between two runs (time, output folder). */
function comparable(r: RunResult): unknown {
  return { ...r, elapsed_ms: 0, out_dir: '', shards: r.shards.map((s) => ({ ...s, elapsed_ms: 0 })) };
}

/** Manifests record the shard's timing: equal apart from every `elapsed_ms`. */
function sameManifest(a: Buffer, b: Buffer | undefined): boolean {
  const untimed = (buf: Buffer): string => JSON.stringify(JSON.parse(buf.toString('utf8')), (k, v: unknown) => (k === 'elapsed_ms' ? 0 : v));
  return b !== undefined && untimed(a) === untimed(b);
}

/** Every file two runs wrote (profiles, rejects report, manifests) is byte for byte the same. */
async function expectSameOutputs(localOut: string, s3Out: string): Promise<string[]> {
  const [a, b] = await Promise.all([tree(localOut), tree(s3Out)]);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  const differing = [...a].filter(([k, v]) => (k.startsWith('manifests/') ? !sameManifest(v, b.get(k)) : !b.get(k)?.equals(v))).map(([k]) => k);
  expect(differing).toEqual([]);
  return [...a.keys()];
}

/** The `code` of an error and of each error in its cause chain. */
function codesOf(err: unknown): unknown[] {
  const codes: unknown[] = [];
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e !== undefined && e !== null; e = e.cause as typeof e) codes.push(e.code);
  return codes;
}

describe('s3:// data location on the local runtime', () => {
  it('openSource streams each source from the bucket byte for byte, labelled s3://bucket/prefix/<file>', async () => {
    for (const s of SOURCE_NAMES) {
      const chunks: Buffer[] = [];
      for await (const c of openSource(`${data}/`, s)) chunks.push(Buffer.from(c));
      expect(Buffer.concat(chunks).equals(await readFile(join(fixture, SOURCE_FILES[s]))), s).toBe(true);
      expect(sourceLabel(`${data}/`, s)).toBe(`${data}/${SOURCE_FILES[s]}`);
    }
  });

  for (const dataPath of ['partition', 'scan'] as const) {
    it(`a full run from the bucket equals the run from the local folder (${dataPath} data path)`, async () => {
      const local = await run(`local-${dataPath}`, fixture, dataPath);
      const remote = await run(`s3-${dataPath}`, data, dataPath);
      expect(comparable(remote.result)).toEqual(comparable(local.result));
      expect(remote.result.profiles_generated).toBeGreaterThan(0);
      const files = await expectSameOutputs(local.out, remote.out);
      expect(files).toContain('rejects.jsonl');
      expect(files.filter((f) => f.startsWith('profiles/'))).toHaveLength(SHARDS);
      expect(remote.events.filter((e) => e.type === 'attempt_failed')).toEqual([]);
      // The partition path really partitioned (from the bucket), the scan path did not.
      const partitioned = remote.events.some((e) => e.type === 'attempt_started' && e.task === 'partition_source');
      expect(partitioned).toBe(dataPath === 'partition');
    });
  }

  it('a transfer cut midway fails only that attempt (retryable), the retry reads the object again, output identical', async () => {
    const proxy = await startFaultProxy(s3.endpoint);
    process.env['AWS_ENDPOINT_URL'] = proxy.endpoint;
    try {
      proxy.inject({ method: 'GET', key: 'exports/2000/crm.csv', ranged: false }, { kind: 'cut', afterBytes: 3000 }, 1);
      const local = await run('local-cut', fixture, 'partition');
      const remote = await run('s3-cut', data, 'partition');
      expect(comparable(remote.result)).toEqual(comparable(local.result));
      await expectSameOutputs(local.out, remote.out);
      const failed = remote.events.filter((e): e is RuntimeEvent & { type: 'attempt_failed' } => e.type === 'attempt_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]?.error).toMatch(new RegExp(`s3://${s3.bucket}/exports/2000/crm\\.csv: transfer broken after \\d+ of \\d+ bytes`));
      expect(proxy.seen.filter((r) => r.fault !== undefined)).toHaveLength(1);
    } finally {
      process.env['AWS_ENDPOINT_URL'] = s3.env['AWS_ENDPOINT_URL'];
      await proxy.close();
    }
  });

  it('a missing object fails the run before fan-out, once, naming s3://bucket/prefix/<file>', async () => {
    const prefix = `s3://${s3.bucket}/half`;
    const store = openStore(prefix, { env: s3.env });
    await store.put('crm.csv', await readFile(join(fixture, 'crm.csv')));
    await store.put('product.csv', await readFile(join(fixture, 'product.csv')));
    await store.close();
    const runtime = new LocalRuntime({ concurrency: 2, retry: { maxRetries: 2, waitDurationMs: 10 } });
    const events: RuntimeEvent[] = [];
    runtime.on((e) => events.push(e));
    const err = await runtime.run(mergeCustomerData, { data: prefix, out_dir: join(work, 'missing'), shards: SHARDS }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // The orchestrator's error wraps prepare_run's: a permanent SOURCE_FILE failure, as for a local file.
    expect((err as Error & { retryable?: boolean }).retryable).toBe(false);
    expect(codesOf(err)).toContain('SOURCE_FILE');
    expect(err?.message).toMatch(/prepare_run after 1 attempt\(s\): s3:\/\/cm-test-[\w-]+\/half\/billing\.csv: is missing \(no such object\) \(also missing: s3:\/\/cm-test-[\w-]+\/half\/support\.csv\)$/);
    expect(events.some((e) => e.type === 'attempt_started' && e.task === 'process_shard')).toBe(false);
  });

  it('the CLI: a missing object is one failure line naming it (no credentials); a malformed location is refused before the run', async () => {
    const missing = await runCli(['--data', `s3://${s3.bucket}/nowhere`, '--out', join(work, 'cli-missing'), '--shards', '2'], work, s3.env);
    expect(missing.code).not.toBe(0);
    const lines = failureLines(missing.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`s3://${s3.bucket}/nowhere/crm.csv: is missing (no such object)`);
    expect(missing.stderr).not.toContain(String(s3.env.AWS_SECRET_ACCESS_KEY));

    const bad = await runCli(['--data', 's3://Bad_Bucket/x', '--out', join(work, 'cli-bad'), '--shards', '2'], work, s3.env);
    expect(bad.code).not.toBe(0);
    expect(failureLines(bad.stderr)).toEqual([expect.stringContaining('--data s3://Bad_Bucket/x: bucket name "Bad_Bucket" is not valid')]);
  });
});
