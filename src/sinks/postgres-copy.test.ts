import { describe, expect, it } from 'vitest';
import { buildProfile } from '../core/profile.js';
import { SOURCE_FIELDS, SOURCE_NAMES } from '../core/schema.js';
import { COPY_COLUMNS, UnloadableValueError, copyEscape, encodeProfile } from './postgres-copy.js';
import { SOURCE_COLUMNS_PG } from './postgres-schema.js';

describe('copyEscape follows the COPY text format', () => {
  it('escapes backslash, newline, carriage return and tab, and nothing else', () => {
    expect(copyEscape('a\\b\nc\rd\te')).toBe('a\\\\b\\nc\\rd\\te');
    expect(copyEscape('Acme, "Inc" — Zoë 東京 🚀')).toBe('Acme, "Inc" — Zoë 東京 🚀');
    expect(copyEscape('\\N')).toBe('\\\\N');
    expect(copyEscape('\\.')).toBe('\\\\.');
  });
});

describe('encodeProfile', () => {
  const p = buildProfile('cust_00000007', {
    crm: { email: 'a@x.io', company_name: 'Tab\there, "quoted"\nnew line \\ back', employee_count: 12, deal_value: 0.1, last_contact: '2025-01-31', region: 'EU\t1' },
    support: { nps_score: 9 },
  });

  it('gives one line with a cell per column, NULL as \\N, and escapes inside cells', () => {
    const line = encodeProfile(p);
    expect(line.endsWith('\n')).toBe(true);
    const cells = line.slice(0, -1).split('\t');
    expect(cells).toHaveLength(COPY_COLUMNS.length);
    const cell = (name: string): string => cells[COPY_COLUMNS.indexOf(name)]!;
    expect(cell('customer_id')).toBe('cust_00000007');
    expect(cell('company_name')).toBe('Tab\\there, "quoted"\\nnew line \\\\ back');
    expect(cell('employee_count')).toBe('12');
    expect(cell('deal_value')).toBe('0.1');
    expect(cell('last_contact')).toBe('2025-01-31');
    expect(cell('billing_email')).toBe('\\N');
    expect(cell('nps_score')).toBe('9');
    expect(cell('sources')).toBe('{crm,support}');
    expect(cell('extra')).toBe('{"crm":{"region":"EU\\\\t1"}}');
    expect(cell('idempotency_key')).toBe(p.idempotency_key);
  });

  it('is deterministic: the same profile gives the same bytes', () => {
    expect(encodeProfile(p)).toBe(encodeProfile(buildProfile(p.customer_id, { crm: p.crm!, support: p.support! })));
  });

  it('refuses a NUL character, naming the customer and column', () => {
    const bad = buildProfile('cust_1', { crm: { company_name: 'a\u0000b' } });
    expect(() => encodeProfile(bad)).toThrow(UnloadableValueError);
    expect(() => encodeProfile(bad)).toThrow(/customer cust_1: column company_name contains a NUL/);
  });

  it('refuses an integer outside PostgreSQL integer range as a permanent error', () => {
    const big = buildProfile('cust_2', { crm: { employee_count: 3_000_000_000 } });
    try {
      encodeProfile(big);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UnloadableValueError);
      expect((err as UnloadableValueError).retryable).toBe(false);
      expect((err as Error).message).toContain('employee_count');
      expect((err as Error).message).toContain('3000000000');
    }
  });
});

describe('the table has a typed column for every known source field', () => {
  it('maps each field of src/core/schema.ts to exactly one column of the matching type', () => {
    const want = { string: 'text', date: 'date', int: 'integer', number: 'numeric' } as const;
    for (const s of SOURCE_NAMES) {
      for (const [field, kind] of Object.entries(SOURCE_FIELDS[s])) {
        if (field === 'customer_id') continue;
        const cols = SOURCE_COLUMNS_PG.filter((c) => c.source === s && c.field === field);
        expect(cols, `${s}.${field}`).toHaveLength(1);
        expect(cols[0]!.type, `${s}.${field}`).toBe(want[kind.type]);
      }
    }
    expect(new Set(SOURCE_COLUMNS_PG.map((c) => c.name)).size).toBe(SOURCE_COLUMNS_PG.length);
  });
});
