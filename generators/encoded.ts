/**
 * A chunk as it travels from a worker to the writer: UTF-8 bytes per file (transferred, not
 * copied) plus the counts and relative plant positions the writer needs.
 */
import type { ChunkText, RelativePlant } from './chunk.js';
import type { Source } from './columns.js';

/** Job sent to a producer: customers [start, end) are chunk number `chunk`. */
export interface ChunkJob {
  readonly chunk: number;
  readonly start: number;
  readonly end: number;
}

/** Output buffers of an earlier chunk, written out and handed back for reuse. */
export type SpareBuffers = Record<Source, ArrayBuffer>;

/** A job as posted to a worker, with a set of spare buffers when the writer has one. */
export interface WorkerJob extends ChunkJob {
  readonly spares?: SpareBuffers;
}

/** A generated chunk tagged with its job number, ready to write. */
export interface EncodedChunk extends ChunkText {
  readonly chunk: number;
}

/** Tags a chunk with its job number; each view starts a buffer that holds nothing else (transferable). */
export function encodeChunk(chunk: number, text: ChunkText): EncodedChunk {
  return { chunk, ...text };
}

/** The ArrayBuffers behind a chunk's bytes, to hand back once written. */
export function buffersOf(chunk: EncodedChunk): SpareBuffers {
  const { bytes } = chunk;
  return {
    crm: bytes.crm.buffer as ArrayBuffer,
    billing: bytes.billing.buffer as ArrayBuffer,
    product: bytes.product.buffer as ArrayBuffer,
    support: bytes.support.buffer as ArrayBuffer,
  };
}

/** The ArrayBuffers of a chunk or spare set, for `postMessage`'s transfer list. */
export function transferables(buffers: SpareBuffers): ArrayBuffer[] {
  return [buffers.crm, buffers.billing, buffers.product, buffers.support];
}
