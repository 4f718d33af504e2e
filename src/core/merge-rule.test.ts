import { describe, expect, it } from 'vitest';
import { compareIds, idsInOrder, keepRow, sideBySide } from './merge-rule.js';
import type { Customers } from './merge-rule.js';

describe('the merge rule', () => {
  it('keeps the last row of a customer in a source, and every customer of any source', () => {
    const customers: Customers = new Map();
    keepRow(customers, 'billing', 'C2', { plan: 'basic' });
    keepRow(customers, 'crm', 'C1', { name: 'Ada' });
    keepRow(customers, 'billing', 'C2', { plan: 'pro' });
    expect(customers.get('C2')).toEqual({ billing: { plan: 'pro' } });
    expect(customers.get('C1')).toEqual({ crm: { name: 'Ada' } });
  });

  it('puts sources side by side in crm, billing, product, support order, absent ones left out', () => {
    const kept = sideBySide({ support: { nps_score: 9 }, crm: { name: 'Ada' }, product: { usage_pct: 50 } });
    expect(Object.keys(kept)).toEqual(['crm', 'product', 'support']);
    expect(kept['product']).toEqual({ usage_pct: 50 });
  });

  it('orders ids by UTF-16 code units, not by locale or number', () => {
    expect(['b', 'B', 'a10', 'a9', 'é'].sort(compareIds)).toEqual(['B', 'a10', 'a9', 'b', 'é']);
    const customers: Customers = new Map([
      ['c', {}],
      ['a', {}],
      ['b', {}],
    ]);
    expect(idsInOrder(customers)).toEqual(['a', 'b', 'c']);
  });
});
