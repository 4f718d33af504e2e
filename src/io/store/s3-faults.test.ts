import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unusedPort } from '../../testing/net.js';
import { openStore, StoreError, type ObjectStore, type RetryPolicy } from './index.js';
import { startFaultProxy, type FaultProxy } from '../../testing/s3-fault-proxy.js';
import { startTestS3, type TestS3 } from '../../testing/s3-server.js';

/** Short delays so a test of five attempts takes milliseconds; the schedule is the production one scaled down. */
const RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 };
const MiB = 1024 * 1024;

let s3: TestS3;
let proxy: FaultProxy;
let store: ObjectStore;
let prefix = 0;

beforeAll(async () => {
  s3 = await startTestS3();
  proxy = await startFaultProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy?.close();
  await s3?.close();
});
beforeEach(() => {
  store = openStore(`s3://${s3.bucket}/faults${++prefix}`, { env: { ...s3.env, AWS_ENDPOINT_URL: proxy.endpoint }, retry: RETRY, upload: { partSize: 5 * MiB } });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** The one-line message rules every store failure obeys: names the object, no line break, no secret. */
function expectOneLineNaming(err: unknown, location: string): StoreError {
  expect(err).toBeInstanceOf(StoreError);
  const e = err as StoreError;
  expect(e.message.startsWith(`${location}: `), e.message).toBe(true);
  expect(e.message).not.toMatch(/[\r\n]/);
  expect(e.message).not.toContain(s3.env.AWS_SECRET_ACCESS_KEY);
  expect(e.location).toBe(location);
  return e;
}

const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256));

describe('S3 store failures, injected by a proxy in front of the server', () => {
  it('503 SlowDown twice on a GET: retried with backoff, the third attempt reads the object', async () => {
    await store.put('slow.bin', data);
    proxy.inject({ method: 'GET', key: 'slow.bin' }, { kind: 'status', status: 503, code: 'SlowDown' }, 2);
    const before = proxy.count({ method: 'GET', key: 'slow.bin' });
    expect((await readAll(await store.get('slow.bin'))).equals(data)).toBe(true);
    expect(proxy.count({ method: 'GET', key: 'slow.bin' }) - before).toBe(3);
  });

  it('500 InternalError twice on a PUT: retried, the object is written once and whole', async () => {
    proxy.inject({ method: 'PUT', key: 'five.bin' }, { kind: 'status', status: 500, code: 'InternalError' }, 2);
    await store.put('five.bin', data);
    expect(proxy.count({ method: 'PUT', key: 'five.bin' })).toBe(3);
    expect((await readAll(await store.get('five.bin'))).equals(data)).toBe(true);
  });

  it('503 SlowDown on every attempt: STORE_UNAVAILABLE after exactly maxAttempts requests, retryable, one line', async () => {
    proxy.inject({ method: 'GET', key: 'busy.csv' }, { kind: 'status', status: 503, code: 'SlowDown' }, 100);
    const err = await store.get('busy.csv').catch((e: unknown) => e);
    const e = expectOneLineNaming(err, store.locate('busy.csv'));
    expect(e.code).toBe('STORE_UNAVAILABLE');
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(`${store.locate('busy.csv')}: the store at ${proxy.endpoint} kept failing (HTTP 503 SlowDown) after 4 attempts; try again later`);
    expect(proxy.count({ method: 'GET', key: 'busy.csv' })).toBe(4);
    // A HEAD answer has no body: the status alone is named.
    proxy.inject({ method: 'HEAD', key: 'busy.csv' }, { kind: 'status', status: 503, code: 'SlowDown' }, 100);
    const h = expectOneLineNaming(await store.head('busy.csv').catch((x: unknown) => x), store.locate('busy.csv'));
    expect(h.message).toBe(`${store.locate('busy.csv')}: the store at ${proxy.endpoint} kept failing (HTTP 503) after 4 attempts; try again later`);
  });

  it('403 AccessDenied on a GET fails at once (one request) with one line naming s3://bucket/key', async () => {
    await store.put('secret.csv', 'x');
    proxy.inject({ method: 'GET', key: 'secret.csv' }, { kind: 'status', status: 403, code: 'AccessDenied' }, 1);
    const err = await store.get('secret.csv').catch((e: unknown) => e);
    const e = expectOneLineNaming(err, `s3://${s3.bucket}/faults${prefix}/secret.csv`);
    expect(e.code).toBe('STORE_FORBIDDEN');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('HTTP 403 AccessDenied');
    expect(proxy.count({ method: 'GET', key: 'secret.csv' })).toBe(1);
  });

  it('403 on a HEAD (no body to name the error) and on a PUT fail at once as STORE_FORBIDDEN', async () => {
    proxy.inject({ method: 'HEAD', key: 'h403.csv' }, { kind: 'status', status: 403, code: 'AccessDenied' }, 1);
    const e1 = expectOneLineNaming(await store.head('h403.csv').catch((e: unknown) => e), store.locate('h403.csv'));
    expect(e1.code).toBe('STORE_FORBIDDEN');
    proxy.inject({ method: 'PUT', key: 'p403.csv' }, { kind: 'status', status: 403, code: 'AccessDenied' }, 1);
    const e2 = expectOneLineNaming(await store.put('p403.csv', 'x').catch((e: unknown) => e), store.locate('p403.csv'));
    expect(e2.code).toBe('STORE_FORBIDDEN');
    expect(proxy.count({ key: 'h403.csv' })).toBe(1);
    expect(proxy.count({ key: 'p403.csv' })).toBe(1);
  });

  it('404 on a GET fails at once as STORE_NOT_FOUND; 404 on a HEAD is "no object"', async () => {
    await store.put('gone.csv', 'x');
    proxy.inject({ method: 'GET', key: 'gone.csv' }, { kind: 'status', status: 404, code: 'NoSuchKey' }, 1);
    const e = expectOneLineNaming(await store.get('gone.csv').catch((x: unknown) => x), store.locate('gone.csv'));
    expect(e.code).toBe('STORE_NOT_FOUND');
    expect(e.message).toBe(`${store.locate('gone.csv')}: no such object (HTTP 404 NoSuchKey)`);
    expect(proxy.count({ method: 'GET', key: 'gone.csv' })).toBe(1);
    proxy.inject({ method: 'HEAD', key: 'gone.csv' }, { kind: 'status', status: 404, code: 'NoSuchKey' }, 1);
    expect(await store.head('gone.csv')).toBeUndefined();
  });

  it('a download cut midway fails with STORE_TRANSFER_BROKEN naming the bytes received; a second get reads it whole', async () => {
    await store.put('cut.bin', data);
    proxy.inject({ method: 'GET', key: 'cut.bin' }, { kind: 'cut', afterBytes: 50_000 }, 1);
    const stream = await store.get('cut.bin');
    const err = await readAll(stream).catch((e: unknown) => e);
    const e = expectOneLineNaming(err, store.locate('cut.bin'));
    expect(e.code).toBe('STORE_TRANSFER_BROKEN');
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/: transfer broken after \d+ of 200000 bytes \(/);
    expect(Number(/after (\d+) of/.exec(e.message)?.[1])).toBeLessThanOrEqual(50_000);
    expect((await readAll(await store.get('cut.bin'))).equals(data)).toBe(true);
    expect(proxy.count({ method: 'GET', key: 'cut.bin' })).toBe(2);
  });

  it('a download that falls silent midway fails after the idle timeout as STORE_TRANSFER_BROKEN; a second get reads it whole', async () => {
    const quick = openStore(store.descriptor, { env: { ...s3.env, AWS_ENDPOINT_URL: proxy.endpoint }, retry: RETRY, idleTimeoutMs: 300 });
    await quick.put('stall.bin', data);
    proxy.inject({ method: 'GET', key: 'stall.bin' }, { kind: 'stall', afterBytes: 30_000 }, 1);
    const err = await readAll(await quick.get('stall.bin')).catch((e: unknown) => e);
    const e = expectOneLineNaming(err, quick.locate('stall.bin'));
    expect(e.code).toBe('STORE_TRANSFER_BROKEN');
    expect(e.message).toMatch(/: transfer broken after \d+ of 200000 bytes \(no data within the idle timeout\)/);
    expect((await readAll(await quick.get('stall.bin'))).equals(data)).toBe(true);
    await quick.close();
  });

  it('a request answered by silence is dropped after the idle timeout and retried', async () => {
    const quick = openStore(store.descriptor, { env: { ...s3.env, AWS_ENDPOINT_URL: proxy.endpoint }, retry: RETRY, idleTimeoutMs: 300 });
    await quick.put('mute.bin', data);
    proxy.inject({ method: 'GET', key: 'mute.bin' }, { kind: 'stall', afterBytes: 0 }, 100);
    const err = await quick.get('mute.bin').catch((e: unknown) => e);
    const e = expectOneLineNaming(err, quick.locate('mute.bin'));
    expect(e.code).toBe('STORE_UNAVAILABLE');
    expect(e.message).toBe(`${quick.locate('mute.bin')}: the store at ${proxy.endpoint} did not answer in time (ETIMEDOUT) after 4 attempts`);
    expect(proxy.count({ method: 'GET', key: 'mute.bin' })).toBe(4);
    await quick.close();
  });

  it('a PUT whose response is cut is retried by the SDK and the object is whole', async () => {
    proxy.inject({ method: 'PUT', key: 'putcut.bin' }, { kind: 'cut', afterBytes: 0 }, 1);
    await store.put('putcut.bin', data);
    expect(proxy.count({ method: 'PUT', key: 'putcut.bin' })).toBe(2);
    expect((await readAll(await store.get('putcut.bin'))).equals(data)).toBe(true);
  });

  it('a multipart upload whose part fails once is retried; one that keeps failing is aborted and leaves no object', async () => {
    const big = Buffer.alloc(11 * MiB, 3);
    proxy.inject({ method: 'PUT', key: 'multi.bin' }, { kind: 'status', status: 500, code: 'InternalError' }, 1);
    await store.put('multi.bin', Readable.from([big.subarray(0, 6 * MiB), big.subarray(6 * MiB)]));
    expect(proxy.count({ method: 'PUT', key: 'multi.bin' })).toBe(4); // three parts, one retried
    expect((await store.head('multi.bin'))?.size).toBe(11 * MiB);

    proxy.inject({ method: 'PUT', key: 'failing.bin' }, { kind: 'status', status: 500, code: 'InternalError' }, 100);
    const err = await store.put('failing.bin', Readable.from([big])).catch((e: unknown) => e);
    const e = expectOneLineNaming(err, store.locate('failing.bin'));
    expect(e.code).toBe('STORE_UNAVAILABLE');
    expect(await store.head('failing.bin')).toBeUndefined();
    expect(proxy.seen.some((s) => s.method === 'DELETE' && s.path.endsWith('/failing.bin') && s.query.includes('uploadId'))).toBe(true);
  });
});

describe('S3 store failures of the environment', () => {
  it('an unreachable endpoint is STORE_UNAVAILABLE after the retries, naming the endpoint and never the credentials', async () => {
    const port = await unusedPort();
    const env = { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-example-secret' };
    const dead = openStore('s3://some-bucket/data', { env, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = await dead.get('crm.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toBe(`s3://some-bucket/data/crm.csv: cannot reach the store at http://127.0.0.1:${port} (ECONNREFUSED) after 2 attempts`);
    expect((err as StoreError).message).not.toContain('wJalrXUtnFEMI');
    expect((err as StoreError).message).not.toContain('AKIAEXAMPLEKEYID');
  });

  it('unknown credentials are refused by the server as STORE_FORBIDDEN, the key id and secret absent from the message', async () => {
    const wrong = openStore(`s3://${s3.bucket}/x`, { env: { ...s3.env, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN0815', AWS_SECRET_ACCESS_KEY: 'not-the-secret-4711' }, retry: RETRY });
    const err = await wrong.get('a.csv').catch((e: unknown) => e);
    const e = err as StoreError;
    expect(e).toBeInstanceOf(StoreError);
    expect(e.code).toBe('STORE_FORBIDDEN');
    expect(e.message).toMatch(new RegExp(`^s3://${s3.bucket}/x/a\\.csv: access denied \\(HTTP 403 \\w+\\)`));
    expect(e.message).not.toContain('not-the-secret-4711');
    expect(e.message).not.toContain('AKIAUNKNOWN0815');
    expect(e.message).not.toMatch(/[\r\n]/);
  });

  it('a missing bucket is STORE_NO_BUCKET naming it', async () => {
    const nob = openStore('s3://cm-no-such-bucket/p', { env: s3.env, retry: RETRY });
    const err = (await nob.get('a.csv').catch((e: unknown) => e)) as StoreError;
    expect(err.code).toBe('STORE_NO_BUCKET');
    expect(err.message).toBe(`s3://cm-no-such-bucket/p/a.csv: no such bucket "cm-no-such-bucket" at ${s3.endpoint} (HTTP 404 NoSuchBucket)`);
  });
});
