import { describe, expect, it } from 'vitest';
import { dealShards } from './batches.js';

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
