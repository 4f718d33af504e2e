import { describe, expect, it } from 'vitest';
import { checkAnswer, sampleOf } from './measure.js';

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
        { cpuMs: 400, maxRssKb: 90_000 },
        { cpuMs: 500, maxRssKb: 120_000 },
      ],
      answer,
    });
    expect(sample).toEqual({ wallMs: 1000, cpuMs: 1000, mainPeakKb: 50_000, workerPeakKb: 120_000 });
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
