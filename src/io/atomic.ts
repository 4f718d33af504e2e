import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { copyBytes } from '../engine/index.js';
import { onStorage, storageError } from './storage.js';

/** A file written under a temporary name and renamed into place only when complete. */
export interface AtomicWriter {
  write(text: string): Promise<void>;
  /** Appends `src[from..to)` (copied at once: the caller may reuse `src`). */
  writeBytes(src: Uint8Array, from: number, to: number): void;
  /** Flushes, closes, renames into place; resolves with the sha256 of the bytes. */
  commit(): Promise<{ checksum: string; bytes: number }>;
  /** Removes the temporary file; the final name is never touched. */
  abort(): Promise<void>;
}

/** Bytes gathered before a write to the file (and an update of the checksum). */
const BUFFER_BYTES = 1 << 20;

/**
 * Opens an atomic writer for `path`: readers never see a half-written file, a crash leaves only a
 * `.tmp-*` file, and a full disk or refused folder is a StorageError naming `path`. Writes are
 * synchronous so no thread pool competes with the workers (docs/engine-notes.md).
 */
export async function openAtomic(path: string): Promise<AtomicWriter> {
  await mkdir(dirname(path), { recursive: true }).catch((err: unknown) => {
    throw storageError(err, path);
  });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const fd = onStorage(path, () => openSync(tmp, 'w'));
  let open = true;
  const hash = createHash('sha256');
  let bytes = 0;
  let buf: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  const flush = (): void => {
    if (used === 0) return;
    const chunk = buf.subarray(0, used);
    hash.update(chunk);
    bytes += used;
    let done = 0;
    const n = used;
    used = 0;
    onStorage(path, () => {
      while (done < n) done += writeSync(fd, buf, done, n - done);
    }, n);
  };
  const writeBytes = (src: Uint8Array, from: number, to: number): void => {
    const n = to - from;
    if (used + n > buf.length) {
      flush();
      if (n > buf.length) buf = Buffer.allocUnsafe(n);
    }
    used += copyBytes(src, from, to, buf, used);
  };
  return {
    async write(text) {
      const b = Buffer.from(text, 'utf8');
      writeBytes(b, 0, b.length);
    },
    writeBytes,
    async commit() {
      try {
        flush();
        open = false;
        onStorage(path, () => closeSync(fd));
        await rename(tmp, path);
      } catch (err) {
        if (open) closeSync(fd);
        open = false;
        await rm(tmp, { force: true });
        throw storageError(err, path);
      }
      return { checksum: hash.digest('hex'), bytes };
    },
    async abort() {
      if (open) {
        open = false;
        closeSync(fd);
      }
      await rm(tmp, { force: true });
    },
  };
}
