/**
 * Parent side of a measured run: forks `run-once.js` with one job, waits for its report, turns it
 * into a `RunSample`, and checks the answer against the baseline's. A failed run, a crashed child
 * or a wrong answer throws: the bench never reports a time for a wrong result.
 */
import { mkdir, rm } from 'node:fs/promises';
import { compiledPath } from '../src/runtime/compiled.js';
import type { ProcessUsage } from '../src/runtime/events.js';
import { childReport } from './child-report.js';
import type { Answer, Job, JobReport } from './run-once.js';
import type { RunSample } from './stats.js';

/** The compiled child entry (from the sources under vitest, the one in dist/). */
const runOncePath = (): string => compiledPath(import.meta.url, 'run-once.js');

export type OkReport = Extract<JobReport, { ok: true }>;

/** Runs one job in a fresh process; rejects with the child's error (and stderr tail) on failure. */
export function runJob(job: Job, env: Readonly<Record<string, string>> = {}): Promise<OkReport> {
  // Worker processes inherit the environment: their structured logs go nowhere, their errors are kept.
  return childReport<JobReport>(runOncePath(), job, `bench ${job.kind} run`, { env: { ...process.env, ...env } });
}

/**
 * CPU the workers spent off their main thread (V8's compiler and GC helpers, file I/O), in ms;
 * undefined unless every worker reported its main thread's share.
 */
export function helperCpuMs(workers: readonly ProcessUsage[]): number | undefined {
  let n = 0;
  for (const w of workers) {
    if (w.mainThreadCpuMs === undefined) return undefined;
    n += Math.max(0, w.cpuMs - w.mainThreadCpuMs);
  }
  return n;
}

/** Total CPU and peak memory of a report: the main process plus all its workers. */
export function sampleOf(report: OkReport): RunSample {
  const workerCpu = report.workers.reduce((n, w) => n + w.cpuMs, 0);
  const workerPeak = report.workers.length === 0 ? undefined : Math.max(...report.workers.map((w) => w.maxRssKb));
  const helper = report.workers.length === 0 ? undefined : helperCpuMs(report.workers);
  return {
    wallMs: report.wallMs,
    cpuMs: report.cpuMs + workerCpu,
    mainPeakKb: report.peakRssKb,
    ...(workerPeak !== undefined ? { workerPeakKb: workerPeak } : {}),
    ...(helper !== undefined ? { workerHelperCpuMs: helper } : {}),
  };
}

/** Throws unless two answers agree on every figure. */
export function checkAnswer(what: string, got: Answer, want: Answer): void {
  const a = JSON.stringify([got.profiles_generated, got.records_processed, got.health_score_sum, got.churn_distribution, got.expansion_distribution]);
  const b = JSON.stringify([want.profiles_generated, want.records_processed, want.health_score_sum, want.churn_distribution, want.expansion_distribution]);
  if (a !== b) throw new Error(`${what} disagrees with DuckDB: got ${a}, DuckDB ${b}`);
}

/** A fresh, empty output folder for one pipeline run (a reused folder would let shards be skipped). */
export async function freshDir(dir: string): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}
