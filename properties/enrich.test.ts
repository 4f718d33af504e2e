/**
 * The tutorial's scores, pure: `enrich` equals the independent restatement in properties/model.ts
 * for sources drawn around every threshold (usage 30/50/60/80, NPS 5/6/7/9, open tickets 0/3,
 * each status in several spellings, any source missing). Cheap, so it takes the full run count.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { enrich } from '../src/core/enrich.js';
import type { Fields } from './model.js';
import { scores } from './model.js';
import { baseRuns, budget } from './runs.js';

/** A status as exports spell it: any case, words joined by a space, an underscore or a hyphen. */
function spelled(words: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...words), fc.constantFrom(' ', '_', '-'), fc.constantFrom('lower', 'upper', 'title'))
    .map(([w, sep, kase]) => {
      const parts = w.split(' ').map((p) => (kase === 'upper' ? p.toUpperCase() : kase === 'title' ? p[0]!.toUpperCase() + p.slice(1) : p));
      return parts.join(sep);
    });
}

const usageArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 29, 29.9, 30, 49.9, 50, 59.9, 60, 79.9, 80, 100) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) },
);
/** A source is there four times in five: most runs reach every rule. */
const presentArb = fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 5 });

const sourcesArb = fc.record({
  usage: maybe(usageArb),
  nps: maybe(fc.integer({ min: 1, max: 10 })),
  open: maybe(fc.integer({ min: 0, max: 8 })),
  payment: maybe(spelled(['active', 'past due', 'failed', 'cancelled', 'trialing'])),
  plan: maybe(spelled(['starter', 'free', 'basic', 'business', 'professional', 'enterprise', 'pro'])),
  stage: maybe(spelled(['enterprise', 'proposal', 'negotiation', 'closed won'])),
  present: fc.record({ crm: presentArb, billing: presentArb, product: presentArb, support: presentArb }),
});

/** Only the defined values of `fields`. */
const defined = (fields: Record<string, string | number | undefined>): Fields =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Fields;

const runs = budget(baseRuns(), 5);

test.prop([sourcesArb], runs.params)(
  "enrichment: health score, churn risk and expansion potential equal the model's restatement of the tutorial, around every threshold",
  (s) => {
    const sources: Partial<Record<'crm' | 'billing' | 'product' | 'support', Fields>> = {
      ...(s.present.crm ? { crm: defined({ deal_stage: s.stage }) } : {}),
      ...(s.present.billing ? { billing: defined({ payment_status: s.payment, plan: s.plan }) } : {}),
      ...(s.present.product ? { product: defined({ usage_pct: s.usage }) } : {}),
      ...(s.present.support ? { support: defined({ nps_score: s.nps, open_tickets: s.open }) } : {}),
    };
    expect(enrich(sources)).toEqual(scores(sources));
  },
  runs.timeout,
);
