/**
 * `generate --out s3://bucket/prefix` against a real S3-compatible server on 127.0.0.1 (s3rver,
 * or the one AWS_ENDPOINT_URL names): the objects are byte for byte what a local generate with the
 * same options writes, a stopped run publishes nothing, and a missing bucket is one line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/io/store/index.js';
import { startTestS3, type TestS3 } from '../src/testing/s3-server.js';
import { generateDataset, type GenerateOptions } from './dataset.js';
import { GenerationAbortedError } from './errors.js';
import { PROJECT_ROOT, tempDir } from './test-support.js';

const ENV_NAMES = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const dirs: Array<{ remove: () => void }> = [];
let s3: TestS3;
let saved: Record<string, string | undefined>;

beforeAll(async () => {
  s3 = await startTestS3();
  saved = Object.fromEntries(ENV_NAMES.map((k) => [k, process.env[k]]));
  for (const k of ENV_NAMES) process.env[k] = s3.env[k];
}, 120_000);

afterAll(async () => {
  for (const k of ENV_NAMES) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  dirs.forEach((d) => d.remove());
  await s3?.close();
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** Generates locally and to `s3://bucket/<prefix>`, and expects the same files with the same bytes. */
async function expectSameBothWays(prefix: string, options: Omit<GenerateOptions, 'out'>): Promise<Record<string, number>> {
  const dir = tempDir();
  dirs.push(dir);
  await generateDataset({ ...options, out: dir.path, quiet: true });
  const location = `s3://${s3.bucket}/${prefix}`;
  const report = await generateDataset({ ...options, out: location, quiet: true });
  expect(report.out).toBe(location);
  expect(report.files.crm.path).toBe(`${location}/crm.csv`);
  const store = openStore(location, { env: s3.env });
  const sizes: Record<string, number> = {};
  try {
    const keys: string[] = [];
    for await (const { key } of store.list('')) keys.push(key);
    expect(keys.sort()).toEqual(readdirSync(dir.path).sort());
    for (const name of keys) {
      const local = readFileSync(join(dir.path, name));
      expect((await readAll(await store.get(name))).equals(local), name).toBe(true);
      sizes[name] = local.length;
    }
  } finally {
    await store.close();
  }
  return sizes;
}

describe('generate --out s3://bucket/prefix', () => {
  it('seed 7, 1500 customers, with manifest and planted rows: the objects equal a local generate byte for byte', async () => {
    const sizes = await expectSameBothWays('small', { customers: 1500, seed: 7, manifest: true, dirty: 0.01, workers: 0 });
    expect(Object.keys(sizes).sort()).toEqual(['billing.csv', 'crm.csv', 'dirty-manifest.json', 'manifest.json', 'product.csv', 'support.csv'].sort());
  });

  it('seed 11, 50000 customers on 2 workers: a file over one part (5 MiB) goes up as a multipart upload, same bytes', async () => {
    const sizes = await expectSameBothWays('multipart', { customers: 50_000, seed: 11, workers: 2 });
    expect(Math.max(...Object.values(sizes))).toBeGreaterThan(5 * 1024 * 1024);
  }, 120_000);

  it('seed 12: a run stopped midway publishes no object', async () => {
    const controller = new AbortController();
    const location = `s3://${s3.bucket}/stopped`;
    const err = await generateDataset({
      customers: 3000,
      seed: 12,
      workers: 0,
      chunkSize: 100,
      out: location,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.customersDone >= 500) controller.abort('test stop');
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GenerationAbortedError);
    const store = openStore(location, { env: s3.env });
    const keys: string[] = [];
    for await (const { key } of store.list('')) keys.push(key);
    await store.close();
    expect(keys).toEqual([]);
  });

  it('a missing bucket fails in one line naming it, before anything is generated', () => {
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/generators/cli.js'), '--customers', '100', '--seed', '1', '--out', 's3://no-such-bucket-cm/x'], {
      encoding: 'utf8',
      env: { ...process.env, ...s3.env },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^customer-merge generate: s3:\/\/no-such-bucket-cm\/x.*: no such bucket "no-such-bucket-cm" at http:\/\/127\.0\.0\.1:\d+/), '']);
    expect(result.stderr).not.toContain(String(s3.env.AWS_SECRET_ACCESS_KEY));
    expect(result.stderr).not.toContain('--workers 0'); // the hint of an unexplained failure
  });
});
