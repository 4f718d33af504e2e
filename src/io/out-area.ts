import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isStoreLocation } from './source-store.js';
import { StoreError, formatLocation, openStore, parseLocation } from './store/index.js';
import type { ObjectStore } from './store/index.js';

/**
 * Where a task writes its outputs: a local folder in place, or for `s3://bucket/prefix` a private
 * staging folder whose finished files are published under the same relative keys (atomic puts).
 */
export interface OutArea {
  /** The local folder the task writes in: the out folder itself, or the staging folder. */
  readonly dir: string;
  /** True when files written in `dir` reach the out location only when published. */
  readonly staged: boolean;
  /** Where `key` is in the out location, for messages: a path or `s3://bucket/prefix/key`. */
  locate(key: string): string;
  /** The object's text, or undefined when there is none. */
  readText(key: string): Promise<string | undefined>;
  /** sha256 (hex) of the object, streamed from the out location; undefined when there is none. */
  sha256(key: string): Promise<string | undefined>;
  /** Whether the object exists in the out location. */
  exists(key: string): Promise<boolean>;
  /** Copies objects from the out location into `dir` (nothing to do for a local folder). */
  pull(keys: readonly string[], concurrency?: number): Promise<void>;
  /**
   * Publishes files of `dir` under the same keys (nothing to do for a local folder). Uploads run
   * `concurrency` at a time (1: one after the other, in the given order).
   */
  publish(keys: readonly string[], concurrency?: number): Promise<void>;
  /** Writes one small object (directly to the out location). */
  putText(key: string, text: string): Promise<void>;
  /** Keys under `prefix` in the out location. */
  list(prefix: string): Promise<string[]>;
  /** Removes one object; a missing one is not an error. */
  remove(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix` (a folder for a local out location). */
  removePrefix(prefix: string): Promise<void>;
  /** Removes the staging folder and releases the store's connections. */
  close(): Promise<void>;
}

/** A local out folder: written in place. */
class LocalOutArea implements OutArea {
  readonly staged = false;
  constructor(readonly dir: string) {}
  locate(key: string): string {
    return join(this.dir, key);
  }
  async readText(key: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.dir, key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
  async sha256(key: string): Promise<string | undefined> {
    try {
      return await hashOf(createReadStream(join(this.dir, key), { highWaterMark: 1 << 20 }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
  async exists(key: string): Promise<boolean> {
    return access(join(this.dir, key)).then(
      () => true,
      () => false,
    );
  }
  async pull(): Promise<void> {}
  async publish(): Promise<void> {}
  async putText(key: string, text: string): Promise<void> {
    await mkdir(dirname(join(this.dir, key)), { recursive: true });
    await openStore(this.dir).put(key, text);
  }
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const e of openStore(this.dir).list(prefix)) keys.push(e.key);
    return keys;
  }
  async remove(key: string): Promise<void> {
    await rm(join(this.dir, key), { force: true });
  }
  async removePrefix(prefix: string): Promise<void> {
    await rm(join(this.dir, prefix), { recursive: true, force: true });
  }
  async close(): Promise<void> {}
}

/** A store out location: written in a staging folder, published by atomic puts. */
class StagedOutArea implements OutArea {
  readonly staged = true;
  constructor(
    readonly dir: string,
    private readonly store: ObjectStore,
  ) {}
  locate(key: string): string {
    return this.store.locate(key);
  }
  async readText(key: string): Promise<string | undefined> {
    const body = await this.getOrUndefined(key);
    if (body === undefined) return undefined;
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  async sha256(key: string): Promise<string | undefined> {
    const body = await this.getOrUndefined(key);
    return body === undefined ? undefined : hashOf(body);
  }
  async exists(key: string): Promise<boolean> {
    return (await this.store.head(key)) !== undefined;
  }
  async pull(keys: readonly string[], concurrency = 4): Promise<void> {
    await eachLimited(keys, concurrency, async (key) => {
      const path = join(this.dir, key);
      await mkdir(dirname(path), { recursive: true });
      await pipeline(await this.store.get(key), createWriteStream(path));
    });
  }
  async publish(keys: readonly string[], concurrency = 1): Promise<void> {
    await eachLimited(keys, concurrency, async (key) => {
      await this.store.put(key, createReadStream(join(this.dir, key), { highWaterMark: 1 << 20 }));
    });
  }
  async putText(key: string, text: string): Promise<void> {
    await this.store.put(key, text);
  }
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const e of this.store.list(prefix)) keys.push(e.key);
    return keys;
  }
  async remove(key: string): Promise<void> {
    await this.store.delete(key);
  }
  async removePrefix(prefix: string): Promise<void> {
    const keys = await this.list(prefix);
    await eachLimited(keys, 8, (key) => this.store.delete(key));
  }
  async close(): Promise<void> {
    try {
      await rm(this.dir, { recursive: true, force: true });
    } finally {
      await this.store.close();
    }
  }
  private async getOrUndefined(key: string): Promise<NodeJS.ReadableStream | undefined> {
    try {
      return await this.store.get(key);
    } catch (err) {
      if (err instanceof StoreError && err.code === 'STORE_NOT_FOUND') return undefined;
      throw err;
    }
  }
}

/**
 * Opens the out area of a location: a local folder as is, or, for `s3://bucket/prefix`, a fresh
 * staging folder (removed by `close`) in front of the store. Nothing is contacted until used.
 */
export async function openOutArea(location: string): Promise<OutArea> {
  if (!isStoreLocation(location)) return new LocalOutArea(location);
  const store = openStore(location);
  const dir = await mkdtemp(join(tmpdir(), 'cm-stage-'));
  return new StagedOutArea(dir, store);
}

/**
 * Checks that a store out location can be used before anything is written: its bucket exists and
 * may be listed (one request). A local folder is left to the writes themselves.
 */
export async function checkOutLocation(location: string): Promise<void> {
  if (!isStoreLocation(location)) return;
  const store = openStore(location);
  try {
    for await (const _ of store.list('', { pageSize: 1 })) break;
  } finally {
    await store.close();
  }
}

/** `location/sub` for a folder or a store location (`s3://bucket/prefix/sub`). */
export function subLocation(location: string, sub: string): string {
  return isStoreLocation(location) ? `${formatLocation(parseLocation(location))}/${sub}` : join(location, sub);
}

/** Runs `fn` over `items`, at most `limit` at once; the first failure is thrown after all settle. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.err;
}

async function hashOf(body: AsyncIterable<unknown>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
