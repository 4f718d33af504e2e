/**
 * The fast path from a CSV record's bytes to its fields' JSON bytes in the Merger's arena, checking
 * each cell against its column's domain. It returns -1 for anything unusual and the general path
 * (rows.ts) decides; so it never decides a reject, and its output must equal the general path's
 * byte for byte (transcode.test.ts and the property suites).
 */
import { copyBytes, wordsOf, writeWords } from './arena.js';
import type { RawBuffer } from './arena.js';
import { ENRICHMENT_FIELDS } from '../core/enrich.js';
import type { Picks } from './picks.js';
import { isDateBytes, writeNumber, written } from './cell-bytes.js';
import { SOURCE_FIELDS } from '../core/schema.js';
import type { FieldKind, SourceName } from '../core/schema.js';


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

/** Distinct enrichment texts remembered per column; a column with more is sliced per row. */
const MAX_TEXTS = 32;

/** How a column is handled. */
const enum Col {
  /** A string: copied with escapes. */
  Text,
  /** A date: ten bytes YYYY-MM-DD, a calendar date. */
  Date,
  /** A number: plain digits, checked against its bounds, written canonically. */
  Number,
  /** Not written: the customer id, or a leading column (see LeadingColumn in rows.ts). */
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
  /** Per numeric column: whether it must be whole, and its bounds (±Infinity when none). */
  private readonly whole: boolean[] = [];
  private readonly min: number[] = [];
  private readonly max: number[] = [];
  private readonly picks: Pick[] = [];
  /** `"name":` of each column, as bytes. */
  private readonly keys: Buffer[] = [];
  /**
   * Each key as little-endian 32-bit words, with its comma (`keyWords`) and without (`firstKeyWords`);
   * the stores spill up to three bytes past the key, overwritten next (`encodedBound` leaves room).
   */
  private readonly keyWords: Int32Array[] = [];
  private readonly firstKeyWords: Int32Array[] = [];
  /** Per column: the enrichment texts met so far (see textOf). */
  private readonly texts: { readonly bytes: Buffer; readonly text: string }[][] = [];
  /** A DataView of the last output buffer, for the word stores. */
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | undefined;
  /** Total bytes of the keys, for the output bound. */
  readonly keyBytes: number;

  /**
   * @param header the source's column names (without a leading column)
   * @param idIndex the id column's index in `header`
   * @param lineColumn whether each record starts with a leading column to skip (see LeadingColumn in rows.ts)
   */
  constructor(source: SourceName, header: readonly string[], idIndex: number, lineColumn: boolean) {
    const known = SOURCE_FIELDS[source];
    const picked = ENRICHMENT_FIELDS[source];
    const add = (col: Col, kind: FieldKind | undefined, pick: Pick, key: string): void => {
      this.cols.push(col);
      const numeric = kind !== undefined && (kind.type === 'int' || kind.type === 'number');
      this.whole.push(kind?.type === 'int');
      this.min.push(numeric ? (kind.min ?? -Infinity) : -Infinity);
      this.max.push(numeric ? (kind.max ?? Infinity) : Infinity);
      this.picks.push(pick);
      // `,"name":` with the comma (skipped for the first cell written) and, for strings, the
      // opening quote: one copy per cell.
      const bytes = Buffer.from(`,${JSON.stringify(key)}:${col === Col.Text ? '"' : ''}`, 'utf8');
      this.keys.push(bytes);
      this.keyWords.push(wordsOf(bytes));
      this.firstKeyWords.push(wordsOf(bytes.subarray(1)));
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
   * Writes `{...}` for the well-formed record `buf[start..end)` into `out` at `at` (room for
   * `encodedBound` bytes); returns the end, or -1 for the general path. Fills `picks`.
   */
  encode(buf: Buffer, start: number, end: number, out: Buffer, at: number, picks: Picks): number {
    picks.clear();
    if (out !== this.viewOf) {
      this.view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      this.viewOf = out;
    }
    const view = this.view;
    const cols = this.cols;
    const n = cols.length;
    let o = at;
    out[o++] = 0x7b;
    let first = true;
    let i = start;
    for (let c = 0; c < n; c++) {
      if (i > end) return -1;
      const col = cols[c]!;
      if (col === Col.Text && (i >= end || buf[i] !== QUOTE)) {
        // The common cell, in one pass: copied (escaped) while its end is searched for; the key
        // written ahead is taken back when the cell turns out empty.
        const mark = o;
        o = writeWords(view, o, first ? this.firstKeyWords[c]! : this.keyWords[c]!, this.keys[c]!.length - (first ? 1 : 0));
        const cs = i;
        let j = i;
        for (; j < end; j++) {
          const b = buf[j]!;
          if (b === COMMA) break;
          const e = ESCAPE[b];
          if (e === 0) {
            out[o++] = b;
          } else if (e === 2 || b === QUOTE) {
            return -1;
          } else {
            const esc = ESCAPES[b]!;
            o += copyBytes(esc, 0, esc.length, out, o);
          }
        }
        i = j + 1;
        if (j === cs) {
          o = mark;
          continue;
        }
        out[o++] = QUOTE;
        first = false;
        const pick = this.picks[c]!;
        if (pick !== Pick.None) this.pickText(pick, this.textOf(c, buf, cs, j), picks);
        continue;
      }
      // Any other cell: its content is buf[cs..ce); a quoted cell may hold doubled quotes.
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
        // A closing quote is followed by the comma before the next cell, or by the end.
        if (i < end && buf[i] !== COMMA) return -1;
      } else {
        cs = i;
        let j = i;
        while (j < end && buf[j] !== COMMA) j++;
        ce = j;
        i = j;
      }
      i++;
      if (col === Col.Skip || ce === cs) continue;
      o = writeWords(view, o, first ? this.firstKeyWords[c]! : this.keyWords[c]!, this.keys[c]!.length - (first ? 1 : 0));
      first = false;
      const pick = this.picks[c]!;
      if (col === Col.Text) {
        // A quoted string (the key brought the opening quote): doubled quotes become one escaped quote.
        for (let k = cs; k < ce; k++) {
          const b = buf[k]!;
          const e = ESCAPE[b];
          if (e === 0) {
            out[o++] = b;
          } else if (e === 2) {
            return -1;
          } else if (b === QUOTE) {
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
          if (hasQuote(buf, cs, ce)) return -1;
          this.pickText(pick, this.textOf(c, buf, cs, ce), picks);
        }
      } else if (col === Col.Date) {
        if (quoted || ce - cs !== 10 || !isDateBytes(buf, cs)) return -1;
        out[o++] = QUOTE;
        o += copyBytes(buf, cs, ce, out, o);
        out[o++] = QUOTE;
      } else {
        if (quoted) return -1;
        const w = writeNumber(buf, cs, ce, this.whole[c]!, out, o);
        const number = written.number;
        if (w < 0 || number < this.min[c]! || number > this.max[c]!) return -1;
        o = w;
        if (pick === Pick.Usage) picks.usage = number;
        else if (pick === Pick.Nps) picks.nps = number;
        else if (pick === Pick.Open) picks.open = number;
      }
    }
    if (i !== end + 1) return -1;
    out[o++] = 0x7d;
    return o;
  }

  /**
   * The text of an enrichment cell (a status or plan, ASCII here): one of the few values a column
   * takes, so each distinct value's string is made once and found again by its bytes, not per row.
   */
  private textOf(c: number, buf: Buffer, from: number, to: number): string {
    const seen = (this.texts[c] ??= []);
    const n = to - from;
    for (const t of seen) {
      const b = t.bytes;
      if (b.length !== n) continue;
      let k = 0;
      while (k < n && b[k] === buf[from + k]) k++;
      if (k === n) return t.text;
    }
    const text = (buf as RawBuffer).latin1Slice(from, to);
    if (seen.length < MAX_TEXTS) seen.push({ bytes: Buffer.from(buf.subarray(from, to)), text });
    return text;
  }

  private pickText(pick: Pick, text: string, picks: Picks): void {
    if (pick === Pick.Payment) picks.payment = text;
    else if (pick === Pick.Plan) picks.plan = text;
    else if (pick === Pick.Stage) picks.stage = text;
  }
}

function colOf(kind: FieldKind | undefined): Col {
  if (kind === undefined || kind.type === 'string') return Col.Text;
  return kind.type === 'date' ? Col.Date : Col.Number;
}

function hasQuote(buf: Buffer, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (buf[k] === QUOTE) return true;
  return false;
}
