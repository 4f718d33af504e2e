/**
 * Child entry of the bench: runs ONE measured case in a fresh process and reports over IPC.
 * A fresh process per iteration is what makes the memory figures honest (peak RSS is per process
 * lifetime) and keeps the cases from sharing heaps or JIT state. Reported:
 * - wall time of the work itself (module loading excluded; worker start-up included, since
 *   starting a worker is part of a run);
 * - this process's CPU during the work (DuckDB's threads included) and its own peak RSS
 *   (`VmHWM`: `getrusage` maxRSS of a forked child starts at its parent's RSS);
 * - for the pipeline, every worker's CPU and peak RSS from the runtime's `attempt_succeeded` events;
 * - the answer (profiles, records, health sum, distributions), which the bench checks against DuckDB.
 */
import { LocalRuntime } from '../src/runtime/local.js';
import type { ProcessUsage } from '../src/runtime/events.js';
import { peakRssKb } from '../src/runtime/usage.js';

/** One worker process of a pipeline run: which task it ran and what it used. */
export interface WorkerUsage extends ProcessUsage {
  readonly task: string;
}
import { mergeCustomerData } from '../src/tasks/merge-customer-data.js';
import { referenceRun } from '../src/reference.js';
import { duckdbMerge } from './duckdb.js';
import { duckdbProfiles } from './baselines/duckdb-profiles.js';
import type { Levels } from './duckdb.js';

export type Job =
  | {
      readonly kind: 'pipeline';
      readonly data: string;
      readonly out: string;
      readonly shards: number;
      readonly concurrency: number;
      /** RunInput.workers: the shard tasks the shards are dealt to. */
      readonly workers: number;
      /** PostgreSQL table to load into (DATABASE_URL from the environment); files when absent. */
      readonly pgTable?: string;
      /** RunInput.data_path; the run's default when absent. */
      readonly dataPath?: 'partition' | 'scan';
    }
  | { readonly kind: 'duckdb'; readonly data: string; readonly threads?: number }
  | {
      readonly kind: 'duckdb-profiles';
      readonly data: string;
      /** Folder the profiles are written to (fresh, empty). */
      readonly out: string;
      /** DuckDB's spill folder. */
      readonly tempDir: string;
      readonly memoryLimit: string;
    }
  | { readonly kind: 'reference'; readonly data: string };

/** The figures every implementation must agree on. */
export interface Answer {
  readonly profiles_generated: number;
  readonly records_processed: number;
  readonly health_score_sum: number;
  readonly churn_distribution: Levels;
  readonly expansion_distribution: Levels;
}

export type JobReport =
  | {
      readonly ok: true;
      readonly wallMs: number;
      readonly cpuMs: number;
      readonly peakRssKb: number;
      readonly workers: readonly WorkerUsage[];
      readonly answer: Answer;
      readonly load?: { readonly inserted: number; readonly updated: number; readonly unchanged: number };
    }
  | { readonly ok: false; readonly error: string };

/** Peak RSS of this process's own address space, KiB (see the module comment). */
export function ownPeakRssKb(): number {
  return peakRssKb(process.resourceUsage().maxRSS);
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

async function run(job: Job): Promise<JobReport> {
  const workers: WorkerUsage[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let answer: Answer;
  let load: { inserted: number; updated: number; unchanged: number } | undefined;
  if (job.kind === 'pipeline') {
    const runtime = new LocalRuntime({ concurrency: job.concurrency });
    runtime.on((ev) => {
      if (ev.type === 'attempt_succeeded' && ev.usage !== undefined) workers.push({ task: ev.task, ...ev.usage });
    });
    const result = await runtime.run(mergeCustomerData, {
      data: job.data,
      out_dir: job.out,
      shards: job.shards,
      workers: job.workers,
      max_rejects: 0,
      ...(job.dataPath !== undefined ? { data_path: job.dataPath } : {}),
      ...(job.pgTable !== undefined ? { sink: { kind: 'postgres' as const, table: job.pgTable } } : {}),
    });
    answer = {
      profiles_generated: result.profiles_generated,
      records_processed: result.records_processed,
      health_score_sum: result.statistics.health_score_sum,
      churn_distribution: result.statistics.churn_distribution,
      expansion_distribution: result.statistics.expansion_distribution,
    };
    if (result.load !== undefined) load = { ...result.load };
    if ((result.reused_shards ?? []).length > 0) throw new Error(`the run reused finished shards ${JSON.stringify(result.reused_shards)} of ${job.out}: a bench run needs a fresh output folder`);
  } else if (job.kind === 'duckdb') {
    const r = await duckdbMerge(job.data, { checks: 'native', ...(job.threads !== undefined ? { threads: job.threads } : {}) });
    answer = r;
  } else if (job.kind === 'duckdb-profiles') {
    answer = await duckdbProfiles(job.data, { outDir: job.out, tempDir: job.tempDir, memoryLimit: job.memoryLimit });
  } else {
    const r = await referenceRun(job.data);
    answer = {
      profiles_generated: r.profiles_generated,
      records_processed: r.records_processed,
      health_score_sum: r.statistics.health_score_sum,
      churn_distribution: r.statistics.churn_distribution,
      expansion_distribution: r.statistics.expansion_distribution,
    };
  }
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMsSince(cpu0);
  return { ok: true, wallMs, cpuMs, peakRssKb: ownPeakRssKb(), workers, answer, ...(load !== undefined ? { load } : {}) };
}

if (process.send !== undefined && process.argv[2] !== undefined) {
  const job = JSON.parse(process.argv[2]) as Job;
  run(job).then(
    (report) => process.send!(report, () => process.exit(0)),
    (err: unknown) => {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      process.send!({ ok: false, error: message } satisfies JobReport, () => process.exit(1));
    },
  );
}
