/**
 * The producer for `workers: 0`: generates each chunk on the calling thread. Used by small runs
 * (no worker start-up cost) and by tests of the pure path; same chunks as the worker pool.
 */
import { generateChunk, giveSpares, newSinks } from './chunk.js';
import { makeContext, type GeneratorContext } from './context.js';
import { buffersOf, encodeChunk, type ChunkJob, type EncodedChunk } from './encoded.js';
import type { ChunkProducer } from './producers.js';
import type { DataSpec } from './spec.js';

/** Generates on the calling thread, one job at a time. */
export class InProcessProducer implements ChunkProducer {
  readonly parallelism = 1;
  private readonly ctx: GeneratorContext;
  private readonly sinks = newSinks();

  constructor(spec: DataSpec) {
    this.ctx = makeContext(spec);
  }

  produce(job: ChunkJob): Promise<EncodedChunk> {
    return Promise.resolve(encodeChunk(job.chunk, generateChunk(this.ctx, job.start, job.end, this.sinks)));
  }

  recycle(chunk: EncodedChunk): void {
    giveSpares(this.sinks, buffersOf(chunk));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

