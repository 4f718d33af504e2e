import { describe, expect, it } from 'vitest';
import { roundPlan } from './sweep.js';

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
});
