import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SIDE_SOURCES } from './columns.js';
import { customerRows, emittedRows } from './rows.js';

const N = 5000;

describe('realism knobs', () => {
  test.prop([fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: N - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })])(
    'knobs only add or remove rows: every row present equals the default row of its variant',
    (seed, index, coverage, duplicates) => {
      const plain = customerRows(seed, index, { customers: N, duplicates: 3 });
      const knobbed = customerRows(seed, index, { customers: N, coverage, duplicates, orphans: 0.5 });
      expect(knobbed.crm).toEqual(plain.crm);
      for (const source of SIDE_SOURCES) {
        const rows = knobbed[source];
        expect(rows.length).toBeLessThanOrEqual(1 + Math.ceil(duplicates));
        // duplicates: 3 yields variants 0..3; any knob setting yields a prefix of them.
        expect(rows).toEqual(plain[source].slice(0, rows.length));
      }
    },
  );

  it('seed 21: coverage 0.7 keeps ≈70 % of customers in each side source, CRM keeps all', () => {
    const counts = { billing: 0, product: 0, support: 0 };
    for (let index = 0; index < N; index++) {
      const rows = customerRows(21, index, { customers: N, coverage: 0.7 });
      for (const source of SIDE_SOURCES) counts[source] += rows[source].length;
    }
    for (const source of SIDE_SOURCES) {
      expect(counts[source] / N).toBeGreaterThan(0.67);
      expect(counts[source] / N).toBeLessThan(0.73);
    }
  });

  it('seed 22: duplicates 1.5 gives 2 or 3 rows per customer, 2.5 on average, all with the same id and email domain', () => {
    let total = 0;
    for (let index = 0; index < N; index++) {
      const rows = customerRows(22, index, { customers: N, duplicates: 1.5 });
      expect([2, 3]).toContain(rows.billing.length);
      total += rows.billing.length;
      const domain = rows.crm.email.split('@')[1];
      for (const row of rows.billing) {
        expect(row.customer_id).toBe(rows.id);
        expect(row.email.endsWith(`@${domain}`)).toBe(true);
      }
    }
    expect(total / N).toBeGreaterThan(2.45);
    expect(total / N).toBeLessThan(2.55);
  });

  it('seed 23: orphan rows carry ids beyond N, never a CRM id, at most once per source', () => {
    const crmIds = new Set<string>();
    const orphanIds = { billing: new Set<string>(), product: new Set<string>(), support: new Set<string>() };
    let orphans = 0;
    for (let index = 0; index < N; index++) {
      const rows = emittedRows(23, index, { customers: N, orphans: 0.1 });
      crmIds.add(rows.crm[0]?.customer_id ?? '');
      for (const source of SIDE_SOURCES) {
        for (const row of rows[source]) {
          if (row.customer_id === rows.crm[0]?.customer_id) continue;
          expect(row.customer_id > `cust_${String(N).padStart(8, '0')}`).toBe(true);
          expect(orphanIds[source].has(row.customer_id)).toBe(false);
          orphanIds[source].add(row.customer_id);
          orphans++;
        }
      }
    }
    for (const source of SIDE_SOURCES) for (const id of orphanIds[source]) expect(crmIds.has(id)).toBe(false);
    expect(orphans / (3 * N)).toBeGreaterThan(0.09);
    expect(orphans / (3 * N)).toBeLessThan(0.11);
  });
});
