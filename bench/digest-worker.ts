/** Worker-thread entry of profile-digest.ts: digests the byte ranges it is given and posts the sum. */
import { parentPort, workerData } from 'node:worker_threads';
import { DigestBuilder, digestRange } from './profile-digest.js';
import type { Range } from './profile-digest.js';

const b = new DigestBuilder();
try {
  for (const r of workerData as Range[]) digestRange(r, b);
  parentPort?.postMessage({ sum: b.sum.toString(16), count: b.count });
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
