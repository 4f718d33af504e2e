/**
 * Parent side of the warm-up probe: runs one `WarmupJob` in a fresh process started with the
 * task workers' Node flags (as the embedded runtime starts a worker) and resolves with its report;
 * a failed job, or a child that exits before reporting, rejects with its error and stderr tail.
 */
import { fork } from 'node:child_process';
import { compiledPath } from '../src/runtime/compiled.js';
import { WORKER_NODE_FLAGS } from '../src/runtime/local.js';
import type { WarmupJob, WarmupReport } from './warmup-child.js';

export function probe(job: WarmupJob): Promise<Extract<WarmupReport, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const child = fork(compiledPath(import.meta.url, 'warmup-child.js'), [JSON.stringify(job)], {
      execArgv: [...process.execArgv, ...WORKER_NODE_FLAGS],
      serialization: 'json',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let report: WarmupReport | undefined;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    child.on('message', (m: unknown) => {
      report = m as WarmupReport;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (report?.ok === true) resolve(report);
      else reject(new Error(`warm-up probe failed: ${report?.ok === false ? report.error : `exited with code ${code} before reporting`}${stderr.trim() !== '' ? `\n${stderr.trim()}` : ''}`));
    });
  });
}
