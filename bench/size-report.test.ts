import { describe, expect, it } from 'vitest';
import { growthExponent, growthOf, memoryStory, memoryVerdict, sizeMarkdown, sizeRows } from './size-report.js';
import type { SizeCase } from './size-report.js';
import { summarize } from './stats.js';
import type { CaseResult } from './stats.js';

const sample = (wallMs: number, mainPeakKb: number, workerPeakKb?: number) => ({ wallMs, cpuMs: wallMs, mainPeakKb, ...(workerPeakKb !== undefined ? { workerPeakKb } : {}) });

/** Summaries of three cases at one size: DuckDB's memory grows tenfold per size, the pipeline's stays put. */
function at(customers: number, k: number): SizeCase[] {
  const cases: CaseResult[] = [
    { name: 'DuckDB aggregates only (writes no profiles)', kind: 'duckdb', samples: [sample(1000 * k, 100_000 * k)] },
    { name: 'DuckDB profiles (writes the same JSON profiles)', kind: 'duckdb-profiles', samples: [sample(4000 * k, 200_000 * k)] },
    { name: 'local 1 shard', kind: 'local', shards: 1, samples: [sample(3000 * k, 80_000, 300_000)] },
  ];
  return summarize(cases, customers * 4).map((summary) => ({ customers, name: summary.name, kind: summary.kind, shards: summary.shards, summary }));
}

describe('size report', () => {
  it('the growth exponent is log(value ratio) / log(size ratio): 0 flat, 1 linear, 0.5 square root', () => {
    expect(growthExponent(1e5, 100, 1e6, 100)).toBe(0);
    expect(growthExponent(1e5, 100, 1e6, 1000)).toBeCloseTo(1);
    expect(growthExponent(1e6, 300, 1e7, 300 * Math.sqrt(10))).toBeCloseTo(0.5);
    expect(growthExponent(1e5, null, 1e6, 5)).toBeNull();
    expect(growthExponent(1e5, 0, 1e6, 5)).toBeNull();
    expect(memoryVerdict(0.1)).toBe('flat');
    expect(memoryVerdict(0.5)).toBe('grows, less than linearly');
    expect(memoryVerdict(0.95)).toBe('grows about linearly');
  });

  it('says where memory stays flat (the pipeline) and where it grows (DuckDB), size by size', () => {
    const rows = [...at(100_000, 1), ...at(1_000_000, 10)];
    const g = growthOf(rows);
    const duck = g.find((x) => x.name.startsWith('DuckDB aggregates'))!;
    const local = g.find((x) => x.name === 'local 1 shard')!;
    expect(duck).toMatchObject({ from: 100_000, to: 1_000_000, memory: 'grows about linearly' });
    expect(duck.memExponent).toBeCloseTo(1);
    expect(duck.wallExponent).toBeCloseTo(1);
    // The largest process of the pipeline is a worker at 300,000 KiB at both sizes.
    expect(local.memExponent).toBeCloseTo(0);
    expect(local.memory).toBe('flat');
    const story = memoryStory(g).join('\n');
    expect(story).toMatch(/local 1 shard: memory stays flat; 100,000→1,000,000: memory exponent 0\.00 \(flat\)/);
    expect(story).toMatch(/DuckDB aggregates only \(writes no profiles\): memory grows with the data; 100,000→1,000,000: memory exponent 1\.00/);
  });

  it('rows carry µs per customer, both ratios and what each case does; a case that did not fit says so', () => {
    const rows: SizeCase[] = [...at(100_000, 1), { customers: 10_000_000, name: 'DuckDB profiles (writes the same JSON profiles)', kind: 'duckdb-profiles', shards: null, didNotFit: 'did not fit: needs about 9.0 GiB of disk, 2.0 GiB free' }];
    const table = sizeRows(rows);
    const local = table.find((r) => r[1] === 'local 1 shard')!;
    expect(local[2]).toMatch(/writes JSON profiles/);
    expect(local[6]).toBe('30.00'); // 3,000 ms / 100,000 customers
    expect(local[7]).toBe('293'); // the worker, 300,000 KiB
    expect(local[10]).toBe('3.00x');
    expect(local[11]).toBe('0.75x');
    expect(table.find((r) => r[1]!.startsWith('DuckDB aggregates'))![2]).toMatch(/writes no profiles/);
    const dnf = table[table.length - 1]!;
    expect(dnf[4]).toBe('did not fit: needs about 9.0 GiB of disk, 2.0 GiB free');
    const md = sizeMarkdown({ command: 'npm run bench -- --customers 100000,10000000', title: 't', seed: 1, rows, load: [{ customers: 100_000, start: [1, 2, 3], end: [4, 5, 6] }], cores: 2 });
    expect(md).toContain('| 10,000,000 | DuckDB profiles (writes the same JSON profiles) |');
    expect(md).toContain('did not fit: needs about 9.0 GiB of disk');
    expect(md).toContain('100,000 customers: load average 1 / 2 / 3 at start, 4 / 5 / 6 at end');
    expect(md).toContain('seed 1');
  });
});
