import { StoreError } from './errors.js';
import type { PutSource } from './types.js';

/** What a put has read of its source so far, and the source's own failure if it failed. */
export interface SourceState {
  bytes: number;
  error?: unknown;
}

/**
 * The source's bytes as chunks, counting them into `state`; a failure of the source itself
 * (not of the store) is recorded there before it propagates, so the put can name it.
 */
export async function* sourceChunks(source: PutSource, state: SourceState): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    const b = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    state.bytes += b.length;
    yield b;
    return;
  }
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      state.bytes += b.length;
      yield b;
    }
  } catch (err) {
    state.error = err;
    throw err;
  }
}

/** The StoreError of a put whose source failed after `state.bytes` bytes: nothing was written. */
export function sourceFailed(location: string, state: SourceState): StoreError {
  const err = state.error;
  const why = err instanceof Error ? err.message : String(err);
  const retryable = (err as { retryable?: unknown } | null)?.retryable;
  return new StoreError('STORE_SOURCE_FAILED', location, `not written: its source failed after ${state.bytes} bytes (${why})`, {
    retryable: typeof retryable === 'boolean' ? retryable : true,
    cause: err,
  });
}
