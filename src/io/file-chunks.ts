import { open } from 'node:fs/promises';

/** Chunk size of local reads: large enough that a chunk's fixed costs vanish, small enough to stream. */
export const CHUNK_BYTES = 1 << 20;

/** Buffers of finished reads, for the next read in this thread (one file after another). */
const spare: Buffer[] = [];

/**
 * Streams a local file in chunks, one read ahead, through three reused buffers
 * (docs/engine-notes.md). A chunk stays valid while the consumer handles it and the next one;
 * copy anything needed longer.
 */
export async function* fileChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  const bufs: Buffer[] = [];
  for (let i = 0; i < 3; i++) {
    const b = spare.pop();
    bufs.push(b !== undefined && b.length === chunkBytes ? b : Buffer.allocUnsafe(chunkBytes));
  }
  let pending: Promise<{ bytesRead: number }> | undefined;
  try {
    let k = 0;
    pending = fh.read(bufs[0]!, 0, chunkBytes, null);
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      const next = (k + 1) % 3;
      pending = fh.read(bufs[next]!, 0, chunkBytes, null);
      yield bufs[k]!.subarray(0, bytesRead);
      k = next;
    }
  } finally {
    // A read still in flight must end before the file closes and its buffer is handed on.
    await pending?.catch(() => undefined);
    await fh.close();
    for (const b of bufs) if (spare.length < 3) spare.push(b);
  }
}
