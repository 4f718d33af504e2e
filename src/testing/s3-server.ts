import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { s3ClientConfig, type S3Environment } from '../io/store/s3-config.js';
import { DEFAULT_RETRY } from '../io/store/retry-policy.js';
import { quietSdkNodeWarning } from '../io/store/sdk-warning.js';

/** An S3-compatible server for tests, with one empty bucket of their own. */
export interface TestS3 {
  /** The environment a store reads: AWS_ENDPOINT_URL, AWS_REGION and the credentials. */
  readonly env: S3Environment;
  readonly endpoint: string;
  readonly bucket: string;
  /** Whether this helper started the server (else AWS_ENDPOINT_URL named one). */
  readonly started: boolean;
  /** Empties and removes the bucket, and stops the server if this helper started it. */
  close(): Promise<void>;
}

/** s3rver checks request signatures with these fixed credentials. */
const S3RVER_KEY = 'S3RVER';

let buckets = 0;

/**
 * An S3-compatible server for tests, with a fresh bucket: the one AWS_ENDPOINT_URL names, else
 * s3rver in a child process on a free port. Test-only.
 */
export async function startTestS3(): Promise<TestS3> {
  const bucket = `cm-test-${process.pid}-${++buckets}`;
  const given = process.env['AWS_ENDPOINT_URL'];
  if (given !== undefined && given !== '') {
    const env: S3Environment = { ...(process.env as S3Environment), AWS_REGION: process.env['AWS_REGION'] ?? 'us-east-1' };
    await withClient(env, (c) => c.send(new CreateBucketCommand({ Bucket: bucket })));
    return { env, endpoint: given, bucket, started: false, close: () => removeBucket(env, bucket) };
  }
  const dir = await mkdtemp(join(tmpdir(), 's3rver-'));
  const { port, stop } = await startS3rver(dir, bucket);
  const endpoint = `http://127.0.0.1:${port}`;
  const env: S3Environment = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: S3RVER_KEY, AWS_SECRET_ACCESS_KEY: S3RVER_KEY };
  return {
    env,
    endpoint,
    bucket,
    started: true,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The child's program: starts s3rver on a free loopback port over `dir` with `bucket`, prints
 * `{"port":…}`, and exits when its stdin closes (so it never outlives the test process).
 */
const CHILD = `
const [entry, dir, bucket] = process.argv.slice(1);
const S3rver = (await import(entry)).default;
const server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\\n');
process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
process.stdin.resume();
`;

/**
 * Runs s3rver in a child process with `--openssl-legacy-provider`, which its DES-signed
 * ListObjectsV2 tokens need on OpenSSL 3, without putting that flag on the test worker.
 */
async function startS3rver(dir: string, bucket: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('s3rver')).href;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--input-type=module', '-e', CHILD, entry, dir, bucket], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within 20 s: ${stderr.trim()}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}) before listening: ${stderr.trim()}`));
    });
  });
  return {
    port,
    stop: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `call` with a client of `env`, destroyed afterwards. */
async function withClient<T>(env: S3Environment, call: (c: S3Client) => Promise<T>): Promise<T> {
  quietSdkNodeWarning();
  const c = new S3Client(s3ClientConfig(env, DEFAULT_RETRY));
  try {
    return await call(c);
  } finally {
    c.destroy();
  }
}

/** Deletes every object of `bucket`, then the bucket. */
async function removeBucket(env: S3Environment, bucket: string): Promise<void> {
  await withClient(env, async (c) => {
    for (;;) {
      const page = await c.send(new ListObjectsV2Command({ Bucket: bucket }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
      if (keys.length === 0) break;
      for (const Key of keys) await c.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    }
    await c.send(new DeleteBucketCommand({ Bucket: bucket }));
  });
}
