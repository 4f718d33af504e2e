import { describe, expect, it } from 'vitest';
import { Merger } from './merge.js';
import { buildProfile, profileJson, profileLine, profileOf } from '../core/profile.js';
import { makeRow } from './source-row.js';
import type { SourceRow } from './source-row.js';
import type { SourceFields, SourceName } from '../core/schema.js';

let line = 1;
function row(source: SourceName, customerId: string, fields: SourceFields): SourceRow {
  return makeRow(source, ++line, customerId, fields);
}

describe('merge', () => {
  it("keeps each source's email under its own key (Support cannot clobber CRM)", () => {
    const m = new Merger();
    m.add(row('crm', 'c1', { email: 'ana@acme.test' }));
    m.add(row('support', 'c1', { email: 'support_1@example.com' }));
    const [p] = [...m.profiles()].map(profileOf);
    expect(p?.crm?.['email']).toBe('ana@acme.test');
    expect(p?.support?.['email']).toBe('support_1@example.com');
  });

  it('makes one profile per id in any source; a missing source is simply absent', () => {
    const m = new Merger();
    m.add(row('billing', 'c2', { plan: 'Starter' }));
    m.add(row('crm', 'c1', { industry: 'Finance' }));
    const ps = [...m.profiles()].map(profileOf);
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
    const [p] = [...m.profiles()].map(profileOf);
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
  it('Merger lines equal buildProfile lines and JSON.stringify of the profile, for odd text, every source mix and enrichment input (seed 91)', () => {
    const odd = ['a "quoted", value', 'line\nbreak', 'tab\tand \\ back', 'Zürich 東京 😀', '\u2028sep', ''];
    let seed = 91;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 200; i++) {
      const m = new Merger();
      const id = `cust_${odd[i % odd.length]}${i}`;
      for (const source of ['crm', 'billing', 'product', 'support'] as const) {
        const pick = (xs: readonly (string | number)[]): string | number => xs[Math.floor(rnd() * xs.length)]!;
        const fields: SourceFields = { note: odd[Math.floor(rnd() * odd.length)]!, n: Math.floor(rnd() * 1000) / 10 };
        if (rnd() < 0.7) fields[pick(['deal_stage', 'payment_status', 'plan']) as string] = pick(['Enterprise', 'Past Due', 'active', 'Starter', 'business', ' FAILED ', '']);
        if (rnd() < 0.7) fields[pick(['usage_pct', 'nps_score', 'open_tickets']) as string] = pick([0, 5, 9, 29.5, 60, 80, 100]);
        // Sometimes a second row for the same source: the last one wins, enrichment inputs included.
        if (rnd() < 0.6) m.add(row(source, id, fields));
        if (rnd() < 0.2) m.add(row(source, id, { note: 'later' }));
      }
      if (m.size === 0) m.add(row('support', id, {}));
      const [line] = [...m.profiles()];
      const p = profileOf(line!);
      // The line's scalars agree with its text, and the object path (buildProfile) gives the same text.
      expect(JSON.stringify(p)).toBe(line!.json);
      const again = profileLine(p);
      for (const k of ['customer_id', 'idempotency_key', 'health_score', 'churn_risk', 'expansion_potential', 'json'] as const) expect(line![k]).toBe(again[k]);
      expect(Buffer.from(line!.page.subarray(line!.start, line!.end)).toString('utf8')).toBe(line!.json);
      const sources = { crm: p.crm, billing: p.billing, product: p.product, support: p.support };
      const built = buildProfile(p.customer_id, sources);
      expect(profileJson(built)).toBe(JSON.stringify(built));
      expect(profileJson(built)).toBe(line!.json);
    }
  });

  it('counts orphans (no CRM row) the same before and after the profiles are taken', () => {
    const m = new Merger();
    m.add(row('crm', 'a', {}));
    m.add(row('support', 'b', {}));
    m.add(row('billing', 'c', {}));
    expect(m.counts().orphans).toBe(2);
    expect([...m.profiles()]).toHaveLength(3);
    expect(m.counts().orphans).toBe(2);
  });
});

describe('merge order', () => {
  // The Merger skips hash lookups while ids arrive ascending and when a source follows the order
  // of the one before; any order must still give the same profiles as grouping by a plain Map.
  it.each([3, 17, 101])('gives the model profiles whatever order rows arrive in (seed %i)', (seed) => {
    let s = seed;
    const rnd = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const ids = Array.from({ length: 60 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    const m = new Merger();
    const model = new Map<string, Partial<Record<SourceName, SourceFields>>>();
    for (const source of ['crm', 'billing', 'product', 'support'] as const) {
      // Mostly ascending runs, with jumps back, skips and repeats.
      let i = Math.floor(rnd() * 5);
      for (let n = 0; n < 80; n++) {
        i = rnd() < 0.8 ? i + 1 : Math.floor(rnd() * ids.length);
        const id = ids[i % ids.length]!;
        const fields = { v: n, usage_pct: Math.floor(rnd() * 100) };
        m.add(row(source, id, fields));
        model.set(id, { ...model.get(id), [source]: fields });
      }
    }
    const want = [...model.keys()].sort().map((id) => profileJson(buildProfile(id, model.get(id)!)));
    expect([...m.profiles()].map((p) => p.json)).toEqual(want);
  });
});
