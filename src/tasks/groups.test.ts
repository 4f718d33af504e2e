import { describe, expect, it } from 'vitest';
import { deal, eachInTurn } from './groups.js';
import { dealShards } from './process-shards.js';

describe('dealing shards to workers', () => {
  it('every shard is dealt exactly once, in order, to min(shards, workers) groups whose sizes differ by at most one (all counts up to 64 × 80)', () => {
    for (let shards = 1; shards <= 64; shards++) {
      for (let workers = 1; workers <= 80; workers++) {
        const groups = dealShards(shards, workers);
        expect(groups).toHaveLength(Math.min(shards, workers));
        expect(groups.flat()).toEqual(Array.from({ length: shards }, (_, i) => i));
        const sizes = groups.map((g) => g.length);
        expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('16 shards on 2 workers are 0..7 and 8..15; 10 on 4 are 3, 3, 2, 2; as many workers as shards is one shard each', () => {
    expect(dealShards(16, 2)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15]]);
    expect(dealShards(10, 4).map((g) => g.length)).toEqual([3, 3, 2, 2]);
    expect(dealShards(3, 8)).toEqual([[0], [1], [2]]);
  });

  it('a count that is not a whole number ≥ 1 is refused with the value', () => {
    expect(() => dealShards(4, 0)).toThrow(/workers must be a whole number ≥ 1, got 0/);
    expect(() => dealShards(0, 2)).toThrow(/shard count .* got 0/);
    expect(() => dealShards(4, 1.5)).toThrow(/got 1.5/);
  });
});

describe('the dealer', () => {
  it('balanced: every item in exactly one non-empty group, groups ascending and ordered by first item, for weights 1..4 of five items on 1..7 groups', () => {
    for (let groups = 1; groups <= 7; groups++) {
      for (let k = 0; k < 4 ** 5; k++) {
        const weights = Array.from({ length: 5 }, (_, i) => 1 + (Math.floor(k / 4 ** i) % 4));
        const dealt = deal(weights, groups, 'balanced');
        expect(dealt).toHaveLength(Math.min(groups, 5));
        expect(dealt.flat().sort()).toEqual([0, 1, 2, 3, 4]);
        for (const g of dealt) expect(g).toEqual([...g].sort((a, b) => a - b));
        expect(dealt.map((g) => g[0])).toEqual(dealt.map((g) => g[0]).sort((a, b) => a! - b!));
      }
    }
  });

  it('balanced puts the heaviest item first in the lightest group: weights 5, 1, 9, 3 on 2 groups are {0, 1, 3} and {2}', () => {
    expect(deal([5, 1, 9, 3], 2, 'balanced')).toEqual([[0, 1, 3], [2]]);
  });

  it('consecutive ignores the weights: 5 items on 2 groups are 0..2 and 3..4', () => {
    expect(deal([9, 1, 1, 1, 1], 2, 'consecutive')).toEqual([[0, 1, 2], [3, 4]]);
  });

  it('refuses a group count that is not a whole number ≥ 1, naming it and the value', () => {
    expect(() => deal([1], 0, 'balanced', 'workers')).toThrow(/workers must be a whole number ≥ 1, got 0/);
    expect(() => deal([1], 2.5, 'consecutive')).toThrow(/groups must be a whole number ≥ 1, got 2.5/);
  });

  it('eachInTurn runs the items one after the other, in order, and stops at the first failure', async () => {
    const log: string[] = [];
    const one = async (i: number): Promise<number> => {
      log.push(`start ${i}`);
      await new Promise((r) => setTimeout(r, 3 - i));
      log.push(`end ${i}`);
      if (i === 2) throw new Error('item 2 failed');
      return i * 10;
    };
    expect(await eachInTurn([0, 1], one)).toEqual([0, 10]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
    log.length = 0;
    await expect(eachInTurn([1, 2, 3], one)).rejects.toThrow('item 2 failed');
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });
});
