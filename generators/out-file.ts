/**
 * Where the generator writes: a local folder (files under temporary names, renamed into place) or
 * an object store (`s3://bucket/prefix`, each file streamed as one upload). Both keep a file out of
 * sight until `commit`, so a failed or interrupted run leaves nothing under a final name.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isStoreLocation } from '../src/io/source-store.js';
import { formatLocation, openStore, parseLocation } from '../src/io/store/index.js';
import { AtomicFile } from './atomic-file.js';
import { makeOutDir } from './out-dir.js';
import { StoreFile } from './store-file.js';

/** One output file being written; `commit` publishes it under its final name, `discard` drops it. */
export interface OutFile {
  readonly bytes: number;
  /** Appends all of `data`; `data` may be reused by the caller once this resolves. */
  write(data: Uint8Array | string): Promise<void>;
  /** Hex sha256 of everything written (only for hashed files; call once, after the last write). */
  digest(): string;
  commit(): Promise<void>;
  /** Drops what was written; a no-op after `commit`. Never throws. */
  discard(): Promise<void>;
}

/** The folder or store prefix the generator writes into. */
export interface OutTarget {
  /** The location as reported: an absolute path or `s3://bucket/prefix`. */
  readonly location: string;
  /** Where `name` ends up, as reported. */
  pathOf(name: string): string;
  /** Creates the folder, or checks that the bucket exists; fails naming the location. */
  prepare(): Promise<void>;
  create(name: string, options?: { hashed?: boolean }): Promise<OutFile>;
  /** Removes `name` if present (a stale manifest of an earlier run). */
  remove(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The target `out` names: `s3://bucket/prefix` or a local folder (made absolute). */
export function outTarget(out: string): OutTarget {
  return isStoreLocation(out) ? storeTarget(out) : folderTarget(resolve(out));
}

function folderTarget(dir: string): OutTarget {
  return {
    location: dir,
    pathOf: (name) => join(dir, name),
    prepare: () => makeOutDir(dir),
    create: (name, options) => AtomicFile.create(join(dir, name), options),
    remove: (name) => rm(join(dir, name), { force: true }),
    close: async () => undefined,
  };
}

function storeTarget(out: string): OutTarget {
  const location = formatLocation(parseLocation(out));
  const store = openStore(location);
  return {
    location,
    pathOf: (name) => store.locate(name),
    prepare: async () => {
      // A listing is the cheapest call that tells a missing bucket (a HEAD cannot tell it from a missing key).
      for await (const _ of store.list('', { pageSize: 1 })) break;
    },
    create: async (name, options) => new StoreFile(store, name, options?.hashed ?? false),
    remove: (name) => store.delete(name),
    close: () => store.close(),
  };
}
