/**
 * Store data on the partition path is read once: prepare_run checks only each object's header
 * line (HEAD and a ranged GET) and the split hashes and checks the whole of each source, so the
 * run's input digest, outputs and failures are those of the full gate. Against a real
 * S3-compatible server on 127.0.0.1 (s3rver), on the inline runtime.
 */
import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceFileError, isPermanent } from '../core/errors.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import { HEADER_RANGE_BYTES, inspectStoreHeader } from '../io/inspect-header.js';
import { headStoreSources, storeInputKey } from '../io/source-store.js';
import { openStore } from '../io/store/index.js';
import { InlineRuntime } from '../runtime/inline.js';
import type { RuntimeEvent } from '../runtime/events.js';
import type { TaskContext, TaskDefinition } from '../runtime/task.js';
import { startFaultProxy } from '../testing/s3-fault-proxy.js';
import { startS3Dataset, type S3Dataset } from '../testing/s3-dataset.js';
import type { TestS3 } from '../testing/s3-server.js';
import type { PrepareInput, PrepareResult, RunResult } from './contracts.js';
import { mergeCustomerData } from './merge-customer-data.js';
import { partitionOne } from './partition-source.js';
import { prepareRun } from './prepare-run.js';

const SEED = 18;
const CUSTOMERS = 3000;
const SHARDS = 3;
const CORPUS = fileURLToPath(new URL('../testdata/bad/', import.meta.url));

let fx: S3Dataset;
let s3: TestS3;
let work: string;
let localData: string;
let prefixes = 0;

beforeAll(async () => {
  fx = await startS3Dataset({ tmpPrefix: 'cm-read-once-', dataset: { customers: CUSTOMERS, seed: SEED, dirty: 0.01 }, prefix: 'in' });
  ({ s3, work, localData } = fx);
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

/** Uploads a local folder's four sources (those present) under a fresh prefix; returns its location. */
function upload(dir: string, change: { source?: (typeof SOURCE_NAMES)[number]; bytes?: Buffer } = {}): Promise<string> {
  return fx.upload(dir, `in-${prefixes++}`, change);
}

async function keysUnder(location: string): Promise<string[]> {
  const store = openStore(location, { env: s3.env });
  const keys: string[] = [];
  try {
    for await (const { key } of store.list('')) keys.push(key);
  } finally {
    await store.close();
  }
  return keys.sort();
}

async function localTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), await readFile(join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

function runtime(events: RuntimeEvent[] = [], retries = 0): InlineRuntime {
  const rt = new InlineRuntime({ retry: { maxRetries: retries, waitDurationMs: 0 }, sleep: async () => {} });
  rt.on((e) => events.push(e));
  return rt;
}

const runOf = (data: string, out: string, rt = runtime()): Promise<RunResult> =>
  rt.run(mergeCustomerData, { data, out_dir: out, shards: SHARDS, run_id: 'read-once', max_rejects: 1_000_000, data_path: 'partition' });

/** The innermost cause of a failed run. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    let e = err;
    while (e instanceof Error && e.cause instanceof Error) e = e.cause;
    if (e instanceof Error) return e;
  }
  throw new Error('the run succeeded');
}

class NoSubtasks implements TaskContext {
  run<A extends unknown[], R>(task: TaskDefinition<A, R>, ..._args: A): Promise<R> {
    return Promise.reject(new Error(`prepare_run must not run subtasks (asked for ${task.name})`));
  }
}
const prepare = async (input: PrepareInput): Promise<PrepareResult> => prepareRun.func(new NoSubtasks(), input);

describe(`store data on the partition path is read once (${CUSTOMERS} customers, seed ${SEED}, ${SHARDS} shards)`, { timeout: 300_000 }, () => {
  it('each source object is fetched in full exactly once, plus its header range, and the run equals the local run', async () => {
    const localOut = join(work, 'out-local');
    const local = await runOf(localData, localOut);
    const data = await upload(localData);
    const out = join(work, 'out-store');
    const proxy = await startFaultProxy(s3.endpoint);
    process.env['AWS_ENDPOINT_URL'] = proxy.endpoint;
    let remote: RunResult;
    try {
      remote = await runOf(data, out);
    } finally {
      process.env['AWS_ENDPOINT_URL'] = s3.env.AWS_ENDPOINT_URL;
      await proxy.close();
    }
    const prefix = data.slice(`s3://${s3.bucket}/`.length);
    for (const s of SOURCE_NAMES) {
      const gets = proxy.seen.filter((q) => q.method === 'GET' && q.path.endsWith(`/${prefix}/${SOURCE_FILES[s]}`));
      expect(gets.filter((q) => q.range === undefined), s).toHaveLength(1);
      expect(gets.filter((q) => q.range !== undefined).map((q) => q.range), s).toEqual([`bytes=0-${HEADER_RANGE_BYTES - 1}`]);
    }
    expect(remote.input_digest).toBe(local.input_digest);
    expect({ ...remote, elapsed_ms: 0, out_dir: '', shards: remote.shards.map((x) => ({ ...x, elapsed_ms: 0 })) }).toEqual({
      ...local,
      elapsed_ms: 0,
      out_dir: '',
      shards: local.shards.map((x) => ({ ...x, elapsed_ms: 0 })),
    });
    // Same files: profiles byte for byte; rejects and manifests name the same lines of the same files.
    const a = await localTree(localOut);
    const b = await localTree(out);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    // Manifests differ only in timings and the checksum of a rejects file that names its source.
    const untimed = (t: string): string => t.replace(/"elapsed_ms": ?\d+/g, '').replace(/"rejects_checksum": ?"[0-9a-f]+"/g, '');
    for (const [k, v] of a) expect(untimed(b.get(k)!.replaceAll(data, localData)), k).toBe(untimed(v));
  });

  it('a bad UTF-8 byte deep in a store source fails the run permanently with the full gate\'s message, leaving no spill', async () => {
    const crm = await readFile(join(localData, 'crm.csv'));
    expect(crm.length).toBeGreaterThan(2 * HEADER_RANGE_BYTES);
    const bad = Buffer.from(crm);
    const at = bad.indexOf(0x0a, Math.floor(crm.length * 0.8)) + 3;
    bad[at] = 0xe9;
    const badLocal = join(work, 'bad-utf8');
    await cp(localData, badLocal, { recursive: true });
    await (await import('node:fs/promises')).writeFile(join(badLocal, 'crm.csv'), bad);
    const expected = await failure(prepare({ data: badLocal }));
    expect(expected.message).toMatch(/: is not valid UTF-8: byte 0xE9 at line \d+ \(byte offset \d+\); export or convert it as UTF-8/);
    const data = await upload(badLocal);
    const out = `s3://${s3.bucket}/out-bad-utf8-${prefixes}`;
    const events: RuntimeEvent[] = [];
    const err = await failure(runOf(data, out, runtime(events, 2)));
    expect(err).toBeInstanceOf(SourceFileError);
    expect(isPermanent(err)).toBe(true);
    expect(err.message).toBe(expected.message.replace(join(badLocal, 'crm.csv'), `${data}/crm.csv`));
    // prepare_run passed (the header is fine); the split found it, once, with no retry.
    expect(events.filter((e) => e.type === 'attempt_failed').map((e) => (e as { task: string }).task)).toEqual(['partition_source', 'merge_customer_data']);
    expect(await keysUnder(out)).toEqual([]);
  });

  const headerCases = ['empty-file', 'blank-only', 'no-header', 'no-customer-id-column', 'duplicate-column', 'empty-column-name', 'trailing-comma-header', 'malformed-header', 'latin1', 'utf16', 'truncated-utf8'];
  it.each(headerCases)('%s: the headers-only gate fails with the full gate\'s message, before any partition task starts', async (name) => {
    const dir = join(work, `case-${name}`);
    await cp(join(CORPUS, 'base'), dir, { recursive: true });
    await cp(join(CORPUS, name), dir, { recursive: true, force: true });
    const expected = await failure(prepare({ data: dir }));
    const data = await upload(dir);
    const viaStore = await failure(prepare({ data, mode: 'headers' }));
    const relabel = (m: string): string => m.replace(`${dir}/`, `${data}/`);
    expect(viaStore).toBeInstanceOf(SourceFileError);
    expect(viaStore.message).toBe(relabel(expected.message));
    const started: string[] = [];
    const rt = runtime();
    rt.on((e) => {
      if (e.type === 'run_started') started.push(e.task);
    });
    const err = await failure(runOf(data, join(work, `out-${name}`), rt));
    expect(err.message).toBe(relabel(expected.message));
    expect(started).toEqual(['merge_customer_data', 'prepare_run']);
  });

  it('a header longer than the first range is read by growing the range', async () => {
    const data = await upload(localData);
    const [info] = [(await headStoreSources(data)).crm];
    const full = (await prepare({ data: localData })).sources.crm;
    const head = await inspectStoreHeader(data, 'crm', info, 8);
    expect(head.header).toEqual(full.header);
    expect(head.bytes).toBe(full.bytes);
  });

  it('a source object changed between two runs is split again, not reused', async () => {
    const data = await upload(localData);
    const spill = `s3://${s3.bucket}/spill-change-${prefixes}/.spill/x-of-2`;
    const input = { run_id: 'r', source: 'billing' as const, data, shard_count: 2, spill_dir: spill };
    const first = await partitionOne(input);
    expect((await partitionOne(input)).reused).toBe(true);
    const heads1 = await headStoreSources(data);
    // Same size, one digit changed: only the entity tag tells.
    const billing = Buffer.from(await readFile(join(localData, 'billing.csv')));
    const i = billing.lastIndexOf(0x0a, billing.length - 2) + 3;
    billing[i] = billing[i] === 0x31 ? 0x32 : 0x31;
    const store = openStore(data, { env: s3.env });
    await store.put('billing.csv', billing);
    await store.close();
    const heads2 = await headStoreSources(data);
    expect(heads2.billing.size).toBe(heads1.billing.size);
    const second = await partitionOne(input);
    expect(second.reused).toBe(false);
    expect(second.source_read?.sha256).not.toBe(first.source_read?.sha256);
    expect(second.source_read?.etag).toBe(heads2.billing.etag);
    const key = (h: typeof heads1): string => storeInputKey(data, { crm: { bytes: h.crm.size, etag: h.crm.etag }, billing: { bytes: h.billing.size, etag: h.billing.etag }, product: { bytes: h.product.size, etag: h.product.etag }, support: { bytes: h.support.size, etag: h.support.etag } });
    expect(key(heads2)).not.toBe(key(heads1));
  });
});
