/**
 * Child entry of the warm-up probe (warmup.ts): a fresh process, started with the task workers'
 * Node flags, that runs `process_shard` on one shard `runs` times in a row and reports what each
 * run cost. The first run is what every shard of a real run pays (Render and the embedded runtime
 * start a fresh process per task run); the later ones show the same work with the JIT warm.
 * Before the first run it reports what starting Node and loading the task code cost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mainThreadCpuMs, processUsage } from '../src/runtime/usage.js';
import type { ProcessUsage } from '../src/runtime/events.js';
import type { ShardInput } from '../src/tasks/contracts.js';

/** What the probe asks of one child. */
export interface WarmupJob {
  /** The shard to run; its `out_dir` is replaced by a folder of this child's own. */
  readonly input: ShardInput;
  /** Runs in this process, one after the other (≥ 0; 0 measures start-up only). */
  readonly runs: number;
}

/** One timed run of the shard: CPU of the whole process and of its main thread, wall time. */
export interface RunCost {
  readonly cpuMs: number;
  readonly mainThreadCpuMs: number | null;
  readonly wallMs: number;
  readonly profiles: number;
}

export type WarmupReport =
  | { readonly ok: true; readonly startup: ProcessUsage; readonly runs: readonly RunCost[]; readonly peakRssKb: number }
  | { readonly ok: false; readonly error: string };

async function main(job: WarmupJob): Promise<WarmupReport> {
  // Loading the task code is part of what a fresh worker pays before its first byte.
  const { processShard } = await import('../src/tasks/process-shard.js');
  const startup = processUsage();
  const out = await mkdtemp(join(job.input.out_dir, 'warmup-'));
  const runs: RunCost[] = [];
  try {
    for (let k = 0; k < job.runs; k++) {
      const cpu0 = process.cpuUsage();
      const main0 = mainThreadCpuMs();
      const t0 = performance.now();
      const result = await processShard.func({ run: () => Promise.reject(new Error('no fan-out in the warm-up probe')) }, { ...job.input, out_dir: out, resume: false });
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const main1 = mainThreadCpuMs();
      runs.push({
        cpuMs: (cpu.user + cpu.system) / 1000,
        mainThreadCpuMs: main0 === undefined || main1 === undefined ? null : main1 - main0,
        wallMs,
        profiles: result.profiles,
      });
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  return { ok: true, startup, runs, peakRssKb: processUsage().maxRssKb };
}

if (process.send !== undefined && process.argv[2] !== undefined) {
  const job = JSON.parse(process.argv[2]) as WarmupJob;
  main(job).then(
    (report) => process.send!(report, () => process.exit(0)),
    (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WarmupReport, () => process.exit(1)),
  );
}
