import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAnswer, freshDir, runJob, sampleOf } from './measure.js';

const answer = {
  profiles_generated: 3,
  records_processed: 12,
  health_score_sum: 180,
  churn_distribution: { LOW: 1, MEDIUM: 1, HIGH: 1 },
  expansion_distribution: { LOW: 3, MEDIUM: 0, HIGH: 0 },
};

describe('measure', () => {
  it('a run counts the CPU of the orchestrator and every worker, and the largest worker peak', () => {
    const sample = sampleOf({
      ok: true,
      wallMs: 1000,
      cpuMs: 100,
      peakRssKb: 50_000,
      workers: [
        { task: 'process_shard', cpuMs: 400, maxRssKb: 90_000 },
        { task: 'process_shard', cpuMs: 500, maxRssKb: 120_000 },
      ],
      answer,
    });
    expect(sample).toEqual({ wallMs: 1000, cpuMs: 1000, mainPeakKb: 50_000, workerPeakKb: 120_000 });
  });

  it("the workers' helper-thread CPU is what they spent off their main thread, when every worker says", () => {
    const run = (workers: { cpuMs: number; maxRssKb: number; mainThreadCpuMs?: number }[]) => sampleOf({ ok: true, wallMs: 1000, cpuMs: 100, peakRssKb: 1, workers: workers.map((w) => ({ task: 'process_shard', ...w })), answer });
    expect(run([{ cpuMs: 400, maxRssKb: 1, mainThreadCpuMs: 300 }, { cpuMs: 500, maxRssKb: 1, mainThreadCpuMs: 450 }]).workerHelperCpuMs).toBe(150);
    expect(run([{ cpuMs: 400, maxRssKb: 1, mainThreadCpuMs: 300 }, { cpuMs: 500, maxRssKb: 1 }]).workerHelperCpuMs).toBeUndefined();
  });

  it('a run without workers has no worker peak', () => {
    expect(sampleOf({ ok: true, wallMs: 5, cpuMs: 7, peakRssKb: 9, workers: [], answer })).toEqual({ wallMs: 5, cpuMs: 7, mainPeakKb: 9 });
  });

  it('an answer that differs from DuckDB in any figure fails the bench', () => {
    expect(() => checkAnswer('x', answer, { ...answer })).not.toThrow();
    expect(() => checkAnswer('local 4 shards', { ...answer, health_score_sum: 181 }, answer)).toThrow(/local 4 shards disagrees with DuckDB/);
    expect(() => checkAnswer('x', { ...answer, churn_distribution: { LOW: 2, MEDIUM: 0, HIGH: 1 } }, answer)).toThrow(/disagrees/);
  });
});

describe('runJob (the measured child process)', () => {
  const fixture = join(import.meta.dirname, '..', 'src', 'testdata', 'tutorial-2000');
  const scratch = mkdtempSync(join(tmpdir(), 'bench-measure-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the pipeline at 3 shards, DuckDB and the reference all report the fixture’s answer, with usage', async () => {
    const duck = await runJob({ kind: 'duckdb', data: fixture });
    const pipeline = await runJob({ kind: 'pipeline', data: fixture, out: await freshDir(join(scratch, 'out')), shards: 3, concurrency: 2, workers: 3 });
    const reference = await runJob({ kind: 'reference', data: fixture });
    expect(duck.answer.health_score_sum).toBe(120215);
    checkAnswer('pipeline', pipeline.answer, duck.answer);
    checkAnswer('reference', reference.answer, duck.answer);
    expect(pipeline.workers.length).toBeGreaterThanOrEqual(3);
    for (const w of pipeline.workers) expect(w.maxRssKb).toBeGreaterThan(10_000);
    // Each worker says which task it ran: prepare_run once, then one process_shard per shard
    // (the fixture is under the partition threshold, so no partition_source).
    expect(pipeline.workers.map((w) => w.task).sort()).toEqual(['prepare_run', 'process_shard', 'process_shard', 'process_shard']);
    const s = sampleOf(pipeline);
    expect(s.cpuMs).toBeGreaterThan(pipeline.cpuMs);
    expect(s.mainPeakKb).toBeGreaterThan(10_000);
    // Dealt to 2 workers, the same 3 shards run in two process_shards tasks, with the same answer.
    const dealt = await runJob({ kind: 'pipeline', data: fixture, out: await freshDir(join(scratch, 'out-dealt')), shards: 3, concurrency: 2, workers: 2 });
    checkAnswer('pipeline on 2 workers', dealt.answer, duck.answer);
    expect(dealt.workers.map((w) => w.task).sort()).toEqual(['prepare_run', 'process_shards', 'process_shards']);
  });

  it('a failing run rejects with the reason', async () => {
    await expect(runJob({ kind: 'duckdb', data: join(scratch, 'no-such-dir') })).rejects.toThrow(/bench duckdb run failed: .*no-such-dir/);
  });
});
