import { fc, test } from '@fast-check/vitest';
import { stringify } from 'csv-stringify/sync';
import { describe, expect } from 'vitest';
import { csvLine, recordLine } from './csv-line.js';
import { COLUMNS } from './columns.js';
import { recordCells } from './records.js';

const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'ü', '=', '-') }),
  fc.constantFrom('', '"', '""', 'Smith, Jones and Co', 'The "Best" Widgets', 'Ünïcödé GmbH'),
);

describe('csv-line', () => {
  test.prop([fc.array(fc.array(tricky, { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 20 })])(
    'csvLine over records is byte-identical to csv-stringify',
    (records) => {
      expect(records.map(csvLine).join('')).toBe(stringify(records));
    },
  );

  test.prop([tricky, fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 10, max: 480 })])(
    'recordLine(source, record) equals csvLine(recordCells(source, record))',
    (company, deal, tenths) => {
      const crm = {
        customer_id: 'cust_00000001',
        email: 'a@b.com',
        company_name: company,
        industry: 'Retail',
        employee_count: 10,
        deal_stage: 'Lead',
        deal_value: deal,
        sales_owner: 'Ann Lee',
        last_contact: '2025-12-01',
      };
      expect(recordLine('crm', crm)).toBe(csvLine(recordCells('crm', crm)));
      const support = {
        customer_id: 'cust_00000001',
        email: 'a@b.com',
        total_tickets: 0,
        open_tickets: 0,
        avg_resolution_hrs: tenths / 10,
        last_ticket_date: '',
        nps_score: 3,
        csat_score: 2,
      };
      expect(recordLine('support', support)).toBe(csvLine(recordCells('support', support)));
      expect(recordLine('support', support).split(',')).toHaveLength(COLUMNS.support.length);
    },
  );
});
