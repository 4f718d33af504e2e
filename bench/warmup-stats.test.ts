import { describe, expect, it } from 'vitest';
import type { RunCost } from './warmup-child.js';
import { roundFigures, summarizeWarmup } from './warmup-stats.js';
import type { WarmupRound } from './warmup-stats.js';

const run = (cpuMs: number, mainThreadCpuMs: number | null = null): RunCost => ({ cpuMs, mainThreadCpuMs, wallMs: cpuMs, profiles: 100 });

const round = (startup: number, runs: RunCost[], beside: RunCost[] = []): WarmupRound => ({ alone: { startup: { cpuMs: startup, maxRssKb: 1 }, runs }, beside });

describe('warm-up figures', () => {
  it('the first run is cold, the median of the later ones is warm, and a fresh process costs start-up plus the difference', () => {
    const f = roundFigures(round(130, [run(1500, 1000), run(900, 700), run(1000, 750), run(800, 600)], [run(1800), run(1600)]));
    expect(f.coldCpuMs).toBe(1500);
    expect(f.warmCpuMs).toBe(900);
    expect(f.warmupCpuMs).toBe(600);
    expect(f.freshProcessCpuMs).toBe(730);
    expect(f.coldOverWarm).toBeCloseTo(1500 / 900);
    expect(f.coldHelperCpuMs).toBe(500);
    expect(f.warmHelperCpuMs).toBe(200);
    expect(f.besideCpuMs).toBe(1700);
    expect(f.besideOverAlone).toBeCloseTo(1700 / 1500);
  });

  it('helper shares are unknown when a run lacks its main-thread figure, and beside figures when no pair ran', () => {
    const f = roundFigures(round(100, [run(1000, 800), run(600, null)]));
    expect(f.coldHelperCpuMs).toBe(200);
    expect(f.warmHelperCpuMs).toBeNull();
    expect(f.besideCpuMs).toBeNull();
    expect(f.besideOverAlone).toBeNull();
  });

  it('a round without a warm run is refused, with the count it got', () => {
    expect(() => roundFigures(round(100, [run(1000)]))).toThrow(/at least 2 runs.*got 1/);
  });

  it('the summary is the median of each per-round figure, ratios included (not a ratio of medians)', () => {
    const s = summarizeWarmup([
      round(100, [run(2000), run(1000)], [run(2400), run(2400)]),
      round(120, [run(1200), run(1000)], [run(1500), run(1500)]),
      round(110, [run(3000), run(1000)], [run(3000), run(3000)]),
    ]);
    expect(s.rounds.map((f) => f.coldOverWarm)).toEqual([2, 1.2, 3]);
    expect(s.median.coldOverWarm).toBe(2);
    expect(s.median.startupCpuMs).toBe(110);
    expect(s.median.coldCpuMs).toBe(2000);
    expect(s.median.besideOverAlone).toBeCloseTo(1.2);
    expect(() => summarizeWarmup([])).toThrow(/no warm-up rounds/);
  });
});
