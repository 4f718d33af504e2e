import { describe, expect, it } from 'vitest';
import { STORE_HEADERS, storeMarkdown, storeRows, summarizeStore } from './store-report.js';
import type { DataPath, StoreCase, StoreSample } from './store-report.js';
import { storePlan } from './store-main.js';
import { REQUEST_KINDS } from './store-traffic.js';
import type { Traffic } from './store-traffic.js';

const MiB = 2 ** 20;
const traffic = (input: number, spill: number, put: number, gets: number): Traffic => ({
  requests: { ...(Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0])) as Traffic['requests']), get: gets, head: 4, put: put > 0 ? 3 : 0 },
  getBytes: { input, spill, output: 0, elsewhere: 0 },
  putBytes: { input: 0, spill: put, output: 0, elsewhere: 0 },
});
const sample = (round: number, wallMs: number, t: Traffic): StoreSample => ({ round, wallMs, cpuMs: wallMs, mainPeakKb: 1024, traffic: t });
const c = (path: DataPath, shards: number, samples: StoreSample[]): StoreCase => ({ path, shards, samples });

describe('summarizeStore', () => {
  const input = 10 * MiB;
  const cases = [
    c('scan', 1, [sample(0, 1000, traffic(2 * input, 0, 0, 8)), sample(1, 1200, traffic(2 * input, 0, 0, 8))]),
    c('partition', 1, [sample(0, 1100, traffic(2 * input, input, input, 12)), sample(1, 1100, traffic(2 * input, input, input, 12))]),
    c('scan', 4, [sample(0, 2000, traffic(5 * input, 0, 0, 20)), sample(1, 3000, traffic(5 * input, 0, 0, 20))]),
    c('partition', 4, [sample(0, 1000, traffic(2 * input, input, input, 24)), sample(1, 1000, traffic(2 * input, input, input, 24))]),
    c('partition', 8, []),
  ];
  const s = summarizeStore(cases, input);

  it('leaves out cases that never ran and orders by shards, scan first', () => {
    expect(s.map((x) => `${x.path} ${x.shards}`)).toEqual(['scan 1', 'partition 1', 'scan 4', 'partition 4']);
  });

  it('reads input and all GET bytes as multiples of the input, medians over runs', () => {
    const scan4 = s.find((x) => x.path === 'scan' && x.shards === 4)!;
    expect([scan4.inputReads, scan4.getPerInput, scan4.wallMedianMs, scan4.wallMinMs, scan4.wallMaxMs]).toEqual([5, 5, 2500, 2000, 3000]);
    const part4 = s.find((x) => x.path === 'partition' && x.shards === 4)!;
    expect([part4.inputReads, part4.getPerInput, part4.putBytes, part4.requestsTotal]).toEqual([2, 3, input, 31]);
  });

  it('pairs wall-time ratios by round: against scan at the same shards, and against the same path at 1 shard', () => {
    const part4 = s.find((x) => x.path === 'partition' && x.shards === 4)!;
    // rounds: 1000/2000 and 1000/3000 → median 0.4167
    expect(part4.xScan).toBeCloseTo((0.5 + 1 / 3) / 2, 6);
    expect(part4.speedup).toBeCloseTo(1.1, 6);
    expect(s.find((x) => x.path === 'scan' && x.shards === 1)!.xScan).toBe(1);
  });

  it('formats one row per case under the headers, in text and markdown', () => {
    const rows = storeRows(s);
    expect(rows.every((r) => r.length === STORE_HEADERS.length)).toBe(true);
    expect(rows[3]).toEqual(['4', 'partition', '2', '1.00', '1.00–1.00', '0.42x', '1.10x', '20.0', '2.00', '10.0', '3.00', '10.0', '24/3/4/0/0']);
    const md = storeMarkdown(s).split('\n');
    expect(md[0]).toBe(`| ${STORE_HEADERS.join(' | ')} |`);
    expect(md).toHaveLength(2 + 4);
    expect(md[4]).toBe('| 4 | scan | 2 | 2.50 | 2.00–3.00 | 1.00x | 0.45x | 50.0 | 5.00 | 0.0 | 5.00 | 0.0 | 20/0/4/0/0 |');
  });
});

describe('storePlan', () => {
  it('runs scan and partition side by side at each shard count, reversed every other round', () => {
    expect(storePlan([1, 4], 0).map((p) => `${p.path} ${p.shards}`)).toEqual(['scan 1', 'partition 1', 'scan 4', 'partition 4']);
    expect(storePlan([1, 4], 1).map((p) => `${p.path} ${p.shards}`)).toEqual(['partition 4', 'scan 4', 'partition 1', 'scan 1']);
  });
});
