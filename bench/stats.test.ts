import { describe, expect, it } from 'vitest';
import { TABLE_HEADERS, didNotFitRows, formatMarkdown, formatTable, humanRate, median, pairedRatio, ratio, summarize, tableRows } from './stats.js';
import type { CaseResult } from './stats.js';
import { formatTargets, targetChecks } from './targets.js';

const s = (wallMs: number, cpuMs = wallMs, mainPeakKb = 100 * 1024, workerPeakKb?: number) => ({ wallMs, cpuMs, mainPeakKb, ...(workerPeakKb !== undefined ? { workerPeakKb } : {}) });

const cases: CaseResult[] = [
  { name: 'DuckDB SQL', kind: 'duckdb', samples: [s(1000), s(3000), s(2000)] },
  { name: 'local 1 shard', kind: 'local', shards: 1, samples: [s(8000, 10_000, 80 * 1024, 300 * 1024), s(8000, 10_000, 90 * 1024, 200 * 1024)] },
  { name: 'local 10 shards', kind: 'local', shards: 10, samples: [s(4000, 12_000, 70 * 1024, 100 * 1024)] },
  { name: 'local 16 shards', kind: 'local', shards: 16, samples: [s(5000, 14_000, 70 * 1024, 600 * 1024)] },
  { name: 'empty', kind: 'reference', samples: [] },
];

describe('bench arithmetic', () => {
  it('median of odd and even sample counts; none is an error', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('ratio is null when the denominator is missing or not positive', () => {
    expect(ratio(4, 2)).toBe(2);
    expect(ratio(4, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(4, undefined)).toBeNull();
  });

  it('summarises: ratio to the DuckDB median, speed-up and CPU vs the 1-shard case, rows/s, peaks in MiB', () => {
    const sum = summarize(cases, 8_000_000);
    expect(sum.map((c) => c.name)).toEqual(['DuckDB SQL', 'local 1 shard', 'local 10 shards', 'local 16 shards']);
    const [duck, one, ten, sixteen] = sum;
    expect(duck).toMatchObject({ wallMedianMs: 2000, xDuckdb: 1, speedup: null, spreadPct: 100, iterations: 3 });
    expect(one).toMatchObject({ xDuckdb: 4, speedup: 1, cpuVsOneShard: 1, rowsPerSec: 1_000_000, workerPeakMiB: 300, mainPeakMiB: 90 });
    expect(ten).toMatchObject({ xDuckdb: 2, speedup: 2, cpuVsOneShard: 1.2, cpuMedianMs: 12_000 });
    expect(sixteen?.cpuVsOneShard).toBeCloseTo(1.4);
  });

  it('one task per shard (local-each) is compared with the local one-shard case, and does not count as the local case of that shard count', () => {
    const withEach: CaseResult[] = [...cases, { name: 'local 16 shards, a task each', kind: 'local-each', shards: 16, samples: [s(10_000, 20_000)] }];
    const sum = summarize(withEach, 8_000_000);
    const each = sum.find((c) => c.kind === 'local-each');
    expect(each).toMatchObject({ speedup: 0.8, cpuVsOneShard: 2, xDuckdb: 5 });
    expect(targetChecks(sum).find((t) => t.target.startsWith('CPU(16'))?.value).toBeCloseTo(1.4);
  });

  it('CPU vs 1 shard is the median of the ratios of runs in the same round, when the runs have rounds', () => {
    // The machine slows down threefold from the middle of round 1 on: the ratio of medians
    // (36 s / 10 s = 3.6) compares a slow moment with a fast one; neighbours in each round say
    // 1.2, 3.6 and 1.2, median 1.2.
    const r = (round: number, cpuMs: number) => ({ ...s(1000, cpuMs), round });
    const drifting: CaseResult[] = [
      { name: 'local 1 shard', kind: 'local', shards: 1, samples: [r(0, 10_000), r(1, 10_000), r(2, 30_000)] },
      { name: 'local 16 shards', kind: 'local', shards: 16, samples: [r(0, 12_000), r(1, 36_000), r(2, 36_000)].reverse() },
    ];
    expect(pairedRatio(drifting[1]!.samples, drifting[0]!.samples, (x) => x.cpuMs)).toBeCloseTo(1.2);
    const [one, sixteen] = summarize(drifting, 1000);
    expect(one?.cpuVsOneShard).toBe(1);
    expect(sixteen?.cpuMedianMs).toBe(36_000);
    expect(sixteen?.cpuVsOneShard).toBeCloseTo(1.2);
    // Likewise × DuckDB and the speed-up, from DuckDB's runs in the rounds (its runs before and
    // after the rounds count for its median only).
    const w = (round: number | undefined, wallMs: number) => ({ ...s(wallMs), ...(round !== undefined ? { round } : {}) });
    const walls: CaseResult[] = [
      { name: 'DuckDB SQL', kind: 'duckdb', samples: [w(undefined, 1000), w(0, 1000), w(1, 1000), w(2, 3000), w(undefined, 3000)] },
      { name: 'local 1 shard', kind: 'local', shards: 1, samples: [w(0, 8000), w(1, 8000), w(2, 24_000)] },
      { name: 'local 10 shards', kind: 'local', shards: 10, samples: [w(0, 2000), w(1, 6000), w(2, 6000)] },
    ];
    const [duck, , ten] = summarize(walls, 1000);
    expect(duck?.xDuckdb).toBe(1);
    expect(ten?.xDuckdb).toBeCloseTo(2);
    expect(ten?.speedup).toBeCloseTo(4);
    // No shared round: no paired ratio (summarize then takes the ratio of medians).
    expect(pairedRatio([r(0, 1)], [r(1, 1)], (x) => x.cpuMs)).toBeNull();
    expect(pairedRatio([s(1)], [s(1)], (x) => x.cpuMs)).toBeNull();
  });

  it('formats a table whose rows line up with the headers', () => {
    const rows = tableRows(summarize(cases, 8_000_000));
    expect(rows.every((r) => r.length === TABLE_HEADERS.length)).toBe(true);
    expect(rows[2]?.[4]).toBe('2.00x');
    const text = formatTable(TABLE_HEADERS, rows).split('\n');
    expect(text).toHaveLength(2 + rows.length);
    const md = formatMarkdown(TABLE_HEADERS, rows).split('\n');
    expect(md[1]).toMatch(/^\|---\|---:\|/);
    expect(md).toHaveLength(2 + rows.length);
  });

  it('human rates', () => {
    expect(humanRate(1_250_000)).toBe('1.25M');
    expect(humanRate(812_345)).toBe('812k');
    expect(humanRate(950)).toBe('950');
  });

  it('evaluates the performance targets from the summaries, and says when one was not measured', () => {
    const checks = targetChecks(summarize(cases, 8_000_000));
    expect(checks.map((c) => [c.value, c.met])).toEqual([
      [2, true],
      [expect.closeTo(1.4, 5), false],
      [600, false],
      [90, true],
    ]);
    const none = targetChecks(summarize(cases.slice(0, 2), 1));
    expect(none[0]?.met).toBeNull();
  });

  it('a target met by the median of rounds but not in every round says so, with each round', () => {
    const r = (round: number, cpuMs: number) => ({ ...s(1000, cpuMs), round });
    const run = (sixteen: number[]): string =>
      formatTargets(
        targetChecks(
          summarize(
            [
              { name: 'local 1 shard', kind: 'local', shards: 1, samples: [r(0, 10_000), r(1, 10_000), r(2, 10_000)] },
              { name: 'local 16 shards', kind: 'local', shards: 16, samples: sixteen.map((cpu, k) => r(k, cpu)) },
            ],
            1,
          ),
        ),
      ).split('\n')[1]!;
    expect(run([10_100, 12_300, 14_400])).toMatch(/1\.23x .*rounds 1\.01 \/ 1\.23 \/ 1\.44\): met by the median, NOT in every round$/);
    expect(run([10_100, 12_300, 12_900])).toMatch(/rounds 1\.01 \/ 1\.23 \/ 1\.29\): met$/);
    expect(run([14_000, 14_000, 12_000])).toMatch(/: NOT met$/);
  });

  it('a second ratio compares each case with DuckDB writing the same profiles, paired by round; a case that did not fit is a row saying so', () => {
    const w = (round: number, wallMs: number) => ({ ...s(wallMs), round });
    const both: CaseResult[] = [
      { name: 'DuckDB aggregates only (writes no profiles)', kind: 'duckdb', samples: [w(0, 1000), w(1, 1000)] },
      { name: 'DuckDB profiles (writes the same JSON profiles)', kind: 'duckdb-profiles', samples: [w(0, 4000), w(1, 8000)] },
      { name: 'local 1 shard', kind: 'local', shards: 1, samples: [w(0, 2000), w(1, 4000)] },
      { name: 'local 32 shards', kind: 'local', shards: 32, samples: [], didNotFit: 'did not fit: needs about 40.0 GiB of disk, 10.0 GiB free' },
    ];
    const sum = summarize(both, 1000);
    const local = sum.find((c) => c.name === 'local 1 shard')!;
    expect(local.xDuckdb).toBe(3);
    expect(local.xDuckdbProfiles).toBe(0.5);
    expect(sum.find((c) => c.kind === 'duckdb-profiles')!.xDuckdbProfiles).toBe(1);
    expect(summarize(cases, 1000).every((c) => c.xDuckdbProfiles === null)).toBe(true);
    expect(TABLE_HEADERS).toContain('× DuckDB aggregates');
    expect(TABLE_HEADERS).toContain('× DuckDB profiles');
    const rows = tableRows(sum);
    expect(rows.find((r) => r[0] === 'local 1 shard')!.slice(4, 6)).toEqual(['3.00x', '0.50x']);
    expect(didNotFitRows(both)).toEqual([['local 32 shards', '0', 'did not fit: needs about 40.0 GiB of disk, 10.0 GiB free', ...TABLE_HEADERS.slice(3).map(() => '–')]]);
  });
});
