import { StoreError } from './errors.js';

/**
 * Checks an object key (relative, `/`-separated, no empty, "." or ".." segment, no backslash or
 * NUL) so that it means the same object on every backend; a bad key is a StoreError naming it.
 */
export function checkKey(key: string, where: string): string {
  const bad =
    key === '' ? 'is empty'
    : key.startsWith('/') ? 'starts with "/"'
    : /[\\\0]/.test(key) ? 'contains a backslash or NUL'
    : key.split('/').some((s) => s === '' || s === '.' || s === '..') ? 'has an empty, "." or ".." segment'
    : undefined;
  if (bad !== undefined) throw new StoreError('STORE_BAD_KEY', `${where} key ${JSON.stringify(key)}`, `an object key ${bad}`);
  return key;
}

/** Checks a listing prefix: empty, or a key's beginning (it may end with "/"). */
export function checkPrefix(prefix: string, where: string): string {
  if (prefix === '') return prefix;
  checkKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, where);
  return prefix;
}

/** The full key of `key` under `prefix` in a bucket, after checking it (`where` names the store). */
export function prefixedKey(prefix: string, key: string, where: string): string {
  checkKey(key, where);
  return prefix === '' ? key : `${prefix}/${key}`;
}
