import { describe, expect, it } from 'vitest';
import { shardOf } from './routing.js';

describe('routing', () => {
  it('gives the documented shards for cust_00000000..09 with 10 shards', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `cust_${String(i).padStart(8, '0')}`);
    expect(ids.map((id) => shardOf(id, 10))).toEqual([0, 9, 9, 5, 2, 6, 2, 1, 5, 6]);
  });

  it.each([0, -1, 1025, 2.5, Number.NaN])('refuses shard count %s with a message naming it', (n) => {
    expect(() => shardOf('cust_1', n)).toThrow(/shard count must be a whole number from 1 to 1024, got/);
  });

  it('keeps every shard within 0..N-1', () => {
    for (const n of [1, 2, 3, 10, 64, 1024]) {
      for (let i = 0; i < 500; i++) {
        const s = shardOf(`cust_${i}`, n);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(n);
      }
    }
  });
});
