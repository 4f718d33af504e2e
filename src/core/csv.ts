/**
 * A strict, streaming RFC 4180 parser over bytes. Chosen over a library because the data path
 * is the hot loop of the whole pipeline (csv-parse is ~15x slower than DuckDB here, see
 * performance facts) and because we need recovery that libraries do not give: a malformed record
 * is reported with its physical line number and raw text and parsing resumes at the next line, so
 * one bad row never swallows the rows after it.
 *
 * Invariants:
 * - every byte of the input belongs to exactly one record, one rejected span or one skipped blank
 *   line, so `records + rejects` accounts for every non-blank data line;
 * - quoted fields may hold commas, doubled quotes, CR and LF; records end at LF or CRLF (or EOF);
 * - a leading UTF-8 BOM is dropped;
 * - a record that spans lines through a quoted newline and turns out malformed (an unclosed
 *   quote, a stray character after a closing quote, or the wrong number of fields) is treated as
 *   an unclosed quote on its first line only: that line is rejected and parsing resumes on the
 *   next line.
 */

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** One parsed record. `raw` is decoded only when asked for (rejects need it, rows do not). */
export interface CsvRecord {
  readonly kind: 'record';
  /** 1-based physical line on which the record starts (the header is line 1). */
  readonly line: number;
  readonly fields: string[];
}

/** A span of input that is not a well-formed record. */
export interface CsvMalformed {
  readonly kind: 'malformed';
  readonly line: number;
  readonly reason: string;
  readonly raw: string;
}

export type CsvEvent = CsvRecord | CsvMalformed;

export interface CsvParserOptions {
  /** A record longer than this (bytes) is treated as an unclosed quote. Bounds memory. */
  readonly maxRecordBytes?: number;
}

const INCOMPLETE = 0;
const OK = 1;
const BAD = 2;
type Outcome = typeof INCOMPLETE | typeof OK | typeof BAD;

const EMPTY = Buffer.alloc(0);

/** Streaming parser: feed chunks with `push`, then call `end`; both yield events in order. */
export class CsvParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private line = 1;
  private started = false;
  private expected = -1;
  private readonly maxRecordBytes: number;
  // Result registers of parseAt (avoid allocating a result object per record).
  private fields: string[] = [];
  private endPos = 0;
  private newlines = 0;
  private reason = '';
  private lastStart = 0;
  private lastEnd = 0;

  constructor(options: CsvParserOptions = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? 1 << 20;
  }

  /** Sets the field count every record must have (the header's); -1 disables the check. */
  expectFields(n: number): void {
    this.expected = n;
  }

  *push(chunk: Buffer): Generator<CsvEvent> {
    if (this.pos < this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    } else {
      this.buf = chunk;
    }
    this.pos = 0;
    if (!this.started) {
      if (this.buf.length < 3) return;
      this.stripBom();
    }
    yield* this.drain(false);
  }

  *end(): Generator<CsvEvent> {
    if (!this.started) this.stripBom();
    yield* this.drain(true);
    this.buf = EMPTY;
    this.pos = 0;
  }

  private stripBom(): void {
    this.started = true;
    const b = this.buf;
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.pos = 3;
  }

  private *drain(eof: boolean): Generator<CsvEvent> {
    const buf = this.buf;
    const len = buf.length;
    while (this.pos < len) {
      const start = this.pos;
      const c = buf[start];
      if (c === LF || (c === CR && (start + 1 < len ? buf[start + 1] === LF : eof))) {
        // A blank line is not a record.
        this.pos = c === LF ? start + 1 : start + 2;
        this.line++;
        continue;
      }
      if (c === CR && start + 1 >= len && !eof) return;
      const outcome = this.parseAt(start, eof);
      if (outcome === INCOMPLETE) {
        if (!eof && len - start <= this.maxRecordBytes) return;
        this.reason = eof ? 'unclosed quote' : `unclosed quote (record longer than ${this.maxRecordBytes} bytes)`;
        yield this.rejectFirstLine(start);
        continue;
      }
      if (this.newlines > 0 && (outcome === BAD || (this.expected >= 0 && this.fields.length !== this.expected))) {
        this.reason = 'unclosed quote';
        yield this.rejectFirstLine(start);
        continue;
      }
      const line = this.line;
      this.pos = this.endPos;
      this.line += this.newlines + (this.endsWithNewline() ? 1 : 0);
      if (outcome === BAD) {
        yield { kind: 'malformed', line, reason: this.reason, raw: this.rawText(start, this.endPos) };
      } else {
        this.lastStart = start;
        this.lastEnd = this.endPos;
        yield { kind: 'record', line, fields: this.fields };
      }
    }
  }

  /**
   * The exact text of the record just yielded (without its line end). Valid only until the
   * generator is resumed, which is when a consumer inspects a record it is about to reject.
   */
  rawOfLast(): string {
    return this.rawText(this.lastStart, this.lastEnd);
  }

  private endsWithNewline(): boolean {
    return this.endPos > 0 && this.buf[this.endPos - 1] === LF;
  }

  /** Rejects the physical line starting at `start` and moves past it. */
  private rejectFirstLine(start: number): CsvMalformed {
    const buf = this.buf;
    const nl = buf.indexOf(LF, start);
    const end = nl < 0 ? buf.length : nl + 1;
    // nl < 0 before EOF happens only when the record cap is exceeded without any newline: the
    // whole held span is rejected.
    const line = this.line;
    this.pos = end;
    if (nl >= 0) this.line++;
    return { kind: 'malformed', line, reason: this.reason, raw: this.rawText(start, end) };
  }

  private rawText(start: number, end: number): string {
    let e = end;
    if (e > start && this.buf[e - 1] === LF) e--;
    if (e > start && this.buf[e - 1] === CR) e--;
    return this.buf.toString('utf8', start, e);
  }

  /**
   * Parses one record starting at `start` into the result registers. BAD records still set
   * `endPos` to the end of the physical line where the problem was found.
   */
  private parseAt(start: number, eof: boolean): Outcome {
    const buf = this.buf;
    const len = buf.length;
    const fields: string[] = [];
    let newlines = 0;
    let i = start;
    for (;;) {
      let value: string;
      if (i < len && buf[i] === QUOTE) {
        const open = i + 1;
        let j = open;
        let escaped = false;
        let close: number;
        for (;;) {
          const q = buf.indexOf(QUOTE, j);
          if (q < 0) return INCOMPLETE;
          if (q + 1 >= len && !eof) return INCOMPLETE;
          if (buf[q + 1] === QUOTE) {
            escaped = true;
            j = q + 2;
            continue;
          }
          close = q;
          break;
        }
        for (let k = buf.indexOf(LF, open); k >= 0 && k < close; k = buf.indexOf(LF, k + 1)) newlines++;
        value = buf.toString('utf8', open, close);
        if (escaped) value = value.replaceAll('""', '"');
        i = close + 1;
        if (i < len) {
          const c = buf[i];
          if (c !== COMMA && c !== LF && c !== CR) {
            this.reason = `unexpected character ${JSON.stringify(String.fromCharCode(c!))} after a closing quote`;
            return this.bad(i, eof, newlines);
          }
        }
      } else {
        let j = i;
        while (j < len) {
          const c = buf[j];
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) {
            this.reason = 'quote inside an unquoted field';
            return this.bad(j, eof, newlines);
          }
          j++;
        }
        if (j >= len && !eof) return INCOMPLETE;
        value = buf.toString('utf8', i, j);
        i = j;
      }
      fields.push(value);
      if (i >= len) {
        if (!eof) return INCOMPLETE;
        this.endPos = len;
        break;
      }
      const c = buf[i];
      if (c === COMMA) {
        i++;
        if (i >= len) {
          if (!eof) return INCOMPLETE;
          fields.push('');
          this.endPos = len;
          break;
        }
        continue;
      }
      if (c === LF) {
        this.endPos = i + 1;
        break;
      }
      // CR: accept CRLF, and a lone CR as a line end too.
      if (i + 1 >= len && !eof) return INCOMPLETE;
      this.endPos = buf[i + 1] === LF ? i + 2 : i + 1;
      if (buf[i + 1] !== LF) newlines++;
      break;
    }
    this.fields = fields;
    this.newlines = newlines;
    return OK;
  }

  /** Marks a malformed record ending at the end of the physical line that holds `at`. */
  private bad(at: number, eof: boolean, newlines: number): Outcome {
    const nl = this.buf.indexOf(LF, at);
    if (nl < 0 && !eof) return INCOMPLETE;
    this.endPos = nl < 0 ? this.buf.length : nl + 1;
    this.newlines = newlines;
    this.fields = [];
    return BAD;
  }
}
