import { describe, expect, it } from 'vitest';
import { SOURCE_NAMES } from '../core/schema.js';
import { dealSources, partitionSources } from './partition-sources.js';

const mb = (crm: number, billing: number, product: number, support: number) => ({ crm, billing, product, support });

describe('dealing the sources to partition groups', () => {
  it('groups of about equal bytes, each listing its sources in the usual order', () => {
    // The million-customer files: crm 104 MB, billing 83, product 93, support 74.
    expect(dealSources(mb(104, 83, 93, 74), 2)).toEqual([['crm', 'support'], ['billing', 'product']]);
    expect(dealSources(mb(10, 10, 10, 10), 3)).toEqual([['crm', 'support'], ['billing'], ['product']]);
    expect(dealSources(mb(1, 2, 3, 4), 1)).toEqual([[...SOURCE_NAMES]]);
  });

  it('every source is in exactly one group, and four or more groups are one source each', () => {
    for (let groups = 1; groups <= 6; groups++) {
      const dealt = dealSources(mb(5, 1, 9, 3), groups);
      expect(dealt).toHaveLength(Math.min(groups, 4));
      expect(dealt.flat().sort()).toEqual([...SOURCE_NAMES].sort());
      for (const g of dealt) expect(g.length).toBeGreaterThan(0);
    }
    expect(dealSources(mb(5, 1, 9, 3), 4)).toEqual(SOURCE_NAMES.map((s) => [s]));
  });

  it('a group count that is not a whole number ≥ 1 is refused with the value', () => {
    expect(() => dealSources(mb(1, 1, 1, 1), 0)).toThrow(/groups must be a whole number ≥ 1, got 0/);
  });
});

describe('partition_sources', () => {
  it('refuses a group that is not a non-empty list of distinct sources, with the value', async () => {
    const ctx = { run: () => Promise.reject(new Error('no fan-out')) };
    const base = { run_id: 'r', data: '/nowhere', shard_count: 2, spill_dir: '/nowhere/spill' };
    await expect(partitionSources.func(ctx, { ...base, sources: [] })).rejects.toThrow(/non-empty list of distinct sources .* got \[\]/);
    await expect(partitionSources.func(ctx, { ...base, sources: ['crm', 'crm'] })).rejects.toThrow(/got \["crm","crm"\]/);
    await expect(partitionSources.func(ctx, { ...base, sources: ['ledger' as never] })).rejects.toThrow(/got \["ledger"\]/);
  });
});
