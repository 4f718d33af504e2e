/**
 * The profile digest (profile-digest.ts) of a run whose output lives in an object store: every
 * `.jsonl` object under the run's root, the spill area excluded, read line by line.
 */
import { createInterface } from 'node:readline';
import type { ObjectStore } from '../src/io/store/index.js';
import { DigestBuilder } from './profile-digest.js';
import type { ProfileDigest } from './profile-digest.js';

/** The keys of a run's JSON-lines outputs in `store`, sorted (the spill under `.spill/` left out). */
export async function jsonlKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of store.list('')) if (key.endsWith('.jsonl') && !key.startsWith('.spill/')) keys.push(key);
  return keys.sort();
}

/** The digest of every line of the run's `.jsonl` objects, taken together. */
export async function digestStore(store: ObjectStore): Promise<ProfileDigest> {
  const b = new DigestBuilder();
  for (const key of await jsonlKeys(store)) {
    const lines = createInterface({ input: await store.get(key), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) b.add(line, `${key} line ${++n}`);
  }
  return b.result();
}

/** Deletes every object under the store's root (a finished run's output). */
export async function emptyStore(store: ObjectStore): Promise<number> {
  const keys: string[] = [];
  for await (const { key } of store.list('')) keys.push(key);
  for (const key of keys) await store.delete(key);
  return keys.length;
}
