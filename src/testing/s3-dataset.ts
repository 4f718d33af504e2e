import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../../generators/index.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { openStore } from '../io/store/index.js';
import { startTestS3, type TestS3 } from './s3-server.js';

/** The store settings a store reads from the environment, set for the fixture's lifetime. */
const ENV_NAMES = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

export interface S3DatasetOptions {
  /** Name prefix of the temporary work folder. */
  readonly tmpPrefix: string;
  /** A folder holding the four sources, or a dataset to generate into `<work>/data`. */
  readonly dataset: { readonly dir: string } | { readonly customers: number; readonly seed: number; readonly dirty: number };
  /** Key prefix in the bucket the dataset is uploaded under. */
  readonly prefix: string;
}

/** A test S3 server with a dataset in its bucket, a local copy of it and a scratch folder. */
export interface S3Dataset {
  readonly s3: TestS3;
  /** Temporary folder for the test's outputs, removed by `close`. */
  readonly work: string;
  /** The dataset's local folder. */
  readonly localData: string;
  /** `s3://bucket/prefix` of the uploaded dataset. */
  readonly data: string;
  /** Uploads a folder's sources (those present) under `prefix`, one source's bytes optionally replaced; returns the location. */
  upload(dir: string, prefix: string, change?: { source?: SourceName; bytes?: Buffer }): Promise<string>;
  /** Restores the environment, removes the work folder and the bucket, stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a test S3 server (`startTestS3`), points this process's AWS_* variables at it (workers
 * inherit them), and uploads the dataset. Test-only.
 */
export async function startS3Dataset(options: S3DatasetOptions): Promise<S3Dataset> {
  const s3 = await startTestS3();
  const saved = Object.fromEntries(ENV_NAMES.map((k) => [k, process.env[k]]));
  for (const k of ENV_NAMES) process.env[k] = s3.env[k];
  let work: string | undefined;
  const close = async (): Promise<void> => {
    for (const k of ENV_NAMES) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    if (work !== undefined) await rm(work, { recursive: true, force: true });
    await s3.close();
  };
  const upload = async (dir: string, prefix: string, change: { source?: SourceName; bytes?: Buffer } = {}): Promise<string> => {
    const location = `s3://${s3.bucket}/${prefix}`;
    const store = openStore(location, { env: s3.env });
    try {
      const present = new Set(await readdir(dir));
      for (const s of SOURCE_NAMES) {
        if (!present.has(SOURCE_FILES[s])) continue;
        await store.put(SOURCE_FILES[s], s === change.source && change.bytes !== undefined ? change.bytes : await readFile(join(dir, SOURCE_FILES[s])));
      }
    } finally {
      await store.close();
    }
    return location;
  };
  try {
    work = await mkdtemp(join(tmpdir(), options.tmpPrefix));
    let localData: string;
    if ('dir' in options.dataset) {
      localData = options.dataset.dir;
    } else {
      localData = join(work, 'data');
      const { customers, seed, dirty } = options.dataset;
      await generateDataset({ customers, seed, out: localData, dirty, quiet: true });
    }
    const data = await upload(localData, options.prefix);
    return { s3, work, localData, data, upload, close };
  } catch (err) {
    await close();
    throw err;
  }
}
