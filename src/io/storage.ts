import { PERMANENT_ERRNO, StorageError } from '../core/errors.js';

/**
 * A failed file-system call on `path`: a permanent StorageError naming the path when the
 * environment refuses it (full disk, quota, read-only, permission), else unchanged.
 */
export function storageError(err: unknown, path: string, bytes?: number): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && PERMANENT_ERRNO.has(code) ? new StorageError(code, path, bytes) : err;
}

/** Runs a file-system call on `path`, turning an environment refusal into a StorageError. */
export function onStorage<T>(path: string, call: () => T, bytes?: number): T {
  try {
    return call();
  } catch (err) {
    throw storageError(err, path, bytes);
  }
}
