import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE_DATE } from './dates.js';
import { DEAL_STAGES, INDUSTRIES, PLANS } from './distributions.js';
import { GeneratorOptionError } from './errors.js';
import { customerRows, emittedRows } from './rows.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const seeds = fc.maxSafeNat();
/** A few seeds only: each new seed builds faker pools, which the cheaper laws need not pay for. */
const fewSeeds = fc.integer({ min: 0, max: 3 });
const indices = fc.integer({ min: 0, max: 9_999_999 });

function isDate(value: string, reference = DEFAULT_REFERENCE_DATE): boolean {
  return ISO_DAY.test(value) && value <= reference && value >= '2023-12-01';
}

describe('customerRows', () => {
  test.prop([seeds, indices])('every value lies in the pipeline domain, for any (seed, index)', (seed, index) => {
    const rows = customerRows(seed, index, { customers: 10_000_000 });
    const { crm } = rows;
    const [billing] = rows.billing;
    const [product] = rows.product;
    const [support] = rows.support;
    if (billing === undefined || product === undefined || support === undefined) throw new Error('missing rows');

    expect(crm.customer_id).toBe(`cust_${String(index + 1).padStart(8, '0')}`);
    expect([billing.customer_id, product.customer_id, support.customer_id]).toEqual(Array(3).fill(crm.customer_id));
    expect(crm.email).toMatch(/^[a-z0-9._]+@[a-z0-9-]+\.[a-z]+$/);
    expect(crm.company_name.length).toBeGreaterThan(0);
    expect(INDUSTRIES).toContain(crm.industry);
    expect(DEAL_STAGES).toContain(crm.deal_stage);
    expect(crm.deal_value).toBeGreaterThanOrEqual(1000);
    expect(isDate(crm.last_contact)).toBe(true);

    const tier = PLANS.find((p) => p.plan === billing.plan);
    expect(tier).toBeDefined();
    expect(billing.mrr).toBeGreaterThanOrEqual(tier?.mrr.min ?? Infinity);
    expect(billing.mrr).toBeLessThanOrEqual(tier?.mrr.max ?? -Infinity);
    expect(['Active', 'Past Due', 'Failed']).toContain(billing.payment_status);
    expect(isDate(billing.subscription_start) && isDate(billing.last_payment)).toBe(true);

    expect(product.usage_pct).toBeGreaterThanOrEqual(0);
    expect(product.usage_pct).toBeLessThanOrEqual(100);
    expect(Number.isInteger(product.total_sessions) && product.total_sessions >= 0).toBe(true);
    expect(Number.isInteger(product.features_used) && product.features_used >= 0).toBe(true);
    expect(product.signup_date <= product.last_active).toBe(true);
    expect(['Active', 'Inactive', 'Trial']).toContain(product.account_status);

    expect(Number.isInteger(support.nps_score)).toBe(true);
    expect(support.nps_score).toBeGreaterThanOrEqual(1);
    expect(support.nps_score).toBeLessThanOrEqual(10);
    expect(support.csat_score).toBeGreaterThanOrEqual(1);
    expect(support.csat_score).toBeLessThanOrEqual(5);
    expect(Number.isInteger(support.total_tickets) && support.total_tickets >= 0).toBe(true);
    expect(support.open_tickets).toBeLessThanOrEqual(support.total_tickets);
    expect(support.open_tickets).toBeGreaterThanOrEqual(0);
    expect(support.avg_resolution_hrs).toBeGreaterThan(0);
    expect(support.last_ticket_date === '').toBe(support.total_tickets === 0);
    if (support.last_ticket_date !== '') expect(isDate(support.last_ticket_date)).toBe(true);
  });

  test.prop([fewSeeds, indices])('the CRM email is a person at the company domain every source shares', (seed, index) => {
    const rows = customerRows(seed, index, { customers: 10_000_000 });
    const domain = rows.crm.email.split('@')[1];
    for (const row of [...rows.billing, ...rows.product, ...rows.support]) expect(row.email.endsWith(`@${domain}`)).toBe(true);
  });

  test.prop([fewSeeds, indices])('same (seed, index) gives equal records', (seed, index) => {
    expect(customerRows(seed, index, { customers: 10_000_000 })).toEqual(customerRows(seed, index, { customers: 10_000_000 }));
  });

  it('seeds 1 and 2 give different customers (seed sensitivity)', () => {
    let differing = 0;
    for (let index = 0; index < 100; index++) {
      const a = customerRows(1, index, { customers: 100 });
      const b = customerRows(2, index, { customers: 100 });
      if (JSON.stringify(a) !== JSON.stringify(b)) differing++;
    }
    expect(differing).toBe(100);
  });

  it('dates follow the reference date option (seed 3, 2020-06-30), never the calendar', () => {
    const rows = customerRows(3, 0, { referenceDate: '2020-06-30' });
    expect(rows.crm.last_contact <= '2020-06-30').toBe(true);
    expect(rows.crm.last_contact >= '2020-04-01').toBe(true);
  });

  it('ids get a ninth digit from 10^8 customers on (seed 4)', () => {
    expect(customerRows(4, 99_999_999, { customers: 100_000_000 }).id).toBe('cust_100000000');
    expect(customerRows(4, 0, { customers: 100_000_000 }).id).toBe('cust_000000001');
    expect(customerRows(4, 0, { customers: 99_999_999 }).id).toBe('cust_00000001');
  });

  it('an index outside the dataset is a typed error naming it', () => {
    expect(() => customerRows(1, 10, { customers: 10 })).toThrow(GeneratorOptionError);
    expect(() => customerRows(1, 10, { customers: 10 })).toThrow(/10/);
    expect(() => customerRows(1, -1)).toThrow(/-1/);
  });

  it('default distributions match the tutorial mix over 20,000 customers (seed 9)', () => {
    const n = 20_000;
    let pastDueOrFailed = 0;
    let usage = 0;
    let enterprise = 0;
    for (let index = 0; index < n; index++) {
      const rows = customerRows(9, index, { customers: n });
      const billing = rows.billing[0];
      const product = rows.product[0];
      if (billing === undefined || product === undefined) throw new Error('missing rows');
      if (billing.payment_status !== 'Active') pastDueOrFailed++;
      if (rows.crm.deal_stage === 'Enterprise') enterprise++;
      usage += product.usage_pct;
    }
    expect(pastDueOrFailed / n).toBeGreaterThan(0.32);
    expect(pastDueOrFailed / n).toBeLessThan(0.38);
    expect(usage / n).toBeGreaterThan(57);
    expect(usage / n).toBeLessThan(62);
    expect(enterprise / n).toBeGreaterThan(0.14);
    expect(enterprise / n).toBeLessThan(0.19);
  });

  it('company names include commas, quotes and non-ASCII letters (seed 42, 5,000 customers)', () => {
    const names = Array.from({ length: 5000 }, (_, index) => customerRows(42, index, { customers: 5000 }).crm.company_name);
    expect(names.some((n) => n.includes(','))).toBe(true);
    expect(names.some((n) => n.includes('"'))).toBe(true);
    expect(names.some((n) => /[^\x00-\x7f]/.test(n))).toBe(true);
  });

  it('emittedRows equals customerRows when no knob is on (seed 5)', () => {
    for (let index = 0; index < 50; index++) {
      const own = customerRows(5, index, { customers: 50 });
      const emitted = emittedRows(5, index, { customers: 50 });
      expect(emitted).toEqual({ crm: [own.crm], billing: own.billing, product: own.product, support: own.support });
    }
  });
});
