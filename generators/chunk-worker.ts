/**
 * Worker-thread entry: builds its own context from the spec in `workerData` (pools are a pure
 * function of the seed, so every worker holds the same ones) and answers each job with an
 * `EncodedChunk`, transferring the bytes; spare buffers that come with a job are reused for
 * output. The parent terminates it when done. Loaded from dist/ as compiled JavaScript.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateChunk, giveSpares, newSinks } from './chunk.js';
import { makeContext } from './context.js';
import { buffersOf, encodeChunk, transferables, type WorkerJob } from './encoded.js';
import type { DataSpec } from './spec.js';

const port = parentPort;
if (port === null) throw new Error('chunk-worker.js must run as a worker thread (parentPort is null)');
const ctx = makeContext((workerData as { spec: DataSpec }).spec);
const sinks = newSinks();

port.on('message', (job: WorkerJob) => {
  if (job.spares !== undefined) giveSpares(sinks, job.spares);
  const encoded = encodeChunk(job.chunk, generateChunk(ctx, job.start, job.end, sinks));
  port.postMessage(encoded, transferables(buffersOf(encoded)));
});
