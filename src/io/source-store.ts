import { createHash } from 'node:crypto';
import { InvalidOptionError, SourceFileError } from '../core/errors.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { StoreError, formatLocation, openStore, parseLocation } from './store/index.js';
import type { ByteRange, ObjectInfo, ObjectStore } from './store/index.js';

/** Whether a data location is an object-store prefix (`s3://bucket/prefix`). */
export function isStoreLocation(data: string): boolean {
  return /^s3:\/\//i.test(data);
}

/**
 * Fails with one `InvalidOptionError` naming `what` (`--data`, `RunInput.data`) when `data` is an
 * `s3://` location that cannot be read (a bad bucket name, an empty or `..` prefix segment).
 */
export function checkStoreLocation(data: string, what: string): void {
  if (!isStoreLocation(data)) return;
  try {
    parseLocation(data);
  } catch (err) {
    if (err instanceof StoreError) throw new InvalidOptionError(`${what} ${err.message}`);
    throw err;
  }
}

/**
 * Where a source lives under an `s3://` location, as messages show it: `s3://bucket/prefix/crm.csv`
 * (credentials never appear in a location). Never throws: an unreadable location is shown as given.
 */
export function storeSourceLabel(data: string, source: SourceName): string {
  try {
    return `${formatLocation(parseLocation(data))}/${SOURCE_FILES[source]}`;
  } catch {
    return `${data.replace(/\/+$/, '')}/${SOURCE_FILES[source]}`;
  }
}

/**
 * Opens the store of an `s3://` data location; a malformed location is a permanent
 * `SourceFileError` naming it.
 */
function openDataStore(data: string, label: string): ObjectStore {
  try {
    return openStore(data);
  } catch (err) {
    if (err instanceof StoreError) throw new SourceFileError(label, `is not a valid store location (${err.message})`);
    throw err;
  }
}

/**
 * A failed store call as the pipeline reports it: a missing object or bucket or a refusal is a
 * permanent `SourceFileError`; throttling, an unreachable store or a broken transfer stays retryable.
 */
function sourceFailure(err: unknown, label: string): unknown {
  if (!(err instanceof StoreError) || err.retryable) return err;
  const what = err.message.startsWith(`${err.location}: `) ? err.message.slice(err.location.length + 2) : err.message;
  return new SourceFileError(label, err.code === 'STORE_NOT_FOUND' ? `is missing (${what})` : what);
}

/**
 * Streams one source (`<prefix>/crm.csv` …), or the bytes `range` of it (a ranged GET), from the
 * object store an `s3://` location names.
 */
export async function* openStoreSource(data: string, source: SourceName, range?: ByteRange): AsyncGenerator<Buffer> {
  const label = storeSourceLabel(data, source);
  const store = openDataStore(data, label);
  try {
    let body: AsyncIterable<Buffer>;
    try {
      body = await store.get(SOURCE_FILES[source], range);
    } catch (err) {
      throw sourceFailure(err, label);
    }
    try {
      for await (const chunk of body) yield chunk;
    } catch (err) {
      throw sourceFailure(err, label);
    }
  } finally {
    await store.close();
  }
}

/**
 * Checks that the four sources exist under an `s3://` location before any byte is read, all four
 * at a glance: one `SourceFileError` naming the first missing object (and the others).
 */
export async function checkStoreSources(data: string): Promise<void> {
  await headStoreSources(data);
}

/**
 * Each source's size and version (HEAD) under an `s3://` location; a missing object fails as
 * `checkStoreSources` says.
 */
export async function headStoreSources(data: string): Promise<Record<SourceName, ObjectInfo>> {
  const store = openDataStore(data, storeSourceLabel(data, 'crm'));
  try {
    const missing: string[] = [];
    const found = {} as Record<SourceName, ObjectInfo>;
    for (const source of SOURCE_NAMES) {
      const label = storeSourceLabel(data, source);
      const info = await store.head(SOURCE_FILES[source]).catch((err: unknown) => {
        throw sourceFailure(err, label);
      });
      if (info === undefined) missing.push(label);
      else found[source] = info;
    }
    if (missing.length > 0) {
      const others = missing.length > 1 ? ` (also missing: ${missing.slice(1).join(', ')})` : '';
      throw new SourceFileError(missing[0]!, `is missing (no such object)${others}`);
    }
    return found;
  } finally {
    await store.close();
  }
}

/** One source's size and version (HEAD); a missing object is a permanent `SourceFileError`. */
export async function headStoreSource(data: string, source: SourceName): Promise<ObjectInfo> {
  const label = storeSourceLabel(data, source);
  const store = openDataStore(data, label);
  try {
    const info = await store.head(SOURCE_FILES[source]).catch((err: unknown) => {
      throw sourceFailure(err, label);
    });
    if (info === undefined) throw new SourceFileError(label, 'is missing (no such object)');
    return info;
  } finally {
    await store.close();
  }
}

/**
 * A cheap identity of a store input, known before reading: 12 hex of sha256 over each source's
 * location, size and entity tag. Names the spill area when the input digest comes only after the split.
 */
export function storeInputKey(data: string, heads: Readonly<Record<SourceName, { readonly bytes: number; readonly etag?: string | undefined }>>): string {
  const all = createHash('sha256');
  for (const source of SOURCE_NAMES) all.update(`${storeSourceLabel(data, source)}\t${heads[source].bytes}\t${heads[source].etag ?? ''}\n`);
  return all.digest('hex').slice(0, 12);
}
