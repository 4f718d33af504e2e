import { Readable } from 'node:stream';
import { StoreError } from './errors.js';

/**
 * A downloaded body that fails with a retryable STORE_TRANSFER_BROKEN StoreError when the
 * connection ends before the announced length; stopping early releases the connection.
 */
export function checkedBody(body: AsyncIterable<Uint8Array>, expected: number | undefined, location: string): Readable {
  let received = 0;
  const broken = (why: string, cause?: unknown): StoreError =>
    new StoreError('STORE_TRANSFER_BROKEN', location, `transfer broken after ${received} of ${expected ?? 'unknown'} bytes (${why}); a retry reads the object again from its start`, cause === undefined ? {} : { cause });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) {
        received += chunk.length;
        yield chunk;
      }
    } catch (err) {
      const e = err as { code?: string; name?: string; message?: string };
      throw broken(e.code ?? (e.name === 'TimeoutError' ? 'no data within the idle timeout' : (e.message ?? String(err))), err);
    }
    if (expected !== undefined && received !== expected) throw broken('the connection ended early');
  }
  return Readable.from(chunks(), { objectMode: false });
}
