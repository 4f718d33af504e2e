import { describe, expect, it } from 'vitest';
import { cpuByTask, roundPlan } from './sweep.js';

describe('bench rounds', () => {
  it('runs every case in the first round, reverses the order every other round, and drops a case once its budget is spent', () => {
    const names = ['reference', 'local 1 shard', 'local 16 shards'];
    const none = new Map<string, number>();
    expect(roundPlan(names, 0, new Map([['reference', 90_000]]), Infinity)).toEqual(names);
    expect(roundPlan(names, 1, none, 20_000)).toEqual(['local 16 shards', 'local 1 shard', 'reference']);
    expect(roundPlan(names, 2, none, 20_000)).toEqual(names);
    const spent = new Map([
      ['reference', 90_000],
      ['local 1 shard', 19_999],
      ['local 16 shards', 20_000],
    ]);
    expect(roundPlan(names, 1, spent, 20_000)).toEqual(['local 1 shard']);
    expect(roundPlan(names, 2, new Map(names.map((n) => [n, 1e9])), 20_000)).toEqual([]);
  });

  it('sums a run\'s worker CPU per task, with the helper-thread part when every worker of the task reports it', () => {
    expect(
      cpuByTask([
        { task: 'prepare_run', cpuMs: 700, maxRssKb: 1, mainThreadCpuMs: 500 },
        { task: 'process_shard', cpuMs: 1500, maxRssKb: 1, mainThreadCpuMs: 1000 },
        { task: 'process_shard', cpuMs: 1700, maxRssKb: 1, mainThreadCpuMs: 1200 },
        { task: 'partition_source', cpuMs: 900, maxRssKb: 1 },
      ]),
    ).toBe('prepare_run ×1 0.70 s (helper 0.20 s), process_shard ×2 3.20 s (helper 1.00 s), partition_source ×1 0.90 s');
  });
});
