/**
 * Who generates chunks: a pool of worker threads, one job per idle worker, or the calling thread
 * (in-process-producer.ts). Both give the same chunks for the same jobs; only speed differs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buffersOf, transferables, type ChunkJob, type EncodedChunk, type SpareBuffers } from './encoded.js';
import { WorkerFailedError, WorkerScriptMissingError } from './errors.js';
import type { DataSpec } from './spec.js';

export interface ChunkProducer {
  /** Chunks the producer can usefully work on at once (the writer's look-ahead). */
  readonly parallelism: number;
  produce(job: ChunkJob): Promise<EncodedChunk>;
  /** Hands a written chunk's buffers back for reuse; the chunk must not be read afterwards. */
  recycle(chunk: EncodedChunk): void;
  /** Stops all work; pending jobs reject. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Compiled worker script. From dist/generators/*.js it sits beside this module; when this module
 * runs from its .ts source (vitest), it is the compiled copy under dist/.
 */
export function workerScriptPath(): string {
  const here = fileURLToPath(import.meta.url);
  const path = here.endsWith('.ts')
    ? fileURLToPath(new URL('../dist/generators/chunk-worker.js', import.meta.url))
    : fileURLToPath(new URL('./chunk-worker.js', import.meta.url));
  if (!existsSync(path)) throw new WorkerScriptMissingError(path);
  return path;
}

/** A 16 MB young generation per worker: V8's larger default only costs memory, as chunks make short-lived garbage only. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16 } as const;

interface Pending {
  readonly job: ChunkJob;
  readonly resolve: (chunk: EncodedChunk) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly id: number;
  readonly worker: Worker;
  busy: Pending | undefined;
}

/** A fixed pool of worker threads; jobs queue until a worker is idle. */
export class WorkerProducer implements ChunkProducer {
  readonly parallelism: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly spares: SpareBuffers[] = [];
  private failure: Error | undefined;
  private closed = false;

  constructor(spec: DataSpec, workers: number) {
    this.parallelism = workers;
    const script = workerScriptPath();
    for (let id = 0; id < workers; id++) {
      const worker = new Worker(script, { workerData: { spec }, resourceLimits: WORKER_LIMITS });
      const slot: Slot = { id, worker, busy: undefined };
      worker.on('message', (chunk: EncodedChunk) => this.finish(slot, chunk));
      worker.on('error', (error) => this.fail(new WorkerFailedError(id, slot.busy?.job.chunk, error.message)));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new WorkerFailedError(id, slot.busy?.job.chunk, `exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  produce(job: ChunkJob): Promise<EncodedChunk> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<EncodedChunk>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy !== undefined) continue;
      const next = this.queue.shift();
      if (next === undefined) return;
      slot.busy = next;
      const spares = this.spares.pop();
      if (spares === undefined) slot.worker.postMessage(next.job);
      else slot.worker.postMessage({ ...next.job, spares }, transferables(spares));
    }
  }

  recycle(chunk: EncodedChunk): void {
    if (this.spares.length < this.slots.length * 2) this.spares.push(buffersOf(chunk));
  }

  private finish(slot: Slot, chunk: EncodedChunk): void {
    const pending = slot.busy;
    slot.busy = undefined;
    pending?.resolve(chunk);
    this.dispatch();
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const slot of this.slots) {
      slot.busy?.reject(error);
      slot.busy = undefined;
    }
    for (const pending of this.queue.splice(0)) pending.reject(error);
    void this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopped = new Error('generator workers stopped');
    for (const slot of this.slots) slot.busy?.reject(stopped);
    for (const pending of this.queue.splice(0)) pending.reject(stopped);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
