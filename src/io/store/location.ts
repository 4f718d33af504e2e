import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from './errors.js';
import type { StoreDescriptor } from './types.js';

/** S3's bucket naming rule: 3 to 63 lower-case letters, digits, dots and hyphens, alphanumeric at both ends. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A scheme such as `gs:` or `https:` (two letters at least, so a Windows drive `C:` is not one). */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

/**
 * Reads a location as a user writes it: `s3://bucket`, `s3://bucket/prefix/…`, `file:///path`
 * or a local path (made absolute against `cwd`). Anything else is a StoreError naming the value.
 */
export function parseLocation(location: string, cwd: string = process.cwd()): StoreDescriptor {
  const scheme = SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (location.trim() === '') throw new StoreError('STORE_BAD_LOCATION', JSON.stringify(location), 'a store location cannot be empty');
    return { kind: 'local', root: isAbsolute(location) ? resolve(location) : resolve(cwd, location) };
  }
  if (scheme === 'file') {
    try {
      return { kind: 'local', root: resolve(fileURLToPath(location)) };
    } catch (err) {
      throw new StoreError('STORE_BAD_LOCATION', location, `not a local file URL (${(err as Error).message})`);
    }
  }
  if (scheme !== 's3') {
    throw new StoreError('STORE_BAD_LOCATION', location, `unsupported scheme "${scheme}:"; use s3://bucket/prefix or a local folder`);
  }
  const rest = location.slice('s3://'.length);
  if (!location.toLowerCase().startsWith('s3://')) throw new StoreError('STORE_BAD_LOCATION', location, 'an S3 location is written s3://bucket/prefix');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!BUCKET.test(bucket)) {
    throw new StoreError('STORE_BAD_LOCATION', location, `bucket name "${bucket}" is not valid (3-63 lower-case letters, digits, dots, hyphens)`);
  }
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (prefix !== '' && prefix.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new StoreError('STORE_BAD_LOCATION', location, `prefix "${prefix}" has an empty, "." or ".." segment`);
  }
  return { kind: 's3', bucket, prefix };
}

/** The location a descriptor stands for, in the form `parseLocation` reads back. */
export function formatLocation(d: StoreDescriptor): string {
  return d.kind === 'local' ? d.root : `s3://${d.bucket}${d.prefix === '' ? '' : `/${d.prefix}`}`;
}

/** Whether a value is a descriptor (as received in JSON from another process). */
export function isStoreDescriptor(value: unknown): value is StoreDescriptor {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v['kind'] === 'local') return typeof v['root'] === 'string';
  return v['kind'] === 's3' && typeof v['bucket'] === 'string' && typeof v['prefix'] === 'string';
}
