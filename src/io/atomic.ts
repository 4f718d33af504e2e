import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';

/** A file written under a temporary name and renamed into place only when complete. */
export interface AtomicWriter {
  write(text: string): Promise<void>;
  /** Flushes, fsyncs by closing, renames into place; resolves with the sha256 of the bytes. */
  commit(): Promise<{ checksum: string; bytes: number }>;
  /** Removes the temporary file; the final name is never touched. */
  abort(): Promise<void>;
}

/**
 * Opens an atomic writer for `path`: a reader never sees a half-written file under the final
 * name, and a crash leaves only a `.tmp-*` file behind (ignored, and overwritten next time).
 */
export async function openAtomic(path: string): Promise<AtomicWriter> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const out = createWriteStream(tmp);
  const hash = createHash('sha256');
  let bytes = 0;
  let pending = '';
  const flush = async (): Promise<void> => {
    if (pending === '') return;
    const buf = Buffer.from(pending);
    pending = '';
    hash.update(buf);
    bytes += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  return {
    async write(text) {
      pending += text;
      if (pending.length >= 1 << 16) await flush();
    },
    async commit() {
      await flush();
      out.end();
      await once(out, 'close');
      await rename(tmp, path);
      return { checksum: hash.digest('hex'), bytes };
    },
    async abort() {
      out.destroy();
      await rm(tmp, { force: true });
    },
  };
}
