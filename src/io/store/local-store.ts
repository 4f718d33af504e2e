import { open, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { openAtomic } from '../atomic.js';
import { StoreError } from './errors.js';
import { checkKey, checkPrefix } from './keys.js';
import { sourceChunks, sourceFailed, type SourceState } from './put-source.js';
import type { ByteRange, ListEntry, ListOptions, ObjectInfo, ObjectStore, PutResult, PutSource, StoreDescriptor } from './types.js';

/** The temporary name `openAtomic` writes under before its rename: never listed as an object. */
const TEMP_FILE = /\.tmp-\d+-[a-z0-9]+$/;

/** What a failed file-system call on an object becomes: a StoreError for a missing or forbidden file. */
function localError(err: unknown, path: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new StoreError('STORE_NOT_FOUND', path, `no such object (${code})`, { cause: err });
  if (code === 'EISDIR') return new StoreError('STORE_NOT_FOUND', path, 'is a folder, not an object (EISDIR)', { cause: err });
  if (code === 'EACCES' || code === 'EPERM') return new StoreError('STORE_FORBIDDEN', path, `permission denied (${code})`, { cause: err });
  return err;
}

/** Every file under `dir`, as `/`-separated keys relative to `root`, temporary files left out. */
async function* walk(root: string, dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw localError(err, dir);
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(root, path);
    else if (e.isFile() && !TEMP_FILE.test(e.name)) yield path.slice(root.length + 1).split(sep).join('/');
  }
}

/** An object store in a local folder: keys are relative file paths, puts are written and renamed. */
export class LocalStore implements ObjectStore {
  readonly descriptor: StoreDescriptor;

  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.descriptor = { kind: 'local', root: this.root };
  }

  locate(key: string): string {
    return join(this.root, ...checkKey(key, this.root).split('/'));
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.locate(key);
    const handle = await open(path, 'r').catch((err: unknown) => {
      throw localError(err, path);
    });
    const info = await handle.stat();
    if (info.isDirectory()) {
      await handle.close();
      throw localError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path);
    }
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? info.size, info.size);
    if (end <= start) {
      await handle.close();
      return Readable.from([]);
    }
    return handle.createReadStream({ start, end: end - 1, autoClose: true });
  }

  async put(key: string, source: PutSource): Promise<PutResult> {
    const path = this.locate(key);
    const writer = await openAtomic(path).catch((err: unknown) => {
      throw localError(err, path);
    });
    const state: SourceState = { bytes: 0 };
    try {
      for await (const chunk of sourceChunks(source, state)) writer.writeBytes(chunk, 0, chunk.length);
      const { bytes } = await writer.commit();
      return { bytes };
    } catch (err) {
      await writer.abort();
      if (state.error !== undefined) throw sourceFailed(path, state);
      throw localError(err, path);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const path = this.locate(key);
    try {
      const info = await stat(path);
      return info.isFile() ? { size: info.size, mtime: info.mtime } : undefined;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw localError(err, path);
    }
  }

  async *list(prefix = '', _options: ListOptions = {}): AsyncGenerator<ListEntry> {
    checkPrefix(prefix, this.root);
    // The walk starts at the prefix's folder; keys are sorted whole, as S3 orders them.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keys: string[] = [];
    for await (const key of walk(this.root, folder === '' ? this.root : join(this.root, ...folder.split('/')))) {
      if (key.startsWith(prefix)) keys.push(key);
    }
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) {
      const info = await this.head(key);
      if (info !== undefined) yield { key, size: info.size };
    }
  }

  async close(): Promise<void> {}

  async delete(key: string): Promise<void> {
    const path = this.locate(key);
    await rm(path, { force: true }).catch((err: unknown) => {
      throw localError(err, path);
    });
  }
}
