import { describe, expect, it } from 'vitest';
import { SOURCE_COLUMNS, SOURCE_FIELDS, checkValue } from './schema.js';
import type { FieldKind } from './schema.js';

const kindOf = (source: keyof typeof SOURCE_FIELDS, field: string): FieldKind => {
  const k = SOURCE_FIELDS[source][field];
  if (k === undefined) throw new Error(`no field ${source}.${field}`);
  return k;
};

describe('schema: the domain of every typed field', () => {
  it.each([
    ['product', 'usage_pct', '0', 0],
    ['product', 'usage_pct', '100', 100],
    ['product', 'usage_pct', '82.5', 82.5],
    ['billing', 'mrr', '0', 0],
    ['billing', 'mrr', '1e3', 1000],
    ['support', 'nps_score', '1', 1],
    ['support', 'nps_score', '10', 10],
    ['support', 'csat_score', '1', 1],
    ['support', 'csat_score', '4.5', 4.5],
    ['support', 'csat_score', '5', 5],
    ['crm', 'employee_count', '+12', 12],
    ['crm', 'last_contact', '2024-02-29', '2024-02-29'],
    ['crm', 'company_name', '=cmd()', '=cmd()'],
  ] as const)('%s.%s accepts %j', (source, field, text, value) => {
    expect(checkValue(kindOf(source, field), text)).toBe(value);
  });

  it.each([
    ['product', 'usage_pct', '100.01', 'is 100.01, above its maximum 100'],
    ['product', 'usage_pct', '-1', 'is -1, below its minimum 0'],
    ['product', 'usage_pct', 'abc', 'is not a number: "abc"'],
    ['product', 'usage_pct', '50%', 'is not a number: "50%"'],
    ['billing', 'mrr', '-5', 'is -5, below its minimum 0'],
    ['billing', 'mrr', '$120', 'is not a number: "$120"'],
    ['billing', 'mrr', '3,5', 'is not a number: "3,5"'],
    ['billing', 'mrr', '1e999', 'is not a finite number: "1e999"'],
    ['billing', 'mrr', ' 5', 'is not a number: " 5"'],
    ['support', 'nps_score', '0', 'is 0, below its minimum 1'],
    ['support', 'nps_score', '11', 'is 11, above its maximum 10'],
    ['support', 'nps_score', '7.5', 'is not a whole number: "7.5"'],
    ['support', 'csat_score', '0.9', 'is 0.9, below its minimum 1'],
    ['support', 'csat_score', '5.5', 'is 5.5, above its maximum 5'],
    ['support', 'open_tickets', '-1', 'is -1, below its minimum 0'],
    ['crm', 'deal_value', 'NaN', 'is not a number: "NaN"'],
    ['crm', 'last_contact', '2023-02-29', 'is not a calendar date: "2023-02-29"'],
    ['crm', 'last_contact', '12/01/2025', 'is not a date (YYYY-MM-DD): "12/01/2025"'],
  ] as const)('%s.%s rejects %j', (source, field, text, error) => {
    expect(checkValue(kindOf(source, field), text)).toEqual({ error });
  });

  it("lists the tutorial's columns for each source, customer_id first", () => {
    expect(SOURCE_COLUMNS.crm[0]).toBe('customer_id');
    expect(SOURCE_COLUMNS.support).toEqual(['customer_id', 'email', 'total_tickets', 'open_tickets', 'avg_resolution_hrs', 'last_ticket_date', 'nps_score', 'csat_score']);
  });
});
