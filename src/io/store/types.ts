import type { Readable } from 'node:stream';

/**
 * Where a store lives, as plain JSON: what a task's input carries instead of rows or clients.
 * Credentials and endpoints are never part of it; each process takes them from its environment.
 */
export type StoreDescriptor =
  | { readonly kind: 'local'; readonly root: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

/** A byte range of an object: `start` inclusive, `end` exclusive (absent: to the end). */
export interface ByteRange {
  readonly start: number;
  readonly end?: number;
}

/** What `head` knows of an object. */
export interface ObjectInfo {
  readonly size: number;
  /** The server's entity tag (S3), absent where the backend has none. */
  readonly etag?: string;
  readonly mtime?: Date;
}

/** One object found by `list`: its key relative to the store's root, and its size. */
export interface ListEntry {
  readonly key: string;
  readonly size: number;
}

/** Options of `list`. */
export interface ListOptions {
  /** Objects fetched per request (S3's MaxKeys; 1000 by default). */
  readonly pageSize?: number;
}

/** What a put sends: a whole buffer or a stream of bytes read until it ends. */
export type PutSource = Uint8Array | string | Readable | AsyncIterable<Uint8Array>;

/** What a completed put wrote. */
export interface PutResult {
  readonly bytes: number;
  readonly etag?: string;
}

/**
 * A flat namespace of objects under one root (a local folder or a bucket and prefix), keyed by
 * relative `/`-separated paths. A put is atomic: an object appears only complete.
 */
export interface ObjectStore {
  readonly descriptor: StoreDescriptor;
  /** The object's bytes (or a range of them) as a stream; a missing object is a StoreError. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Writes the whole source under `key`, atomically. */
  put(key: string, source: PutSource): Promise<PutResult>;
  /** The object's size and version, or undefined when there is none. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /**
   * Every object whose key starts with `prefix`, each once, fetched a page at a time. S3 and the
   * local folder list in byte order of the keys (s3rver, a test server, lists folder by folder).
   */
  list(prefix?: string, options?: ListOptions): AsyncIterable<ListEntry>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Where `key` is, for messages: `s3://bucket/prefix/key` or a file path. */
  locate(key: string): string;
  /** Releases the store's connections; the store is not used afterwards. */
  close(): Promise<void>;
}
