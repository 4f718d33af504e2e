import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvSlowly } from '../testing/csv-oracle.js';
import { CsvParser } from './csv.js';
import type { CsvParserOptions, CsvSink } from './csv.js';

/** A plain view of what the sink got, with the raw text of records too (taken while it is valid). */
interface Seen {
  kind: 'record' | 'malformed';
  line: number;
  fields: string[];
  reason: string;
  raw: string;
}

/**
 * Feeds `input` cut at `cuts` (chunk sizes, cycled) to a sink without `plain` and collects what
 * it gets; like readRows it sets the expected field count from the first record when that comes
 * first.
 */
function parse(input: string | Buffer, cuts: readonly number[] | 'whole' = 'whole', options: CsvParserOptions = {}, route?: number): Seen[] {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const parser = new CsvParser(options);
  const seen: Seen[] = [];
  const take: CsvSink = {
    record(got, line, buf, start, end) {
      // After routeOnly(k), a record carries its fields up to k (k decoded); allFields gives all.
      const fields = route === undefined || seen.length === 0 ? [...got] : parser.allFields();
      if (route !== undefined && seen.length > 0 && got.length > route) expect(got[route]).toBe(fields[route]);
      seen.push({ kind: 'record', line, fields, reason: '', raw: buf.toString('utf8', start, end) });
      if (seen.length === 1) parser.expectFields(got.length);
      if (seen.length === 1 && route !== undefined) parser.routeOnly(route);
    },
    malformed(line, reason, raw) {
      seen.push({ kind: 'malformed', line, fields: [], reason, raw });
    },
  };
  if (cuts === 'whole') {
    parser.push(bytes, take);
  } else {
    let at = 0;
    for (let k = 0; at < bytes.length; k++) {
      const size = Math.max(1, cuts[k % cuts.length]!);
      // A copy, so a parser that kept a reference to a reused buffer would show it.
      parser.push(Buffer.from(bytes.subarray(at, at + size)), take);
      at += size;
    }
  }
  parser.end(take);
  return seen;
}

/** `parse` through a sink with `plain`, after `routeOnly(route)`: plain lines come as positions. */
function parseRouted(input: string, cuts: readonly number[], route: number, options: CsvParserOptions = {}): Seen[] {
  const bytes = Buffer.from(input);
  const parser = new CsvParser(options);
  const seen: Seen[] = [];
  const router: CsvSink = {
    plain(buf, start, end, idStart, idEnd, line) {
      const fields = parser.allFields();
      // The routed field's bytes are the field as decoded, trimmed, and never empty.
      expect(buf.toString('utf8', idStart, idEnd)).toBe(fields[route]!.trim());
      expect(idEnd).toBeGreaterThan(idStart);
      seen.push({ kind: 'record', line, fields, reason: '', raw: buf.toString('utf8', start, end) });
    },
    record(got, line, buf, start, end) {
      const fields = seen.length === 0 ? [...got] : parser.allFields();
      seen.push({ kind: 'record', line, fields, reason: '', raw: buf.toString('utf8', start, end) });
      if (seen.length === 1) {
        parser.expectFields(got.length);
        parser.routeOnly(route);
      }
    },
    malformed(line, reason, raw) {
      seen.push({ kind: 'malformed', line, fields: [], reason, raw });
    },
  };
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = Math.max(1, cuts[k % cuts.length]!);
    parser.push(Buffer.from(bytes.subarray(at, at + size)), router);
    at += size;
  }
  parser.end(router);
  return seen;
}

const records = (seen: Seen[]): Array<[number, string[]]> => seen.filter((s) => s.kind === 'record').map((s) => [s.line, s.fields]);
const rejects = (seen: Seen[]): Array<[number, string, string]> =>
  seen.filter((s) => s.kind === 'malformed').map((s) => [s.line, s.reason, s.raw]);

describe('CsvParser: RFC 4180 records', () => {
  it('reads records with their physical line numbers (the header is line 1)', () => {
    expect(records(parse('id,a\nx,1\ny,2\n'))).toEqual([
      [1, ['id', 'a']],
      [2, ['x', '1']],
      [3, ['y', '2']],
    ]);
  });

  it('accepts CRLF line ends and keeps no CR in the last field', () => {
    expect(records(parse('id,a\r\nx,1\r\ny,2\r\n'))).toEqual([
      [1, ['id', 'a']],
      [2, ['x', '1']],
      [3, ['y', '2']],
    ]);
  });

  it('treats a lone CR as a line end (old Mac exports) and counts it as one line', () => {
    expect(records(parse('id,a\rx,1\ry,2'))).toEqual([
      [1, ['id', 'a']],
      [2, ['x', '1']],
      [3, ['y', '2']],
    ]);
  });

  it('reads quoted commas, doubled quotes and quoted line ends, and counts the lines they span', () => {
    const seen = parse('id,name,n\nx,"Acme, ""The"" Co",1\ny,"two\nlines\r\nhere",2\nz,plain,3\n');
    expect(records(seen)).toEqual([
      [1, ['id', 'name', 'n']],
      [2, ['x', 'Acme, "The" Co', '1']],
      [3, ['y', 'two\nlines\r\nhere', '2']],
      [6, ['z', 'plain', '3']],
    ]);
    expect(rejects(seen)).toEqual([]);
  });

  it('drops a leading UTF-8 BOM but keeps non-ASCII text intact', () => {
    expect(records(parse('\uFEFFcustomer_id,name\nx,Zoë Müller\n'))).toEqual([
      [1, ['customer_id', 'name']],
      [2, ['x', 'Zoë Müller']],
    ]);
  });

  it('skips blank lines (LF, CRLF, lone CR) without a record or a reject, and keeps counting them', () => {
    const seen = parse('id,a\n\nx,1\r\n\r\n\ry,2\n\n');
    expect(records(seen)).toEqual([
      [1, ['id', 'a']],
      [3, ['x', '1']],
      [6, ['y', '2']],
    ]);
    expect(rejects(seen)).toEqual([]);
  });

  it('reads a trailing comma as one more, empty field', () => {
    expect(records(parse('id,a\nx,1,\n'))).toEqual([
      [1, ['id', 'a']],
      [2, ['x', '1', '']],
    ]);
  });

  it('reads the last record of a file without a trailing line end, quoted or not', () => {
    expect(records(parse('id,a\nx,1'))).toEqual([
      [1, ['id', 'a']],
      [2, ['x', '1']],
    ]);
    expect(records(parse('id,a\nx,"1"'))).toEqual([
      [1, ['id', 'a']],
      [2, ['x', '1']],
    ]);
    expect(records(parse('id,a\nx,'))).toEqual([
      [1, ['id', 'a']],
      [2, ['x', '']],
    ]);
  });

  it('gives the exact raw text of a record, without its line end', () => {
    const seen = parse('id,a\r\nx,"q ""1"""\r\n');
    expect(seen[1]!.raw).toBe('x,"q ""1"""');
  });
});

describe('CsvParser: malformed input is reported with its line and parsing resumes', () => {
  it('rejects a quote inside an unquoted field, whole line, and keeps the next rows', () => {
    const seen = parse('id,a\nx,ab"c\ny,2\n');
    expect(rejects(seen)).toEqual([[2, 'quote inside an unquoted field', 'x,ab"c']]);
    expect(records(seen)).toEqual([
      [1, ['id', 'a']],
      [3, ['y', '2']],
    ]);
  });

  it('rejects a stray character after a closing quote', () => {
    const seen = parse('id,a\nx,"ab"c,1\ny,2\n');
    expect(rejects(seen)).toEqual([[2, 'unexpected character "c" after a closing quote', 'x,"ab"c,1']]);
    expect(records(seen).map(([l]) => l)).toEqual([1, 3]);
  });

  it('rejects only the line of an unclosed quote in the middle of a file and keeps every following row', () => {
    const lines = ['customer_id,name,n', 'a,"Acme,1', 'b,plain,2', 'c,"Foo, Inc",3', 'd,x,4'];
    const seen = parse(`${lines.join('\n')}\n`);
    expect(rejects(seen)).toEqual([[2, 'unclosed quote', 'a,"Acme,1']]);
    expect(records(seen)).toEqual([
      [1, ['customer_id', 'name', 'n']],
      [3, ['b', 'plain', '2']],
      [4, ['c', 'Foo, Inc', '3']],
      [5, ['d', 'x', '4']],
    ]);
  });

  it('rejects an unclosed quote on the last line, with or without a line end', () => {
    expect(rejects(parse('id,a\nx,"open\n'))).toEqual([[2, 'unclosed quote', 'x,"open']]);
    expect(rejects(parse('id,a\nx,"open'))).toEqual([[2, 'unclosed quote', 'x,"open']]);
    expect(rejects(parse('id,a\nx,"open\ny,2\n'))).toEqual([[2, 'unclosed quote', 'x,"open']]);
    expect(records(parse('id,a\nx,"open\ny,2\n'))).toEqual([
      [1, ['id', 'a']],
      [3, ['y', '2']],
    ]);
  });

  it('rejects the first line of a multi-line record with the wrong number of fields as an unclosed quote', () => {
    // The quote opened on line 2 closes on line 3, giving 4 fields where the header has 2.
    const seen = parse('id,a\nx,"b\nc",d,e\ny,2\n');
    expect(rejects(seen)).toEqual([
      [2, 'unclosed quote', 'x,"b'],
      [3, 'quote inside an unquoted field', 'c",d,e'],
    ]);
    expect(records(seen).map(([l]) => l)).toEqual([1, 4]);
  });

  it('hands a single-line record with the wrong number of fields on as a record (the row layer rejects it)', () => {
    expect(records(parse('id,a\nx,1,2\n'))).toEqual([
      [1, ['id', 'a']],
      [2, ['x', '1', '2']],
    ]);
  });

  it('rejects an overlong record on its first line, cuts its raw text, and resumes', () => {
    const long = 'x'.repeat(40);
    const input = `id,a\ny,"${long}\nmore",1\nz,${long}\nw,2\n`;
    for (const cuts of ['whole', [1], [3, 7], [64]] as const) {
      const seen = parse(input, cuts, { maxRecordBytes: 16 });
      expect(rejects(seen)).toEqual([
        [2, 'record longer than 16 bytes (an unclosed quote?)', `y,"${'x'.repeat(13)}`],
        [3, 'quote inside an unquoted field', 'more",1'],
        [4, 'record longer than 16 bytes (an unclosed quote?)', `z,${'x'.repeat(14)}`],
      ]);
      expect(records(seen)).toEqual([
        [1, ['id', 'a']],
        [5, ['w', '2']],
      ]);
    }
  });

  it('refuses a maxRecordBytes that is not a whole number ≥ 1', () => {
    expect(() => new CsvParser({ maxRecordBytes: 0 })).toThrow(/maxRecordBytes must be a whole number/);
  });
});

const tricky = [
  '\uFEFFcustomer_id,name,n\r\nc1,"Acme, ""Q"" Co",1\r\nc2,"multi\nline",2\r\n\r\nc3,x"y,3\nc4,"open,4\nc5,é,5\rc6,"a"b,6\nc7,,\nc8,"last"',
  'id,a\n"unclosed\n\n\nx,1\n"\n',
  'id\n\r\n\r\r\n"',
];

describe('CsvParser: events do not depend on how the input is cut', () => {
  it.each(tricky.map((t, i) => [i, t] as const))('tricky input %i: byte by byte equals one chunk', (_i, text) => {
    expect(parse(text, [1])).toEqual(parse(text));
  });

  it('seed 20240501: random chunk sizes give identical events to one chunk', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...tricky),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 }),
        (text, cuts) => {
          expect(parse(text, cuts)).toEqual(parse(text));
        },
      ),
      { seed: 20240501 },
    );
  });

  const alphabet = ['a', 'b', ',', '"', '\n', '\r', '\r\n', 'é', '€', '𝄞'];
  const csvish = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((parts) => parts.join(''));

  it('seed 7331: random CSV-ish text, random chunks and a small record cap give identical events to one chunk', () => {
    fc.assert(
      fc.property(csvish, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 12 }), (text, cuts, max) => {
        expect(parse(text, cuts, { maxRecordBytes: max })).toEqual(parse(text, 'whole', { maxRecordBytes: max }));
      }),
      { seed: 7331 },
    );
  });

  it('seed 9090: routeOnly(k) gives the same records, boundaries, lines and rejects as a full parse, for any cut', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...tricky), csvish),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 2 }),
        (text, cuts, k) => {
          expect(parse(text, cuts, {}, k)).toEqual(parse(text));
        },
      ),
      { seed: 9090 },
    );
  });

  const idish = fc.array(fc.constantFrom(...alphabet, ' ', '\t', 'c1', ' c2 '), { maxLength: 60 }).map((parts) => parts.join(''));
  /** A short header, then lines of mostly plain cells (some quoted, spaced, non-ASCII or long). */
  const cell = fc.constantFrom('c1', 'c22', ' c3', 'c4 ', '', 'x', 'yyyyyyyyyyyy', '"q"', '"a,b"', 'é', '"m\nl"');
  const rowsish = fc
    .array(fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(',')), { maxLength: 8 })
    .chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => ['id,a,b', ...lines].join(eol) + eol));

  it('seed 9191: a sink with plain (plain lines as positions) gets the same records, lines, raw text and rejects as one without, for any cut and record cap', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...tricky), csvish, idish, rowsish, rowsish),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 6, max: 40 }),
        (text, cuts, k, max) => {
          expect(parseRouted(text, cuts, k, { maxRecordBytes: max })).toEqual(parse(text, 'whole', { maxRecordBytes: max }));
        },
      ),
      { seed: 9191, numRuns: 500 },
    );
  });

  it('a sink with plain gets an overlong plain line rejected as one without does', () => {
    const text = 'id,a\nc1,xxxxxxxx\nc2,y\n';
    expect(parseRouted(text, [100], 0, { maxRecordBytes: 5 })).toEqual(parse(text, 'whole', { maxRecordBytes: 5 }));
  });

  it('a sink with plain gets a file of plain lines as positions, not records', () => {
    const parser = new CsvParser();
    let plain = 0;
    let events = 0;
    const router: CsvSink = {
      plain: () => void plain++,
      record: () => {
        if (++events === 1) parser.routeOnly(0);
      },
      malformed: () => void events++,
    };
    parser.push(Buffer.from('id,a,b\nc1,x,y\nc2,"y, z",""\nc3,"a ""q""",b\r\nc4,x"y",z\n c5,z,w\nc6,w,v'), router);
    parser.end(router);
    // c1 plain; c2 and c3 hold quoted fields that close on their line: plain; header, c4 (a
    // stray quote), c5 (a space before its id), c6 (no line end): events.
    expect([plain, events]).toEqual([3, 4]);
  });

  it('a line with quoted fields is plain only when a full parse would find it one well-formed record', () => {
    const shapes = [
      'c,"a,b",x', // closes on the line
      'c,"a ""q"" b",x', // doubled quotes inside
      'c,"",""', // empty quoted fields
      'c,"""",x', // a lone escaped quote
      'c,x,"a"', // quoted last field
      'c, "a",x', // space before the quote: a quote inside an unquoted field
      'c,a"b,x', // a stray quote
      'c,"a"b,x', // a character after the closing quote
      'c,"a\nb",x', // crosses the line end
      'c,"a\rb",x', // crosses a lone CR
      'c,"a', // never closes
      'c,"a""', // never closes after an escaped quote
    ];
    for (const shape of shapes) {
      for (const end of ['\n', '\r\n', '\r', '']) {
        const text = `id,a,b\n${shape}${end}n,1,2\n`;
        for (const cuts of [[1000], [1], [3, 5, 7]]) {
          expect(parseRouted(text, cuts, 0), JSON.stringify({ shape, end, cuts })).toEqual(parse(text, 'whole'));
        }
      }
    }
  });

  it('seed 4242: on random CSV-ish text the streaming parser agrees with the slow oracle, event for event', () => {
    fc.assert(
      fc.property(csvish, fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }), (text, cuts) => {
        const oracle = parseCsvSlowly(text, 'first').map((e) => ({ ...e, fields: [...e.fields] }));
        expect(parse(text, cuts)).toEqual(oracle);
      }),
      { seed: 4242 },
    );
  });
});
