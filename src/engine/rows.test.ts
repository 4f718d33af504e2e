import { describe, expect, it } from 'vitest';
import { SourceFileError } from '../core/errors.js';
import { ENRICHMENT_FIELDS } from '../core/enrich.js';
import { makeRow, rowFields } from './source-row.js';
import { readRows } from './rows.js';
import type { Reject, RowEvent } from './rows.js';
import type { SourceRow } from './source-row.js';
import type { SourceFields, SourceName } from '../core/schema.js';

async function* chunks(...parts: Array<string | Buffer>): AsyncGenerator<Buffer> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

async function read(source: SourceName, text: string | Buffer[], keep?: (id: string | undefined) => boolean): Promise<RowEvent[]> {
  const out: RowEvent[] = [];
  const parts = typeof text === 'string' ? [text] : text;
  for await (const ev of readRows(chunks(...parts), { file: `data/${source}.csv`, source, ...(keep ? { keep } : {}) })) out.push(ev);
  return out;
}

async function failure(source: SourceName, text: string): Promise<SourceFileError> {
  try {
    await read(source, text);
  } catch (err) {
    if (err instanceof SourceFileError) return err;
    throw err;
  }
  throw new Error('no error');
}

/**
 * The rows of a read as plain records with their fields object, after checking each row's two
 * derived parts: its JSON text is canonical (what JSON.stringify gives for its fields) and its
 * pick is exactly the enrichment fields present (what makeRow derives from the fields).
 */
type PlainRow = Omit<SourceRow, 'json' | 'pick'> & { fields: SourceFields };
const rowsOf = (evs: RowEvent[]): PlainRow[] =>
  evs
    .filter((e): e is SourceRow => e.kind === 'row')
    .map((r) => {
      const fields = rowFields(r);
      expect(r.json).toBe(JSON.stringify(fields));
      expect(r).toEqual(makeRow(r.source, r.line, r.customerId, fields));
      expect(Object.keys(r.pick).every((k) => ENRICHMENT_FIELDS[r.source].includes(k))).toBe(true);
      return { kind: r.kind, source: r.source, line: r.line, customerId: r.customerId, fields };
    });
const rejectsOf = (evs: RowEvent[]): Reject[] => evs.filter((e): e is Reject => e.kind === 'reject');

const PRODUCT = 'customer_id,email,signup_date,last_active,total_sessions,features_used,usage_pct,account_status';

describe('readRows: typed rows', () => {
  it('types known columns, leaves empty cells absent and keeps extra columns as strings', async () => {
    const evs = await read('product', `${PRODUCT},plan_note\nc1,a@b.co,2024-01-10,2025-12-28,340,7,82.5,Active,"vip, EU"\nc2,,,,,,,,\n`);
    expect(rowsOf(evs)).toEqual([
      {
        kind: 'row',
        source: 'product',
        line: 2,
        customerId: 'c1',
        fields: { email: 'a@b.co', signup_date: '2024-01-10', last_active: '2025-12-28', total_sessions: 340, features_used: 7, usage_pct: 82.5, account_status: 'Active', plan_note: 'vip, EU' },
      },
      { kind: 'row', source: 'product', line: 3, customerId: 'c2', fields: {} },
    ]);
  });

  it('trims the header names and the customer id', async () => {
    const evs = await read('billing', ' customer_id , mrr \n  c1  ,10\n');
    expect(rowsOf(evs)).toEqual([{ kind: 'row', source: 'billing', line: 2, customerId: 'c1', fields: { mrr: 10 } }]);
  });

  it('writes the JSON text of odd cells and non-canonical numbers exactly as JSON.stringify would', async () => {
    const header = 'customer_id,email,plan,mrr,payment_status,"a ""quoted"" column",note';
    const cells = ['c1', '"x\\y@b.co"', '"tab\there"', '041.50', '"Past Due"', '"say ""hi"", \u2028 ok"', '"Zürich 東京 😀 \u0001"'];
    const evs = await read('billing', `${header}\n${cells.join(',')}\nc2,,,1e3,,,\n`);
    const rows = rowsOf(evs);
    expect(rows.map((r) => r.fields)).toEqual([
      { email: 'x\\y@b.co', plan: 'tab\there', mrr: 41.5, payment_status: 'Past Due', 'a "quoted" column': 'say "hi", \u2028 ok', note: 'Zürich 東京 😀 \u0001' },
      { mrr: 1000 },
    ]);
    const [first] = evs.filter((e): e is SourceRow => e.kind === 'row');
    expect(first?.pick).toEqual({ payment_status: 'Past Due', plan: 'tab\there' });
  });
});

describe('readRows: row-level problems become rejects naming file, line, field and raw text', () => {
  it.each([
    ['a wrong column count', 'c1,a@b.co,2024-01-10', undefined, 'has 3 fields, the header has 8'],
    ['an empty customer_id', ' ,a@b.co,2024-01-10,2025-12-28,1,1,1,Active', 'customer_id', 'customer_id is empty'],
    ['a number that does not parse', 'c1,a@b.co,2024-01-10,2025-12-28,1,1,abc,Active', 'usage_pct', 'usage_pct is not a number: "abc"'],
    ['usage over 100', 'c1,a@b.co,2024-01-10,2025-12-28,1,1,101,Active', 'usage_pct', 'usage_pct is 101, above its maximum 100'],
    ['a fractional count', 'c1,a@b.co,2024-01-10,2025-12-28,1.5,1,1,Active', 'total_sessions', 'total_sessions is not a whole number: "1.5"'],
    ['a bad date', 'c1,a@b.co,2024-13-10,2025-12-28,1,1,1,Active', 'signup_date', 'signup_date is not a calendar date: "2024-13-10"'],
    ['an unclosed quote', 'c1,"a@b.co,2024-01-10,2025-12-28,1,1,1,Active', undefined, 'unclosed quote'],
  ])('%s', async (_what, line, field, reason) => {
    const evs = await read('product', `${PRODUCT}\n${line}\nc9,z@b.co,2024-01-10,2025-12-28,1,1,1,Active\n`);
    expect(rejectsOf(evs)).toEqual([
      {
        kind: 'reject',
        source: 'product',
        file: 'data/product.csv',
        line: 2,
        reason,
        raw: line,
        ...(field !== undefined ? { field } : {}),
        ...(field === 'customer_id' ? {} : { customerId: 'c1' }),
      },
    ]);
    // The row after it is read as usual.
    expect(rowsOf(evs).map((r) => r.customerId)).toEqual(['c9']);
  });

  it('gives every data line exactly one event: rows + rejects = non-empty lines after the header', async () => {
    const lines = ['c1,x', 'c2,"y', 'c3,z,extra', ',w', 'c5,"ok, fine"', 'c6,a"b'];
    const evs = await read('crm', `customer_id,company_name\n${lines.join('\n')}\n\n`);
    expect(evs.map((e) => [e.kind, e.line])).toEqual([
      ['row', 2],
      ['reject', 3],
      ['reject', 4],
      ['reject', 5],
      ['row', 6],
      ['reject', 7],
    ]);
  });

  it('routes before typing: `keep` sees every row and reject id once, and what it drops is not typed', async () => {
    const seen: Array<string | undefined> = [];
    const keep = (id: string | undefined): boolean => {
      seen.push(id);
      return id === 'c2';
    };
    const evs = await read('product', `${PRODUCT}\nc1,a,2024-01-10,2025-12-28,1,1,abc,Active\nc2,b,2024-01-10,2025-12-28,1,1,999,Active\n,c,,,,,,\nc3,"x\n`, keep);
    expect(seen).toEqual(['c1', 'c2', undefined, 'c3']);
    expect(evs.map((e) => [e.kind, e.line])).toEqual([['reject', 3]]);
  });
});

describe('readRows: file-level problems throw a SourceFileError naming the file', () => {
  it.each([
    ['', 'data/crm.csv: is empty (0 bytes, no header line)'],
    ['\n\r\n', 'data/crm.csv: has no header line (only empty lines)'],
    ['\uFEFF', 'data/crm.csv: has no header line (only empty lines)'],
    ['id,email\nc1,x\n', 'data/crm.csv: has no customer_id column (header: "id,email")'],
    ['customer_id,email,email\n', 'data/crm.csv: duplicate column name "email" in the header (columns 2 and 3)'],
    ['customer_id,,email\n', 'data/crm.csv: column 2 of the header has no name'],
    ['customer_id,email,\n', 'data/crm.csv: column 3 of the header has no name (a trailing comma?)'],
    ['customer_id,"email\nc1,x\n', 'data/crm.csv: header on line 1 is malformed: unclosed quote: "customer_id,\\"email"'],
  ])('%j', async (text, message) => {
    const err = await failure('crm', text);
    expect(err.message).toBe(message);
    expect(err.retryable).toBe(false);
    expect(err.file).toBe('data/crm.csv');
  });

  it('reads a header split across chunks (even inside a UTF-8 character)', async () => {
    const bytes = Buffer.from('customer_id,société\nc1,Zoë\n');
    const parts = [...bytes].map((b) => Buffer.from([b]));
    const evs = await read('crm', parts);
    expect(rowsOf(evs)).toEqual([{ kind: 'row', source: 'crm', line: 2, customerId: 'c1', fields: { société: 'Zoë' } }]);
  });
});
