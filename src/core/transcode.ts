/**
 * The fast path from a CSV record's bytes to its fields' JSON bytes, with no string or object
 * per field: each cell is checked against its column's domain and copied (escaped where JSON
 * needs it) straight into the Merger's arena. It covers the common shapes only and says so by
 * returning -1 for anything else (a non-ASCII byte, a number it cannot prove canonical, a value
 * out of its domain, a bounded number); the caller then takes the general path (rows.ts), which
 * decides, types and reports exactly as before. So the fast path never decides a reject and its
 * output must equal the general path's byte for byte (transcode.test.ts and the property suites
 * check both).
 */
import { copyBytes } from './arena.js';
import { ENRICHMENT_FIELDS } from './enrich.js';
import type { Picks } from './merge.js';
import { SOURCE_FIELDS, checkValue, isCalendarDate } from './schema.js';
import type { FieldKind, SourceName } from './schema.js';

/** Node's unchecked codecs (what toString/write call after checking their arguments). */
type Fast = Buffer & { latin1Slice(start: number, end: number): string; latin1Write(text: string, offset: number): number };

const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;

/** Per byte: 0 copied as is, 1 escaped in JSON, 2 not handled here (non-ASCII). */
const ESCAPE = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) ESCAPE[b] = 1;
ESCAPE[QUOTE] = 1;
ESCAPE[BACKSLASH] = 1;
for (let b = 0x80; b < 256; b++) ESCAPE[b] = 2;

/** JSON.stringify's escape for each byte ESCAPE marks 1 (short forms, else \u00xx lowercase). */
const ESCAPES: Buffer[] = [];
for (let b = 0; b < 0x80; b++) ESCAPES.push(Buffer.from(JSON.stringify(String.fromCharCode(b)).slice(1, -1), 'latin1'));

/** How a column is handled. */
const enum Col {
  /** A string: copied with escapes. */
  Text,
  /** A date: ten bytes YYYY-MM-DD, a calendar date. */
  Date,
  /** A whole number ≥ 0 without other bounds, written as given when canonical. */
  Count,
  /** A number ≥ 0 without other bounds, written canonically. */
  Amount,
  /** A number with other bounds: decoded and checked by checkValue. */
  Bounded,
  /** Not written: the customer id, or a slice's line-number column. */
  Skip,
}

/** Where a column's value goes in the Picks register (enrichment inputs), if anywhere. */
const enum Pick {
  None,
  Usage,
  Nps,
  Open,
  Payment,
  Plan,
  Stage,
}

const PICK_OF: Readonly<Record<string, Pick>> = {
  usage_pct: Pick.Usage,
  nps_score: Pick.Nps,
  open_tickets: Pick.Open,
  payment_status: Pick.Payment,
  plan: Pick.Plan,
  deal_stage: Pick.Stage,
};

/** The worst case of a record's JSON size: every byte escaped as \u00xx, plus keys and commas. */
export function encodedBound(recordBytes: number, keyBytes: number): number {
  return 6 * recordBytes + keyBytes + 16;
}

/** Transcodes the records of one source file (one header) into fields JSON. */
export class RecordTranscoder {
  private readonly cols: Col[] = [];
  private readonly kinds: (FieldKind | undefined)[] = [];
  private readonly picks: Pick[] = [];
  /** `"name":` of each column, as bytes. */
  private readonly keys: Buffer[] = [];
  /** Total bytes of the keys, for the output bound. */
  readonly keyBytes: number;

  /**
   * @param header the source's column names (without a slice's line column)
   * @param idIndex the id column's index in `header`
   * @param lineColumn whether each record starts with a slice's line-number column
   */
  constructor(source: SourceName, header: readonly string[], idIndex: number, lineColumn: boolean) {
    const known = SOURCE_FIELDS[source];
    const picked = ENRICHMENT_FIELDS[source];
    const add = (col: Col, kind: FieldKind | undefined, pick: Pick, key: string): void => {
      this.cols.push(col);
      this.kinds.push(kind);
      this.picks.push(pick);
      this.keys.push(Buffer.from(`${JSON.stringify(key)}:`, 'utf8'));
    };
    if (lineColumn) add(Col.Skip, undefined, Pick.None, '');
    header.forEach((name, i) => {
      const kind = known[name];
      const pick = picked.includes(name) ? (PICK_OF[name] ?? Pick.None) : Pick.None;
      add(i === idIndex ? Col.Skip : colOf(kind), kind, pick, name);
    });
    this.keyBytes = this.keys.reduce((n, k) => n + k.length + 1, 2);
  }

  /**
   * Writes `{...}` for the record `buf[start..end)` (a well-formed record with the header's field
   * count, without its line end) into `out` at `at`, which has room for `encodedBound` bytes.
   * Returns the end of what was written, or -1 when the record needs the general path. `picks`
   * is cleared and receives the record's enrichment values.
   */
  encode(buf: Buffer, start: number, end: number, out: Buffer, at: number, picks: Picks): number {
    picks.clear();
    const cols = this.cols;
    const n = cols.length;
    let o = at;
    out[o++] = 0x7b;
    let first = true;
    let i = start;
    for (let c = 0; c < n; c++) {
      if (i > end) return -1;
      // The cell's content is buf[cs..ce); a quoted cell may hold doubled quotes.
      let cs: number;
      let ce: number;
      let quoted = false;
      if (i < end && buf[i] === QUOTE) {
        quoted = true;
        cs = i + 1;
        let j = cs;
        for (;;) {
          if (j >= end) return -1;
          if (buf[j] === QUOTE) {
            if (buf[j + 1] === QUOTE && j + 1 < end) {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        ce = j;
        i = j + 1;
      } else {
        cs = i;
        let j = i;
        while (j < end && buf[j] !== COMMA) j++;
        ce = j;
        i = j;
      }
      // i is at the comma after the cell, or at the end.
      if (i < end && buf[i] !== COMMA) return -1;
      i++;
      const col = cols[c]!;
      if (col === Col.Skip || ce === cs) continue;
      if (!first) out[o++] = COMMA;
      first = false;
      const key = this.keys[c]!;
      o += copyBytes(key, 0, key.length, out, o);
      const pick = this.picks[c]!;
      switch (col) {
        case Col.Text: {
          out[o++] = QUOTE;
          for (let k = cs; k < ce; k++) {
            const b = buf[k]!;
            const e = ESCAPE[b];
            if (e === 0) {
              out[o++] = b;
            } else if (e === 2) {
              return -1;
            } else if (b === QUOTE) {
              // Only a doubled quote inside a quoted cell gets here: one quote of content.
              out[o++] = BACKSLASH;
              out[o++] = QUOTE;
              k++;
            } else {
              const esc = ESCAPES[b]!;
              o += copyBytes(esc, 0, esc.length, out, o);
            }
          }
          out[o++] = QUOTE;
          if (pick !== Pick.None) {
            if (quoted && hasQuote(buf, cs, ce)) return -1;
            const text = (buf as Fast).latin1Slice(cs, ce);
            if (pick === Pick.Payment) picks.payment = text;
            else if (pick === Pick.Plan) picks.plan = text;
            else picks.stage = text;
          }
          break;
        }
        case Col.Date: {
          if (quoted || ce - cs !== 10 || !isDateBytes(buf, cs)) return -1;
          out[o++] = QUOTE;
          o += copyBytes(buf, cs, ce, out, o);
          out[o++] = QUOTE;
          break;
        }
        case Col.Count:
        case Col.Amount: {
          if (quoted) return -1;
          const w = writeCanonical(buf, cs, ce, col === Col.Count, out, o);
          if (w < 0) return -1;
          if (pick === Pick.Open) picks.open = Number((buf as Fast).latin1Slice(cs, ce));
          o = w;
          break;
        }
        case Col.Bounded: {
          if (quoted) return -1;
          for (let k = cs; k < ce; k++) if (buf[k]! >= 0x80) return -1;
          const v = checkValue(this.kinds[c]!, (buf as Fast).latin1Slice(cs, ce));
          if (typeof v !== 'number') return -1;
          o += (out as Fast).latin1Write(String(v), o);
          if (pick === Pick.Usage) picks.usage = v;
          else if (pick === Pick.Nps) picks.nps = v;
          else if (pick === Pick.Open) picks.open = v;
          break;
        }
      }
    }
    if (i !== end + 1) return -1;
    out[o++] = 0x7d;
    return o;
  }
}

function colOf(kind: FieldKind | undefined): Col {
  if (kind === undefined || kind.type === 'string') return Col.Text;
  if (kind.type === 'date') return Col.Date;
  const unbounded = kind.max === undefined && (kind.min === undefined || kind.min === 0);
  if (!unbounded || kind.min === undefined) return Col.Bounded;
  return kind.type === 'int' ? Col.Count : Col.Amount;
}

function hasQuote(buf: Buffer, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (buf[k] === QUOTE) return true;
  return false;
}

function digitAt(buf: Buffer, k: number): number {
  const d = buf[k]! - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** YYYY-MM-DD, a real calendar date. */
function isDateBytes(buf: Buffer, at: number): boolean {
  if (buf[at + 4] !== 0x2d || buf[at + 7] !== 0x2d) return false;
  let y = 0;
  for (let k = at; k < at + 4; k++) {
    const d = digitAt(buf, k);
    if (d < 0) return false;
    y = y * 10 + d;
  }
  const m1 = digitAt(buf, at + 5);
  const m2 = digitAt(buf, at + 6);
  const d1 = digitAt(buf, at + 8);
  const d2 = digitAt(buf, at + 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  return isCalendarDate(y, m1 * 10 + m2, d1 * 10 + d2);
}

/**
 * Writes the number `buf[cs..ce)` as `String(Number(text))` would, when that can be told from
 * the digits alone: plain digits with at most one inner point, no sign or exponent, no leading
 * zero, at most 15 digits (so the text round-trips through a double), not below 1e-6 (where
 * String switches to exponent form). Trailing zeros of a fraction are dropped ("41.0" → 41).
 * Returns the end of what was written, or -1.
 */
function writeCanonical(buf: Buffer, cs: number, ce: number, whole: boolean, out: Buffer, o: number): number {
  const len = ce - cs;
  if (len > 16) return -1;
  let dot = -1;
  for (let k = cs; k < ce; k++) {
    const b = buf[k]!;
    if (b === 0x2e) {
      if (whole || dot >= 0 || k === cs || k === ce - 1) return -1;
      dot = k;
    } else if (b < 48 || b > 57) {
      return -1;
    }
  }
  const intEnd = dot < 0 ? ce : dot;
  if (buf[cs] === 48 && intEnd - cs > 1) return -1;
  if (dot < 0) {
    if (len > 15) return -1;
    return o + copyBytes(buf, cs, ce, out, o);
  }
  let last = ce;
  while (last > dot + 1 && buf[last - 1] === 48) last--;
  if (last === dot + 1) return o + copyBytes(buf, cs, dot, out, o);
  if (last - cs - 1 > 15) return -1;
  if (intEnd - cs === 1 && buf[cs] === 48) {
    // 0.000000x and smaller print in exponent form.
    let zeros = 0;
    while (buf[dot + 1 + zeros] === 48) zeros++;
    if (zeros >= 6) return -1;
  }
  return o + copyBytes(buf, cs, last, out, o);
}
