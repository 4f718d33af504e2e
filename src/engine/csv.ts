/**
 * A strict, streaming RFC 4180 parser over bytes. Chosen over a library because the data path
 * is the hot loop of the whole pipeline (docs/engine-notes.md) and because we need recovery that
 * libraries do not give: a malformed record is reported with its physical line number and raw
 * text and parsing resumes at the next line, so one bad row never swallows the rows after it.
 *
 * The rules (src/testing/csv-oracle.ts restates them as a slow, obvious parser that the
 * tests compare this one against):
 * - a leading UTF-8 BOM is dropped; lines end at LF, CRLF or a lone CR (old Mac exports), and each
 *   such line end counts as one line; the header is line 1;
 * - an empty line is skipped; it is neither a record nor a reject;
 * - quoted fields may hold commas, doubled quotes and line ends; a closing quote must be followed
 *   by a comma, a line end or the end of the input; a quote inside an unquoted field is an error;
 * - a record whose problem shows on its first line (a quote inside an unquoted field, a stray
 *   character after a closing quote on that line) is rejected whole, with that reason;
 * - a record that crosses a line end inside quotes and then turns out malformed (a quote never
 *   closed, a stray character after the closing quote, or, once `expectFields` is set, the wrong
 *   number of fields) is an `unclosed quote` on its FIRST line only: that line is rejected and
 *   parsing resumes on the next one, so an unclosed quote in the middle of a file costs one line;
 * - a record whose content exceeds `maxRecordBytes` is rejected the same way (first line only,
 *   raw text cut at `maxRecordBytes`), which bounds memory whatever the input;
 * - every byte belongs to exactly one record, one rejected span or one skipped empty line, so
 *   `records + rejects` accounts for every non-empty line that does not sit inside a record;
 * - what is handed over does not depend on how the input is cut into chunks.
 */

import { copyBytes } from './arena.js';
import type { RawBuffer } from './arena.js';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Receives what `push` and `end` parse, in input order. `buf` (and `allFields`) is valid only
 * during the call; a record is `buf[start..end)` without its line end.
 */
export interface CsvSink {
  /**
   * After `routeOnly(k)`, a one-line record whose fields up to k are unquoted ASCII and whose rest
   * closes every quote it opens, as positions only; field k is `buf[idStart..idEnd)`, trimmed and
   * not empty. Without this method such records come to `record`.
   */
  plain?(buf: Buffer, start: number, end: number, idStart: number, idEnd: number, line: number): void;
  /** A record starting on physical line `line` (the header is line 1), fields decoded as UTF-8 (see routeOnly). */
  record(fields: string[], line: number, buf: Buffer, start: number, end: number): void;
  /** A span of input that is not a well-formed record; `raw` is its text without its line end. */
  malformed(line: number, reason: string, raw: string): void;
}

export interface CsvParserOptions {
  /** A record longer than this (bytes, without its line end) is rejected. Bounds memory. */
  readonly maxRecordBytes?: number;
}

/** The reason given for a line that opens a quote that never closes. */
export const UNCLOSED_QUOTE = 'unclosed quote';

const INCOMPLETE = 0;
const OK = 1;
const BAD = 2;
type Outcome = typeof INCOMPLETE | typeof OK | typeof BAD;

const EMPTY = Buffer.alloc(0);

/**
 * Join buffers of parsers that finished, for the next parser of this thread: reading a source
 * after another (a shard reads four, a worker many shards) reuses the same two.
 */
const SPARE_JOINS: Buffer[] = [];


/** Bytes that end or interrupt an unquoted field: comma, LF, CR, quote, and any non-ASCII byte. */
const UNQUOTED_STOP = new Uint8Array(256);
for (const b of [COMMA, LF, CR, QUOTE]) UNQUOTED_STOP[b] = 1;
for (let b = 0x80; b < 256; b++) UNQUOTED_STOP[b] = 1;

/** Streaming parser: feed chunks with `push`, then call `end`; both hand what they parse to a sink. */
export class CsvParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private line = 1;
  private started = false;
  /** Discarding the rest of an overlong line whose end was not yet buffered. */
  private skipping = false;
  private expected = -1;
  private readonly maxRecordBytes: number;
  // Result registers of parseAt / findLineEnd (no result object per record).
  private fields: string[] = [];
  /** End of the record's (or line's) text, before its line end. */
  private contentEnd = 0;
  /** Where the next record starts. */
  private endPos = 0;
  /** Whether the record (or line) ended with a line end rather than the end of the input. */
  private terminated = false;
  /** Line ends crossed inside quoted fields (the record's extra physical lines). */
  private spanned = 0;
  private reason = '';
  private lastStart = 0;
  private lastEnd = 0;
  /** Field `only` of the last plain line (see plainLine): `buf[idStart..idEnd)`. */
  private idStart = 0;
  private idEnd = 0;
  /** Index of the only field to decode, or -1 to decode every field (see routeOnly). */
  private only = -1;
  /** Whether a plain rest of line after field `only` is taken whole (see routeOnly). */
  private plainRest = false;
  /**
   * Per byte (LF, CR, quote): the next position at or after `scanFrom` holding it in `buf`
   * (buf.length when none), found with one indexOf and reused while parsing moves forward.
   */
  private readonly scanFrom = [-1, -1, -1];
  private readonly scanAt = [0, 0, 0];
  /**
   * Two buffers taken in turn for the unparsed rest of the input joined with the next chunk (the
   * join is read while the next is made, so one is not enough): a chunk-sized copy per chunk
   * into memory already touched, instead of a fresh Buffer per chunk that the garbage collector
   * must count and free.
   */
  private readonly joins: [Buffer, Buffer] = [SPARE_JOINS.pop() ?? EMPTY, SPARE_JOINS.pop() ?? EMPTY];
  private join = 0;

  constructor(options: CsvParserOptions = {}) {
    const max = options.maxRecordBytes ?? 1 << 20;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxRecordBytes must be a whole number ≥ 1, got ${max}`);
    this.maxRecordBytes = max;
  }

  /** Sets the field count every multi-line record must have (the header's); -1 disables it. */
  expectFields(n: number): void {
    this.expected = n;
  }

  /**
   * From now on decode only field `index` (the others read as ''; -1 decodes all again), for
   * callers that route by one column. A record whose line after that field closes every quote it
   * opens is taken whole by native byte searches (`fields` stops at `index`; a sink with `plain`
   * gets positions): it is one line and cannot be malformed, so boundaries and errors are those
   * of a full parse.
   */
  routeOnly(index: number): void {
    this.only = index;
    this.plainRest = index >= 0;
  }

  /** Every field of the record being handed to the sink, decoded; valid only during that call. */
  allFields(): string[] {
    const only = this.only;
    const saved = [this.fields, this.contentEnd, this.endPos, this.terminated, this.spanned] as const;
    this.only = -1;
    this.parseAt(this.lastStart, true);
    const fields = this.fields;
    this.only = only;
    [this.fields, this.contentEnd, this.endPos, this.terminated, this.spanned] = saved;
    return fields;
  }

  /** Parses `chunk` on from what is still unparsed, handing every complete record or reject to `sink`. */
  push(chunk: Buffer, sink: CsvSink): void {
    if (this.take(chunk)) this.drain(false, sink);
  }

  /** Parses what is left at the end of the input, then forgets it. */
  end(sink: CsvSink): void {
    if (!this.started) this.stripBom();
    this.drain(true, sink);
    this.clear();
  }

  /**
   * Appends `chunk` to what is still unparsed; returns whether there is anything to parse (the
   * first bytes are held until a BOM can be told).
   */
  private take(chunk: Buffer): boolean {
    if (chunk.length === 0) return false;
    if (this.pos < this.buf.length) {
      const rest = this.buf.length - this.pos;
      const need = rest + chunk.length;
      this.join ^= 1;
      let into = this.joins[this.join]!;
      if (into.length < need) {
        into = Buffer.allocUnsafe(Math.max(need, 2 * into.length));
        this.joins[this.join] = into;
      }
      copyBytes(this.buf, this.pos, this.buf.length, into, 0);
      copyBytes(chunk, 0, chunk.length, into, rest);
      this.buf = into.subarray(0, need);
    } else {
      this.buf = chunk;
    }
    this.pos = 0;
    this.scanFrom.fill(-1);
    if (!this.started) {
      if (this.buf.length < 3) return false;
      this.stripBom();
    }
    return true;
  }

  /** Forgets the input once it has all been parsed, and hands its join buffers to the next parser. */
  private clear(): void {
    this.buf = EMPTY;
    this.pos = 0;
    for (const b of this.joins) if (b.length > 0 && SPARE_JOINS.length < 2) SPARE_JOINS.push(b);
    this.joins[0] = this.joins[1] = EMPTY;
  }

  private stripBom(): void {
    this.started = true;
    const b = this.buf;
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.pos = 3;
  }

  private drain(eof: boolean, sink: CsvSink): void {
    for (;;) {
      if (this.plainRest && !this.skipping && sink.plain !== undefined && this.plainLine(eof)) {
        sink.plain(this.buf, this.lastStart, this.lastEnd, this.idStart, this.idEnd, this.line - 1);
        continue;
      }
      if (!this.step(eof, sink)) return;
    }
  }

  /**
   * Parses on from `pos` to the next record or malformed span and hands it to `sink` (the parser
   * having moved past it); returns false when the buffer holds no further complete one (more
   * input is needed, or `eof` and everything was read).
   */
  private step(eof: boolean, sink: CsvSink): boolean {
    const buf = this.buf;
    const len = buf.length;
    const max = this.maxRecordBytes;
    while (this.pos < len) {
      const start = this.pos;
      if (this.skipping) {
        if (!this.findLineEnd(start, eof)) {
          // Keep a trailing CR: the byte after it decides whether it is a CRLF.
          this.pos = buf[len - 1] === CR ? len - 1 : len;
          if (this.pos === start) return false;
          continue;
        }
        this.pos = this.endPos;
        if (this.terminated) this.line++;
        this.skipping = false;
        continue;
      }
      const c = buf[start];
      if (c === LF || c === CR) {
        // An empty line is not a record.
        if (c === CR && start + 1 >= len && !eof) return false;
        this.pos = c === CR && buf[start + 1] === LF ? start + 2 : start + 1;
        this.line++;
        continue;
      }
      const outcome = this.parseAt(start, eof);
      if (outcome === INCOMPLETE) {
        // Incomplete means the record's text ends at len - 1 or later.
        if (!eof && len - start <= max + 1) return false;
        this.reason = eof ? UNCLOSED_QUOTE : overlong(max);
        this.rejectFirstLine(start, eof, sink);
        return true;
      }
      if (this.contentEnd - start > max) {
        this.reason = overlong(max);
        this.rejectFirstLine(start, eof, sink);
        return true;
      }
      if (this.spanned > 0 && (outcome === BAD || (this.expected >= 0 && this.fields.length !== this.expected))) {
        this.reason = UNCLOSED_QUOTE;
        this.rejectFirstLine(start, eof, sink);
        return true;
      }
      const line = this.line;
      this.pos = this.endPos;
      this.line += this.spanned + (this.terminated ? 1 : 0);
      if (outcome === BAD) {
        sink.malformed(line, this.reason, buf.toString('utf8', start, this.contentEnd));
        return true;
      }
      this.lastStart = start;
      this.lastEnd = this.contentEnd;
      sink.record(this.fields, line, buf, start, this.contentEnd);
      return true;
    }
    return false;
  }

  /**
   * Takes the record at `pos` when it is a plain line: fields up to `only` unquoted ASCII, the
   * field `only` not empty and without white space at either end, and the rest of its line free
   * of quotes or holding only quoted fields that close on it (`quotedFieldsEndBy`). Such a record
   * is one physical line and cannot be malformed, so it is exactly what `step` would hand over.
   * Returns false, having changed nothing, for anything else.
   */
  private plainLine(eof: boolean): boolean {
    const buf = this.buf;
    const len = buf.length;
    const start = this.pos;
    let i = start;
    let fs = start;
    for (let f = 0; ; f++) {
      fs = i;
      while (i < len && UNQUOTED_STOP[buf[i]!] === 0) i++;
      if (i >= len || buf[i] !== COMMA) return false;
      if (f === this.only) break;
      i++;
    }
    if (i === fs || buf[fs]! <= 0x20 || buf[i - 1]! <= 0x20) return false;
    const lf = this.next(0, LF, i);
    const cr = this.next(1, CR, i);
    const e = lf < cr ? lf : cr;
    if (e >= len || e - start > this.maxRecordBytes) return false;
    const q = this.next(2, QUOTE, i);
    if (q < e && !this.quotedFieldsEndBy(q, e)) return false;
    if (!this.endLineAt(e, eof)) return false;
    this.idStart = fs;
    this.idEnd = i;
    this.lastStart = start;
    this.lastEnd = e;
    this.pos = this.endPos;
    this.line++;
    return true;
  }

  /**
   * Whether the quotes of a line from `q` (its first quote after the routed field) to its line
   * end `e` are quoted fields that open and close on this line: each opening quote starts a field
   * (follows a comma), quotes inside are doubled, and each closing quote is followed by a comma or
   * the line end. Then the line is one record and not malformed, as a full parse would find;
   * anything else (a stray quote, a field that crosses the line end) is left to that parse.
   * Found with the native quote search, so a quoted company name does not cost a field split.
   */
  private quotedFieldsEndBy(q: number, e: number): boolean {
    const buf = this.buf;
    while (q < e) {
      if (buf[q - 1] !== COMMA) return false;
      let close = this.next(2, QUOTE, q + 1);
      while (close < e && buf[close + 1] === QUOTE) close = this.next(2, QUOTE, close + 2);
      if (close >= e) return false;
      if (close + 1 !== e && buf[close + 1] !== COMMA) return false;
      q = this.next(2, QUOTE, close + 1);
    }
    return true;
  }

  /**
   * Rejects the physical line starting at `start` (with `this.reason`) and moves past it. Its raw
   * text is cut at `maxRecordBytes`; when its end is not buffered yet (an overlong line), the rest
   * of it is skipped as it arrives.
   */
  private rejectFirstLine(start: number, eof: boolean, sink: CsvSink): void {
    const line = this.line;
    const cap = start + this.maxRecordBytes;
    if (this.findLineEnd(start, eof)) {
      this.pos = this.endPos;
      if (this.terminated) this.line++;
      sink.malformed(line, this.reason, this.buf.toString('utf8', start, Math.min(this.contentEnd, cap)));
      return;
    }
    // Only an overlong line gets here: more than maxRecordBytes + 1 bytes are buffered.
    const raw = this.buf.toString('utf8', start, cap);
    this.skipping = true;
    this.pos = this.buf[this.buf.length - 1] === CR ? this.buf.length - 1 : this.buf.length;
    sink.malformed(line, this.reason, raw);
  }

  /**
   * Finds the end of the physical line holding `from`: sets contentEnd, endPos and terminated.
   * Returns false when the buffer ends before the line's end can be told.
   */
  private findLineEnd(from: number, eof: boolean): boolean {
    const buf = this.buf;
    const len = buf.length;
    let k = from;
    while (k < len) {
      const c = buf[k];
      if (c === LF || c === CR) break;
      k++;
    }
    if (k >= len) {
      if (!eof) return false;
      this.contentEnd = len;
      this.endPos = len;
      this.terminated = false;
      return true;
    }
    return this.endLineAt(k, eof);
  }

  /**
   * Ends the line whose line end (LF, CR or CRLF) starts at `k`: sets contentEnd, endPos and
   * terminated. Returns false when `k` is a CR at the end of the buffer and more input could
   * make it a CRLF.
   */
  private endLineAt(k: number, eof: boolean): boolean {
    const buf = this.buf;
    if (buf[k] === CR) {
      if (k + 1 >= buf.length && !eof) return false;
      this.endPos = buf[k + 1] === LF ? k + 2 : k + 1;
    } else {
      this.endPos = k + 1;
    }
    this.contentEnd = k;
    this.terminated = true;
    return true;
  }

  /**
   * Parses one record starting at `start` into the result registers. BAD records set
   * contentEnd/endPos to the end of the physical line where the problem was found. At the end
   * of the input, INCOMPLETE means a quote that never closes.
   */
  private parseAt(start: number, eof: boolean): Outcome {
    const buf = this.buf;
    const len = buf.length;
    const fields: string[] = [];
    let spanned = 0;
    let i = start;
    for (;;) {
      let value: string;
      if (i < len && buf[i] === QUOTE) {
        const open = i + 1;
        let j = open;
        let escaped = false;
        for (;;) {
          if (j >= len) return INCOMPLETE;
          const c = buf[j];
          if (c === QUOTE) {
            if (j + 1 >= len) {
              if (!eof) return INCOMPLETE;
              break;
            }
            if (buf[j + 1] !== QUOTE) break;
            escaped = true;
            j += 2;
            continue;
          }
          if (c === LF) {
            spanned++;
          } else if (c === CR) {
            if (j + 1 >= len) return INCOMPLETE;
            if (buf[j + 1] !== LF) spanned++;
          }
          j++;
        }
        if (this.only < 0 || this.only === fields.length) {
          value = (buf as RawBuffer).utf8Slice(open, j);
          if (escaped) value = value.replaceAll('""', '"');
        } else {
          value = '';
        }
        i = j + 1;
        if (i < len) {
          const c = buf[i]!;
          if (c !== COMMA && c !== LF && c !== CR) {
            this.reason = `unexpected character ${JSON.stringify(charAt(buf, i))} after a closing quote`;
            return this.bad(i, eof, spanned);
          }
        }
      } else {
        let j = i;
        let high = 0;
        for (;;) {
          // One table lookup per ordinary byte; the rare bytes are told apart below.
          while (j < len && UNQUOTED_STOP[buf[j]!] === 0) j++;
          if (j >= len) break;
          const c = buf[j]!;
          if (c >= 0x80) {
            high = 1;
            j++;
            continue;
          }
          if (c === QUOTE) {
            this.reason = 'quote inside an unquoted field';
            return this.bad(j, eof, spanned);
          }
          break;
        }
        if (j >= len && !eof) return INCOMPLETE;
        if (this.only < 0 || this.only === fields.length) {
          // ASCII needs no UTF-8 decoding: latin1Slice reads the same characters, faster.
          value = high === 0 ? (buf as RawBuffer).latin1Slice(i, j) : (buf as RawBuffer).utf8Slice(i, j);
        } else {
          value = '';
        }
        i = j;
      }
      fields.push(value);
      if (this.plainRest && spanned === 0 && this.only >= 0 && fields.length > this.only && i < len && buf[i] === COMMA) {
        const lf = this.next(0, LF, i);
        const cr = this.next(1, CR, i);
        const e = lf < cr ? lf : cr;
        if (e < len && this.next(2, QUOTE, i) > e) {
          if (!this.endLineAt(e, eof)) return INCOMPLETE;
          this.fields = fields;
          this.spanned = 0;
          return OK;
        }
        if (e >= len && !eof) return INCOMPLETE;
      }
      if (i >= len) {
        if (!eof) return INCOMPLETE;
        this.contentEnd = len;
        this.endPos = len;
        this.terminated = false;
        break;
      }
      const c = buf[i];
      if (c === COMMA) {
        i++;
        if (i >= len) {
          if (!eof) return INCOMPLETE;
          fields.push('');
          this.contentEnd = len;
          this.endPos = len;
          this.terminated = false;
          break;
        }
        continue;
      }
      // A line end: LF, CRLF or a lone CR.
      if (!this.endLineAt(i, eof)) return INCOMPLETE;
      break;
    }
    this.fields = fields;
    this.spanned = spanned;
    return OK;
  }

  /** The first position at or after `from` holding `byte` (buf.length when none); slot caches it. */
  private next(slot: number, byte: number, from: number): number {
    const at = this.scanAt[slot]!;
    if (this.scanFrom[slot]! >= 0 && this.scanFrom[slot]! <= from && at >= from) return at;
    const found = this.buf.indexOf(byte, from);
    const pos = found < 0 ? this.buf.length : found;
    this.scanFrom[slot] = from;
    this.scanAt[slot] = pos;
    return pos;
  }

  /** Marks a malformed record ending at the end of the physical line that holds `at`. */
  private bad(at: number, eof: boolean, spanned: number): Outcome {
    if (!this.findLineEnd(at, eof)) return INCOMPLETE;
    this.spanned = spanned;
    this.fields = [];
    return BAD;
  }
}

function overlong(max: number): string {
  return `record longer than ${max} bytes (an unclosed quote?)`;
}

/** The character starting at byte `i`, for messages (a UTF-8 sequence is shown whole). */
function charAt(buf: Buffer, i: number): string {
  return [...buf.toString('utf8', i, Math.min(buf.length, i + 4))][0] ?? '';
}
