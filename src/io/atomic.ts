import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { copyBytes } from '../core/arena.js';

/** A file written under a temporary name and renamed into place only when complete. */
export interface AtomicWriter {
  write(text: string): Promise<void>;
  /**
   * Appends `src[from..to)`. Returns a promise only when the bytes filled the buffer and had to
   * be flushed (await it then); most calls return undefined, so a caller writing many small
   * records does not pay an await per record.
   */
  writeBytes(src: Uint8Array, from: number, to: number): Promise<void> | undefined;
  /** Flushes, fsyncs by closing, renames into place; resolves with the sha256 of the bytes. */
  commit(): Promise<{ checksum: string; bytes: number }>;
  /** Removes the temporary file; the final name is never touched. */
  abort(): Promise<void>;
}

/** Bytes gathered before a write to the file (and an update of the checksum). */
const BUFFER_BYTES = 1 << 20;
/**
 * Bytes handed to the file stream and not yet written before a writer waits: a few buffers, so
 * the caller keeps producing while earlier buffers are written (with Node's default of 16 KiB a
 * writer waited for every buffer; a shard's output phase was about a third idle).
 */
const IN_FLIGHT_BYTES = 4 * BUFFER_BYTES;

/**
 * Opens an atomic writer for `path`: a reader never sees a half-written file under the final
 * name, and a crash leaves only a `.tmp-*` file behind (ignored, and overwritten next time).
 */
export async function openAtomic(path: string): Promise<AtomicWriter> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const out = createWriteStream(tmp, { highWaterMark: IN_FLIGHT_BYTES });
  const hash = createHash('sha256');
  let bytes = 0;
  /** Buffers whose bytes were written, for reuse: fresh memory costs page faults. */
  const spare: Buffer[] = [];
  let buf: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const full = buf;
    const n = used;
    // The stream keeps `full` until written: the next bytes go to another buffer.
    buf = spare.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES);
    used = 0;
    const chunk = full.subarray(0, n);
    hash.update(chunk);
    bytes += n;
    const more = out.write(chunk, () => {
      if (full.length === BUFFER_BYTES) spare.push(full);
    });
    if (!more) await once(out, 'drain');
  };
  const writeBytes = (src: Uint8Array, from: number, to: number): Promise<void> | undefined => {
    const n = to - from;
    if (used + n <= buf.length) {
      used += copyBytes(src, from, to, buf, used);
      return undefined;
    }
    return flush().then(async () => {
      if (n > buf.length) buf = Buffer.allocUnsafe(n);
      buf.set(src.subarray(from, to), 0);
      used = n;
    });
  };
  return {
    async write(text) {
      const b = Buffer.from(text, 'utf8');
      await writeBytes(b, 0, b.length);
    },
    writeBytes,
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
