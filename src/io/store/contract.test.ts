import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, StoreError, type ObjectStore } from './index.js';
import { startTestS3, type TestS3 } from '../../testing/s3-server.js';

/** Bytes 0..n-1 of a fixed pattern (byte i is (i * 31 + salt) mod 251): every range is checkable. */
function pattern(n: number, salt = 0): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + salt) % 251;
  return b;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A source that yields `chunks` and then fails, as a broken upstream read would. */
function failingSource(chunks: Buffer[], message: string): Readable {
  return Readable.from(
    (async function* () {
      for (const c of chunks) yield c;
      throw new Error(message);
    })(),
    { objectMode: false },
  );
}

/** Runs `calls` with at most `limit` in flight. */
async function inBatches(calls: (() => Promise<unknown>)[], limit: number): Promise<void> {
  for (let i = 0; i < calls.length; i += limit) await Promise.all(calls.slice(i, i + limit).map((c) => c()));
}

const MiB = 1024 * 1024;
let s3: TestS3 | undefined;
let localRoot = '';
let stores = 0;

beforeAll(async () => {
  s3 = await startTestS3();
  localRoot = await mkdtemp(join(tmpdir(), 'cm-store-'));
});
afterAll(async () => {
  await s3?.close();
  await rm(localRoot, { recursive: true, force: true });
});

/** The backends under one contract; each test gets a store of its own (a fresh folder or prefix). */
const backends: { name: string; fresh: () => ObjectStore }[] = [
  { name: 'local folder', fresh: () => openStore(join(localRoot, `t${++stores}`)) },
  {
    name: 'S3 (s3rver on 127.0.0.1, or the server AWS_ENDPOINT_URL names)',
    fresh: () => openStore(`s3://${s3!.bucket}/t${++stores}`, { env: s3!.env, upload: { partSize: 5 * MiB } }),
  },
];

describe.each(backends)('object store contract: $name', ({ fresh }) => {
  it('puts a buffer, a string and a chunked stream, and gets each back byte for byte', async () => {
    const store = fresh();
    const data = pattern(100_000, 3);
    expect((await store.put('a/buffer.bin', data)).bytes).toBe(100_000);
    expect((await store.put('a/text.csv', 'customer_id,name\nc1,Ana\n')).bytes).toBe(24);
    expect((await store.put('a/stream.bin', Readable.from([data.subarray(0, 7), data.subarray(7, 60_000), data.subarray(60_000)]))).bytes).toBe(100_000);
    expect((await readAll(await store.get('a/buffer.bin'))).equals(data)).toBe(true);
    expect((await readAll(await store.get('a/text.csv'))).toString()).toBe('customer_id,name\nc1,Ana\n');
    expect((await readAll(await store.get('a/stream.bin'))).equals(data)).toBe(true);
    await store.close();
  });

  it('puts and gets an empty object (size 0), from an empty string and from an empty stream', async () => {
    const store = fresh();
    expect((await store.put('empty/a.csv', '')).bytes).toBe(0);
    expect((await store.put('empty/b.csv', Readable.from([]))).bytes).toBe(0);
    expect((await store.head('empty/a.csv'))?.size).toBe(0);
    expect((await store.head('empty/b.csv'))?.size).toBe(0);
    expect((await readAll(await store.get('empty/b.csv'))).length).toBe(0);
    expect(await collect(store.list('empty/'))).toEqual([{ key: 'empty/a.csv', size: 0 }, { key: 'empty/b.csv', size: 0 }]);
    await store.close();
  });

  it('reads byte ranges: inner, open-ended, past the end, empty, starting past the end', async () => {
    const store = fresh();
    const data = pattern(5000, 11);
    await store.put('r.bin', data);
    expect((await readAll(await store.get('r.bin', { start: 100, end: 1100 }))).equals(data.subarray(100, 1100))).toBe(true);
    expect((await readAll(await store.get('r.bin', { start: 4990 }))).equals(data.subarray(4990))).toBe(true);
    expect((await readAll(await store.get('r.bin', { start: 4000, end: 9000 }))).equals(data.subarray(4000))).toBe(true);
    expect((await readAll(await store.get('r.bin', { start: 10, end: 10 }))).length).toBe(0);
    expect((await readAll(await store.get('r.bin', { start: 5000 }))).length).toBe(0);
    expect((await readAll(await store.get('r.bin', { start: 0, end: 1 }))).equals(data.subarray(0, 1))).toBe(true);
    await store.close();
  });

  it('heads an object (size, and a new version after an overwrite) and answers undefined for a missing one', async () => {
    const store = fresh();
    expect(await store.head('nothing/here.csv')).toBeUndefined();
    await store.put('h.csv', 'one');
    const first = await store.head('h.csv');
    expect(first?.size).toBe(3);
    await store.put('h.csv', 'three');
    const second = await store.head('h.csv');
    expect(second?.size).toBe(5);
    expect((await readAll(await store.get('h.csv'))).toString()).toBe('three');
    if (store.descriptor.kind === 's3') expect(second?.etag).not.toBe(first?.etag);
    expect(second?.mtime).toBeInstanceOf(Date);
    await store.close();
  });

  it('lists by prefix in key order, a small page at a time', async () => {
    const store = fresh();
    const keys = Array.from({ length: 25 }, (_, i) => `shards/s${String(i).padStart(2, '0')}/part.csv`);
    await inBatches(keys.map((k, i) => () => store.put(k, 'x'.repeat(i))), 8);
    await store.put('shards-other.csv', 'y');
    await store.put('manifest.json', '{}');
    const listed = await collect(store.list('shards/', { pageSize: 7 }));
    expect(listed).toEqual(keys.map((key, i) => ({ key, size: i })));
    // S3 lists in byte order ("-" before "/"); s3rver lists folder by folder (and so loses keys
    // across its pages when folders and files interleave): the set of one page is compared.
    expect((await collect(store.list('shards'))).map((e) => e.key).sort()).toEqual(['shards-other.csv', ...keys]);
    expect((await collect(store.list('shards/s1', { pageSize: 3 }))).map((e) => e.key)).toEqual(keys.slice(10, 20));
    expect((await collect(store.list())).length).toBe(27);
    expect(await collect(store.list('absent/'))).toEqual([]);
    await store.close();
  });

  it('lists more than 1000 objects (more than one page of S3 at its default page size)', async () => {
    const store = fresh();
    const keys = Array.from({ length: 1005 }, (_, i) => `many/k${String(i).padStart(4, '0')}`);
    await inBatches(keys.map((k) => () => store.put(k, k)), 32);
    const listed = await collect(store.list('many/'));
    expect(listed.length).toBe(1005);
    expect(listed.map((e) => e.key)).toEqual(keys);
    expect(listed.every((e) => e.size === 10)).toBe(true);
    await store.close();
  });

  it('deletes an object; deleting a missing one is not an error', async () => {
    const store = fresh();
    await store.put('d/1.csv', 'a');
    await store.put('d/2.csv', 'b');
    await store.delete('d/1.csv');
    await store.delete('d/1.csv');
    await store.delete('never/was.csv');
    expect(await store.head('d/1.csv')).toBeUndefined();
    expect((await collect(store.list('d/'))).map((e) => e.key)).toEqual(['d/2.csv']);
    await store.close();
  });

  it('a put whose source fails midway leaves no object under the key (small body, one request)', async () => {
    const store = fresh();
    const err = await store.put('atomic/small.csv', failingSource([pattern(1000), pattern(1000, 1)], 'upstream read failed at row 42')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_SOURCE_FAILED');
    expect((err as StoreError).message).toBe(`${store.locate('atomic/small.csv')}: not written: its source failed after 2000 bytes (upstream read failed at row 42)`);
    expect(await store.head('atomic/small.csv')).toBeUndefined();
    expect(await collect(store.list('atomic/'))).toEqual([]);
    await store.close();
  });

  it('a put whose source fails after more than one part leaves no object, and an earlier object under the key intact', async () => {
    const store = fresh();
    await store.put('atomic/big.bin', 'the previous version');
    const parts = [pattern(3 * MiB, 1), pattern(3 * MiB, 2), pattern(3 * MiB, 3), pattern(2 * MiB, 4)];
    const err = await store.put('atomic/big.bin', failingSource(parts, 'source connection reset')).catch((e: unknown) => e);
    expect((err as StoreError).code).toBe('STORE_SOURCE_FAILED');
    expect((err as StoreError).message).toContain(`${store.locate('atomic/big.bin')}: not written: its source failed after ${11 * MiB} bytes`);
    expect((await readAll(await store.get('atomic/big.bin'))).toString()).toBe('the previous version');
    const err2 = await store.put('atomic/new.bin', failingSource(parts, 'source connection reset')).catch((e: unknown) => e);
    expect((err2 as StoreError).code).toBe('STORE_SOURCE_FAILED');
    expect(await store.head('atomic/new.bin')).toBeUndefined();
    expect((await collect(store.list('atomic/'))).map((e) => e.key)).toEqual(['atomic/big.bin']);
    await store.close();
  });

  it('puts and gets an object of several parts (a multipart upload on S3) byte for byte', async () => {
    const store = fresh();
    const data = pattern(12 * MiB + 5, 9);
    const chunks = Array.from({ length: Math.ceil(data.length / 65536) }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
    expect((await store.put('big/whole.bin', Readable.from(chunks))).bytes).toBe(data.length);
    expect((await store.head('big/whole.bin'))?.size).toBe(data.length);
    expect((await readAll(await store.get('big/whole.bin'))).equals(data)).toBe(true);
    expect((await readAll(await store.get('big/whole.bin', { start: 5 * MiB - 10, end: 5 * MiB + 10 }))).equals(data.subarray(5 * MiB - 10, 5 * MiB + 10))).toBe(true);
    await store.close();
  });

  it('a missing object is a StoreError naming it; a bad key is refused before any request', async () => {
    const store = fresh();
    const err = await store.get('no/such.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_NOT_FOUND');
    expect((err as StoreError).message.startsWith(`${store.locate('no/such.csv')}: no such object`)).toBe(true);
    expect((err as StoreError).message).not.toContain('\n');
    expect((err as StoreError).retryable).toBe(false);
    for (const bad of ['../escape.csv', '/abs.csv', 'a//b.csv', 'a/./b.csv', '']) {
      const e = await store.put(bad, 'x').catch((x: unknown) => x);
      expect((e as StoreError).code, bad).toBe('STORE_BAD_KEY');
      expect((e as StoreError).message).toContain(JSON.stringify(bad));
    }
    await store.close();
  });

  it('its descriptor survives JSON: a store opened from it reads the same objects', async () => {
    const store = fresh();
    await store.put('k.csv', 'shared');
    const again = openStore(JSON.parse(JSON.stringify(store.descriptor)), s3 && store.descriptor.kind === 's3' ? { env: s3.env } : {});
    expect((await readAll(await again.get('k.csv'))).toString()).toBe('shared');
    expect(again.locate('k.csv')).toBe(store.locate('k.csv'));
    await again.close();
    await store.close();
  });
});

describe('local folder store', () => {
  it('lists keys relative to its root however the root was written (a trailing slash, a relative path)', async () => {
    const root = join(localRoot, 'slashed');
    await openStore(root).put('a/b.csv', 'x');
    const store = openStore({ kind: 'local', root: `${root}/` });
    expect(store.descriptor).toEqual({ kind: 'local', root });
    expect(await collect(store.list())).toEqual([{ key: 'a/b.csv', size: 1 }]);
  });

  it('never lists a temporary file a crashed put left behind, and leaves none after a failed put', async () => {
    const root = join(localRoot, 'crash');
    const store = openStore(root);
    await store.put('p/a.csv', 'a');
    await writeFile(join(root, 'p', 'b.csv.tmp-123-abc123'), 'half');
    expect((await collect(store.list('p/'))).map((e) => e.key)).toEqual(['p/a.csv']);
    await store.put('p/c.csv', failingSource([pattern(10)], 'boom')).catch(() => undefined);
    expect((await readdir(join(root, 'p'))).sort()).toEqual(['a.csv', 'b.csv.tmp-123-abc123']);
  });
});
