/**
 * Test support: the rules of src/engine/csv.ts restated as a slow, obvious parser over a whole
 * string, written for reading, not speed. Tests compare the streaming byte parser (and the counts
 * of the whole pipeline) against it, so a rule broken in one is caught by the other.
 *
 * It does not model `maxRecordBytes`: use it on inputs whose records are all shorter.
 */

export interface OracleEvent {
  readonly kind: 'record' | 'malformed';
  /** 1-based physical line where the event starts; LF, CRLF and a lone CR each end a line. */
  readonly line: number;
  /** Fields of a record; empty for a malformed span. */
  readonly fields: readonly string[];
  /** Reason of a malformed span; '' for a record. */
  readonly reason: string;
  /** The text of the record or of the rejected span, without its line end. */
  readonly raw: string;
}

type Attempt =
  | { readonly ok: true; readonly fields: string[]; readonly end: number; readonly crossed: number }
  | { readonly ok: false; readonly reason: string; readonly crossed: number };

const isLineEnd = (ch: string | undefined): boolean => ch === '\n' || ch === '\r';

/**
 * Parses `input` into records and malformed spans. `expected` is the field count a record that
 * crosses lines must have: a number, 'first' (the first event's field count when it is a record,
 * as readRows does with the header) or undefined (no check).
 */
export function parseCsvSlowly(input: string, expected?: number | 'first'): OracleEvent[] {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const lineEndLength = (k: number): number => (text[k] === '\r' && text[k + 1] === '\n' ? 2 : 1);
  const events: OracleEvent[] = [];
  let want = typeof expected === 'number' ? expected : -1;
  let line = 1;
  let p = 0;
  while (p < text.length) {
    if (isLineEnd(text[p])) {
      p += lineEndLength(p);
      line++;
      continue;
    }
    let firstEnd = p;
    while (firstEnd < text.length && !isLineEnd(text[firstEnd])) firstEnd++;
    const attempt = readRecord(text, p);
    const tooFewOrMany = attempt.ok && want >= 0 && attempt.fields.length !== want;
    if (!attempt.ok || (attempt.crossed > 0 && tooFewOrMany)) {
      // The whole first line goes, with "unclosed quote" when the record crossed a line end.
      const reason = attempt.crossed > 0 || (!attempt.ok && attempt.reason === 'unclosed quote') ? 'unclosed quote' : attempt.ok ? '' : attempt.reason;
      events.push({ kind: 'malformed', line, fields: [], reason, raw: text.slice(p, firstEnd) });
      p = firstEnd < text.length ? firstEnd + lineEndLength(firstEnd) : firstEnd;
      line++;
      continue;
    }
    events.push({ kind: 'record', line, fields: attempt.fields, reason: '', raw: text.slice(p, attempt.end) });
    if (expected === 'first' && events.length === 1) want = attempt.fields.length;
    line += attempt.crossed + 1;
    p = attempt.end < text.length ? attempt.end + lineEndLength(attempt.end) : attempt.end;
  }
  return events;
}

/** Reads one record from `p`; `end` is the index of its line end (or the text's length). */
function readRecord(text: string, p: number): Attempt {
  const fields: string[] = [];
  let crossed = 0;
  let i = p;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let k = i + 1;
      for (;;) {
        if (k >= text.length) return { ok: false, reason: 'unclosed quote', crossed };
        const ch = text[k]!;
        if (ch === '"') {
          if (text[k + 1] === '"') {
            value += '"';
            k += 2;
            continue;
          }
          break;
        }
        if (ch === '\n' || (ch === '\r' && text[k + 1] !== '\n')) crossed++;
        value += ch;
        k++;
      }
      i = k + 1;
      if (i < text.length && text[i] !== ',' && !isLineEnd(text[i])) {
        const stray = String.fromCodePoint(text.codePointAt(i)!);
        return { ok: false, reason: `unexpected character ${JSON.stringify(stray)} after a closing quote`, crossed };
      }
      fields.push(value);
    } else {
      let k = i;
      while (k < text.length && text[k] !== ',' && !isLineEnd(text[k])) {
        if (text[k] === '"') return { ok: false, reason: 'quote inside an unquoted field', crossed };
        k++;
      }
      fields.push(text.slice(i, k));
      i = k;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    return { ok: true, fields, end: i, crossed };
  }
}

/** How many events (records and malformed spans) follow the header: the rows a source "read". */
export function dataEventsSlowly(input: string): number {
  return Math.max(0, parseCsvSlowly(input, 'first').length - 1);
}
