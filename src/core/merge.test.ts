import { describe, expect, it } from 'vitest';
import { Merger, profileJson } from './merge.js';
import type { SourceRow } from './rows.js';
import type { SourceFields, SourceName } from './schema.js';

let line = 1;
function row(source: SourceName, customerId: string, fields: SourceFields): SourceRow {
  return { kind: 'row', source, line: ++line, customerId, fields };
}

describe('merge', () => {
  it("keeps each source's email under its own key (Support cannot clobber CRM)", () => {
    const m = new Merger();
    m.add(row('crm', 'c1', { email: 'ana@acme.test' }));
    m.add(row('support', 'c1', { email: 'support_1@example.com' }));
    const [p] = [...m.profiles()];
    expect(p?.crm?.['email']).toBe('ana@acme.test');
    expect(p?.support?.['email']).toBe('support_1@example.com');
  });

  it('makes one profile per id in any source; a missing source is simply absent', () => {
    const m = new Merger();
    m.add(row('billing', 'c2', { plan: 'Starter' }));
    m.add(row('crm', 'c1', { industry: 'Finance' }));
    const ps = [...m.profiles()];
    expect(ps.map((p) => p.customer_id)).toEqual(['c1', 'c2']);
    expect('billing' in ps[0]!).toBe(false);
    expect('crm' in ps[1]!).toBe(false);
    expect(m.counts().orphans).toBe(1);
  });

  it('lets the last row in file order win and counts the superseded rows', () => {
    const m = new Merger();
    m.add(row('billing', 'c1', { plan: 'Starter' }));
    m.add(row('billing', 'c1', { plan: 'Business' }));
    m.add(row('billing', 'c1', { plan: 'Enterprise' }));
    const [p] = [...m.profiles()];
    expect(p?.billing).toEqual({ plan: 'Enterprise' });
    expect(m.counts().duplicates.billing).toBe(2);
    expect(m.counts().merged.billing).toBe(3);
  });

  it('sorts profiles by id in code-unit order', () => {
    const m = new Merger();
    for (const id of ['b', 'B', 'a', 'é', 'a1']) m.add(row('crm', id, {}));
    expect([...m.profiles()].map((p) => p.customer_id)).toEqual(['B', 'a', 'a1', 'b', 'é']);
  });

  it('derives the idempotency key from the rows used: same rows, same key; any change, new key', () => {
    const key = (fields: SourceFields): string => {
      const m = new Merger();
      m.add(row('crm', 'c1', fields));
      return [...m.profiles()][0]!.idempotency_key;
    };
    expect(key({ industry: 'Finance' })).toBe(key({ industry: 'Finance' }));
    expect(key({ industry: 'Finance' })).not.toBe(key({ industry: 'Retail' }));
    expect(key({ industry: 'Finance' })).toMatch(/^c1:[0-9a-f]{16}$/);
  });
});

describe('profile JSON', () => {
  it('profileJson(p) is exactly JSON.stringify(p), for odd text and for every source mix (seeded)', () => {
    const odd = ['a "quoted", value', 'line\nbreak', 'tab\tand \\ back', 'Zürich 東京 😀', '\u2028sep', ''];
    let seed = 91;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 200; i++) {
      const m = new Merger();
      const id = `cust_${odd[i % odd.length]}${i}`;
      for (const source of ['crm', 'billing', 'product', 'support'] as const) {
        if (rnd() < 0.6) m.add(row(source, id, { note: odd[Math.floor(rnd() * odd.length)]!, n: Math.floor(rnd() * 1000) / 10 }));
      }
      if (m.size === 0) m.add(row('support', id, {}));
      const [p] = [...m.profiles()];
      expect(profileJson(p!)).toBe(JSON.stringify(p));
    }
  });
});
