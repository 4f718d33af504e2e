import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Merger } from './merge.js';
import { Picks } from './picks.js';
import { makeRow } from './source-row.js';
import { readRowBatches } from './rows.js';
import type { RowEvent } from './rows.js';
import { SOURCE_FIELDS, SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { RecordTranscoder, encodedBound } from './transcode.js';

async function* once(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

/** Cells that sit on every edge the fast path must either get exactly right or hand back. */
const NUMBERS = ['0', '7', '10', '007', '00', '0.0', '0.50', '41.0', '8.60', '.5', '5.', '+5', '-0', '-3', '1e3', '1E-7', '0.000001', '0.0000001', '123456789012345', '1234567890123456', '99.999999999999999', '100', '100.0', '100.5', '101', '5.25', '1,5', ' 5', 'abc', ''];
const DATES = ['2024-02-29', '2023-02-29', '2025-12-31', '2025-13-01', '2025-00-10', '2024-1-01', '20240101', '2024-01-01 ', 'x', ''];
const TEXTS = ['Acme', 'a "quoted", value', 'line\nbreak', 'cr\rhere', 'tab\tand \\ back', 'Zürich 東京 😀', '\u2028sep', '\u0001ctl', 'Past Due', ' FAILED ', 'Enterprise', 'enterprise', ''];

/** Plain valid cells of each type, the fast path's daily bread ("41.0" and "8.60" included). */
const plainArb = (type: string): fc.Arbitrary<string> =>
  type === 'date'
    ? fc.integer({ min: 7305, max: 27_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10))
    : type === 'string'
      ? fc.string({ unit: fc.constantFrom(...'abc XYZ.@-_019'.split('')), maxLength: 12 })
      : fc.oneof(fc.integer({ min: 0, max: 10 }).map(String), fc.integer({ min: 0, max: 99_999 }).map((n) => (n / 100).toFixed(n % 3)));

/** A cell of `kind` as CSV text: mostly plain, sometimes odd; quoted when it must be, and sometimes when it need not be. */
const cellArb = (type: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.oneof({ weight: 4, arbitrary: plainArb(type) }, { weight: 1, arbitrary: fc.constantFrom(...(type === 'date' ? DATES : type === 'string' ? TEXTS : NUMBERS)) }),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([v, q]) => (q === 0 || /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v));

function tableArb(source: SourceName): fc.Arbitrary<string> {
  const columns = [...Object.keys(SOURCE_FIELDS[source]), 'note'];
  const kinds = columns.map((c) => SOURCE_FIELDS[source][c]?.type ?? 'string');
  const row = fc.tuple(
    fc.constantFrom('c1', 'c2', 'c3', ' c4 ', '', 'c5'),
    fc.tuple(...kinds.slice(1).map((k) => cellArb(k))),
    fc.constantFrom(0, 0, 0, 1, -1),
  );
  return fc.array(row, { maxLength: 12 }).map((rows) => {
    const lines = rows.map(([id, cells, extra]) => {
      // A row may have one field too many or too few.
      const all = [id, ...cells];
      if (extra > 0) all.push('x');
      if (extra < 0) all.pop();
      return all.join(',');
    });
    return `${columns.join(',')}\n${lines.join('\n')}\n`;
  });
}

interface Outcome {
  readonly lines: string[];
  readonly rejects: RowEvent[];
  readonly counts: ReturnType<Merger['counts']>;
}

async function outcome(source: SourceName, text: string, fast: boolean): Promise<Outcome> {
  const m = new Merger();
  const rejects: RowEvent[] = [];
  for await (const batch of readRowBatches(once(text), { file: `${source}.csv`, source, ...(fast ? { into: m } : {}) })) {
    for (const ev of batch) {
      if (ev.kind === 'row') m.add(ev);
      else rejects.push(ev);
    }
  }
  return { lines: [...m.profiles()].map((p) => p.json), rejects, counts: m.counts() };
}

describe('transcoder: the fast path changes nothing', () => {
  it.each(SOURCE_NAMES.map((s, i) => [s, 5150 + i] as const))(
    'law: reading %s into a Merger gives the same profiles, rejects and counts as the general path (seed %i)',
    async (source, seed) => {
      await fc.assert(
        fc.asyncProperty(tableArb(source), async (text) => {
          const general = await outcome(source, text, false);
          const fast = await outcome(source, text, true);
          expect(fast).toEqual(general);
        }),
        { seed, numRuns: 150 },
      );
    },
  );

  it('writes exactly the JSON of the typed fields when it takes a record, and refuses what it cannot prove', () => {
    const header = ['customer_id', 'email', 'mrr', 'subscription_start', 'plan', 'payment_status'];
    const t = new RecordTranscoder('billing', header, 0, false);
    const picks = new Picks();
    const encode = (record: string): string | undefined => {
      const buf = Buffer.from(record);
      const out = Buffer.alloc(encodedBound(buf.length, t.keyBytes));
      const end = t.encode(buf, 0, buf.length, out, 0, picks);
      return end < 0 ? undefined : out.toString('utf8', 0, end);
    };
    expect(encode('c1,"a ""b"", c\\d",41.50,2024-02-29,"Pro, X",Past Due')).toBe(
      makeRow('billing', 2, 'c1', { email: 'a "b", c\\d', mrr: 41.5, subscription_start: '2024-02-29', plan: 'Pro, X', payment_status: 'Past Due' }).json,
    );
    expect(picks.payment).toBe('Past Due');
    expect(picks.plan).toBe('Pro, X');
    expect(encode('c1,,,,,')).toBe('{}');
    // Each of these is for the general path: a sign, a leading zero, an impossible date, non-ASCII,
    // a count mismatch, a doubled quote in a value that enrichment reads.
    for (const r of ['c1,a,+5,,,', 'c1,a,05,,,', 'c1,a,5,2023-02-29,,', 'c1,é,5,,,', 'c1,a,5,,', 'c1,a,5,,"Pro ""X""",']) expect(encode(r)).toBeUndefined();
  });

  it('hands enrichment the exact text of each status cell, for a few values met often and past the remembered 32', () => {
    const header = ['customer_id', 'email', 'mrr', 'subscription_start', 'plan', 'payment_status'];
    const t = new RecordTranscoder('billing', header, 0, false);
    const picks = new Picks();
    // Prefixes of one another, quoted and not, then 40 distinct plans (more than are remembered), twice.
    const plans = ['Pro', 'Pr', 'Pro X', '"Pro"', 'P', ...Array.from({ length: 40 }, (_, i) => `Plan ${i}`)];
    for (const round of [1, 2]) {
      for (const plan of plans) {
        const buf = Buffer.from(`c1,a@b.c,10,2024-01-01,${plan},Active ${round}`);
        const out = Buffer.alloc(encodedBound(buf.length, t.keyBytes));
        expect(t.encode(buf, 0, buf.length, out, 0, picks)).toBeGreaterThan(0);
        expect(picks.plan).toBe(plan.replaceAll('"', ''));
        expect(picks.payment).toBe(`Active ${round}`);
      }
    }
  });
});
