import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENRICHMENT_FIELDS, enrich, normalizeStatus } from './enrich.js';
import { SOURCE_NAMES } from './schema.js';
import type { SourceFields } from './schema.js';

describe('enrichment rules', () => {
  it('treats "Past Due", "past_due" and "PAST DUE" alike (the tutorial missed the penalty)', () => {
    for (const status of ['Past Due', 'past_due', 'PAST DUE', ' past-due ']) {
      expect(normalizeStatus(status)).toBe('past_due');
      const e = enrich({ billing: { payment_status: status }, product: { usage_pct: 70 } });
      expect(e.health_score).toBe(50 + 10 - 15);
      expect(e.churn_risk).toBe('MEDIUM');
    }
  });

  it('scores a healthy customer: usage 85, active, NPS 9, no open tickets', () => {
    const e = enrich({
      billing: { payment_status: 'Active', plan: 'Starter' },
      product: { usage_pct: 85 },
      support: { nps_score: 9, open_tickets: 0 },
      crm: { deal_stage: 'Enterprise' },
    });
    expect(e).toEqual({ health_score: 100, churn_risk: 'LOW', expansion_potential: 'HIGH' });
  });

  it('clamps health to 0..100 and marks a struggling customer HIGH churn', () => {
    const e = enrich({
      billing: { payment_status: 'Failed', plan: 'Enterprise' },
      product: { usage_pct: 10 },
      support: { nps_score: 2, open_tickets: 7 },
    });
    expect(e.health_score).toBe(50 - 10 - 15 - 10 - 5);
    expect(e.churn_risk).toBe('HIGH');
    expect(e.expansion_potential).toBe('LOW');
  });

  it('counts missing usage as 50 and skips missing NPS and open tickets', () => {
    expect(enrich({})).toEqual({ health_score: 50, churn_risk: 'LOW', expansion_potential: 'LOW' });
  });

  it('applies each threshold at its boundary', () => {
    const h = (usage: number): number => enrich({ product: { usage_pct: usage } }).health_score;
    expect([h(80), h(79.9), h(60), h(59.9), h(30), h(29.9)]).toEqual([70, 60, 60, 50, 50, 40]);
    const nps = (n: number): number => enrich({ support: { nps_score: n } }).health_score;
    expect([nps(9), nps(8), nps(7), nps(6), nps(5)]).toEqual([60, 55, 55, 50, 40]);
    const open = (n: number): number => enrich({ support: { open_tickets: n } }).health_score;
    expect([open(0), open(3), open(4)]).toEqual([55, 50, 45]);
    const churn = (usage: number, nps: number): string => enrich({ product: { usage_pct: usage }, support: { nps_score: nps } }).churn_risk;
    expect([churn(29, 7), churn(49, 6), churn(50, 7)]).toEqual(['MEDIUM', 'MEDIUM', 'LOW']);
  });

  it('gives plan points: starter/free/basic +2, business/professional +1', () => {
    const x = (plan: string): string => enrich({ billing: { plan }, product: { usage_pct: 60 } }).expansion_potential;
    expect(['Starter', 'FREE', 'basic', 'Business', 'Professional', 'Enterprise'].map(x)).toEqual([
      'MEDIUM', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW',
    ]);
  });
});

describe('enrichment inputs', () => {
  // The data path carries only ENRICHMENT_FIELDS beside each row's JSON text (SourceRow.pick),
  // so enrich must read nothing else: any other field, whatever its value, changes no score.
  it('reads only ENRICHMENT_FIELDS: dropping every other field changes nothing', () => {
    const value = fc.oneof(fc.constantFrom('Active', 'Past Due', 'failed', 'Starter', 'business', 'Enterprise', ''), fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }));
    const fields = fc.dictionary(fc.constantFrom('deal_stage', 'payment_status', 'plan', 'usage_pct', 'nps_score', 'open_tickets', 'mrr', 'email', 'industry'), value);
    const sources = fc.record({ crm: fields, billing: fields, product: fields, support: fields }, { requiredKeys: [] });
    fc.assert(
      fc.property(sources, (s) => {
        const picked: Record<string, SourceFields> = {};
        for (const name of SOURCE_NAMES) {
          const f = s[name];
          if (f === undefined) continue;
          picked[name] = Object.fromEntries(Object.entries(f).filter(([k]) => ENRICHMENT_FIELDS[name].includes(k)));
        }
        expect(enrich(picked)).toEqual(enrich(s));
      }),
    );
  });
});
