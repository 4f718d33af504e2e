/**
 * Parent side of the warm-up probe: runs one `WarmupJob` in a fresh process started with the task
 * workers' Node flags and allocator settings (as the embedded runtime starts a worker) and
 * resolves with its report; a failed job, or a child that exits before reporting, rejects with its
 * error and stderr tail.
 */
import { compiledPath } from '../src/runtime/compiled.js';
import { WORKER_NODE_FLAGS, workerEnv } from '../src/runtime/local.js';
import { childReport } from './child-report.js';
import type { WarmupJob, WarmupReport } from './warmup-child.js';

export function probe(job: WarmupJob): Promise<Extract<WarmupReport, { ok: true }>> {
  return childReport<WarmupReport>(compiledPath(import.meta.url, 'warmup-child.js'), job, 'warm-up probe', {
    execArgv: [...process.execArgv, ...WORKER_NODE_FLAGS],
    env: workerEnv({ ...process.env, LOG_LEVEL: 'warn' }),
  });
}
