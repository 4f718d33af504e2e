import { CsvParser } from './csv.js';
import type { CsvSink } from './csv.js';
import type { RawBuffer } from './arena.js';
import { SourceFileError } from '../core/errors.js';
import { ENRICHMENT_FIELDS } from '../core/enrich.js';
import { Picks } from './picks.js';
import type { Merger } from './merge.js';
import { SOURCE_FIELDS, SOURCE_INDEX, checkValue } from '../core/schema.js';
import { RecordTranscoder, encodedBound } from './transcode.js';
import type { SourceRow } from './source-row.js';
import type { FieldKind, FieldValue, SourceFields, SourceName } from '../core/schema.js';

/** A row that could not be used, with everything needed to find and fix it. */
export interface Reject {
  readonly kind: 'reject';
  readonly source: SourceName;
  readonly file: string;
  readonly line: number;
  /** The column at fault, when one is. */
  readonly field?: string;
  readonly reason: string;
  readonly raw: string;
  /** The id the row would have had, when it can be told (used to pick the owning shard). */
  readonly customerId?: string;
}

export type RowEvent = SourceRow | Reject;

export interface ReadRowsOptions {
  /** Name used in messages (a path or URL). */
  readonly file: string;
  readonly source: SourceName;
  /**
   * Keeps only the rows (and rejects) whose id this returns true for. Records are routed on their
   * id alone: the other fields of a record that is not kept are never decoded or typed.
   * Rejects whose id cannot be told are passed `undefined`.
   */
  readonly keep?: (customerId: string | undefined) => boolean;
  /** Each record starts with a column of the reader's own (a partition slice's), read by this. */
  readonly leading?: LeadingColumn;
  /**
   * Hands accepted rows to this Merger instead of yielding them (batches then hold only rejects).
   * Records of the common shapes are transcoded from their bytes straight into the Merger's
   * arena (see transcode.ts); the others take the general path. Same rows, same rejects.
   */
  readonly into?: Merger;
}

/**
 * A column that each record carries before the source's own columns, saying where the record came
 * from: its line in the original file, or that it stands for a line already rejected there.
 */
export interface LeadingColumn {
  /** The line a record's leading cell names, read from its bytes at `at` (where the record starts). */
  lineAt(buf: Buffer, at: number): number;
  /** The same from the cell's text. */
  lineOf(cell: string): number;
  /** Whether a record whose leading cell named `line` stands for a line already rejected. */
  isRejected(line: number): boolean;
  /** The reject such a record carries, from its line and all its cells. */
  rejectOf(line: number, cells: readonly string[]): { readonly line: number; readonly reason: string; readonly raw: string };
}

/**
 * Turns a byte stream of one source CSV into typed rows and rejects, in file order, a batch per
 * input chunk (one async step per chunk, not per row: the data path's hot loop). File-level
 * problems (empty, no header, no `customer_id`, duplicate or empty column names) throw a
 * `SourceFileError`; row-level problems become `Reject`s and reading goes on.
 */
export async function* readRowBatches(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  options: ReadRowsOptions,
): AsyncGenerator<RowEvent[]> {
  const { file, source, keep, into } = options;
  /** The parser decodes only the id column; the rest is decoded on demand. */
  const partial = keep !== undefined || into !== undefined;
  const sourceIndex = SOURCE_INDEX[source];
  const picks = new Picks();
  let transcoder: RecordTranscoder | undefined;
  const lead = options.leading;
  const off = lead === undefined ? 0 : 1;
  const parser = new CsvParser();
  const known = SOURCE_FIELDS[source];
  let header: string[] | undefined;
  let kinds: (FieldKind | undefined)[] = [];
  /** Per column: whether enrichment reads it. */
  let picked: boolean[] = [];
  let idIndex = -1;
  let sawBytes = false;
  let batch: RowEvent[] = [];

  /** The raw text of the record `buf[start..end)`, without its leading column. */
  const rawOf = (buf: Buffer, start: number, end: number): string => {
    const raw = buf.toString('utf8', start, end);
    return off === 0 ? raw : raw.slice(raw.indexOf(',') + 1);
  };

  /**
   * The record `buf[start..end)` just parsed, at `line` of the original file, with its trimmed id
   * (undefined when it has none); `cells` are its fields as the parser gave them (all of them
   * unless `partial`).
   */
  const accept = (line: number, knownId: string | undefined, cells: string[], buf: Buffer, start: number, end: number): void => {
    // Records come only after the header (this tells the compiler so inside the closure).
    if (header === undefined) return;
    if (lead !== undefined && lead.isRejected(line)) {
      const was = lead.rejectOf(line, partial ? parser.allFields() : cells);
      const id = leadingId(was.raw);
      if (keep !== undefined && !keep(id)) return;
      batch.push(reject(source, file, was.line, was.reason, was.raw, undefined, id));
      return;
    }
    if (keep !== undefined && !keep(knownId)) return;
    if (transcoder !== undefined && knownId !== undefined) {
      const arena = into!.arena;
      arena.reserve(encodedBound(end - start, transcoder.keyBytes));
      const written = transcoder.encode(buf, start, end, arena.buf, arena.pos, picks);
      if (written >= 0) {
        into!.addEncoded(sourceIndex, knownId, arena.pos, written, picks);
        return;
      }
    }
    if (partial) cells = parser.allFields();
    const n = cells.length - off;
    if (n !== header.length) {
      batch.push(reject(source, file, line, `has ${n} field${n === 1 ? '' : 's'}, the header has ${header.length}`, rawOf(buf, start, end), undefined, knownId));
      return;
    }
    if (knownId === undefined) {
      batch.push(reject(source, file, line, 'customer_id is empty', rawOf(buf, start, end), 'customer_id'));
      return;
    }
    // The fields object lives only long enough to be serialised (a young object, cheap to
    // collect); what is kept is its JSON text, one flat string.
    const fields: SourceFields = {};
    let pick: SourceFields | undefined;
    for (let c = off; c < cells.length; c++) {
      if (c === idIndex) continue;
      const text = cells[c]!;
      if (text === '') continue;
      const h = c - off;
      const name = header[h]!;
      const kind = kinds[h];
      let v: FieldValue = text;
      if (kind !== undefined) {
        const checked = checkValue(kind, text);
        if (typeof checked === 'object') {
          batch.push(reject(source, file, line, `${name} ${checked.error}`, rawOf(buf, start, end), name, knownId));
          return;
        }
        v = checked;
      }
      fields[name] = v;
      if (picked[h] === true) (pick ??= {})[name] = v;
    }
    const row: SourceRow = { kind: 'row', source, line, customerId: knownId, json: JSON.stringify(fields), pick: pick ?? NO_PICK };
    if (into !== undefined) into.add(row);
    else batch.push(row);
  };

  const sink: CsvSink = {
    // A plain line (routeOnly is set only when `partial`): its id comes as bytes, ASCII and trimmed.
    plain: (buf, start, end, idStart, idEnd, line) =>
      accept(lead === undefined ? line : lead.lineAt(buf, start), (buf as RawBuffer).latin1Slice(idStart, idEnd), NO_CELLS, buf, start, end),
    record: (cells, line, buf, start, end) => {
      if (header === undefined) {
        header = headerOf(file, off === 0 ? cells : cells.slice(1));
        idIndex = header.indexOf('customer_id') + off;
        kinds = header.map((h) => known[h]);
        picked = header.map((h) => ENRICHMENT_FIELDS[source].includes(h));
        parser.expectFields(header.length + off);
        if (partial) parser.routeOnly(idIndex);
        if (into !== undefined) transcoder = new RecordTranscoder(source, header, idIndex - off, off === 1);
        return;
      }
      const at = lead === undefined ? line : partial ? lead.lineAt(buf, start) : lead.lineOf(cells[0]!);
      const id = cells.length > idIndex ? cells[idIndex]!.trim() : undefined;
      accept(at, id === '' ? undefined : id, cells, buf, start, end);
    },
    malformed: (line, reason, raw) => {
      if (header === undefined) throw malformedHeader(file, line, reason, raw);
      const id = leadingId(raw);
      if (keep !== undefined && !keep(id)) return;
      batch.push(reject(source, file, line, reason, raw, undefined, id));
    },
  };

  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length > 0) sawBytes = true;
    parser.push(buf, sink);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  parser.end(sink);
  if (header === undefined) throw noHeader(file, sawBytes);
  if (batch.length > 0) yield batch;
}

/** What a plain line's cells are before `allFields` (only read when not `partial`, which a plain line never is). */
const NO_CELLS: string[] = [];

/** The pick of a row without enrichment fields: shared, never written to. */
const NO_PICK: SourceFields = Object.freeze({}) as SourceFields;

/** `readRowBatches`, one event at a time: for callers that value simplicity over speed. */
export async function* readRows(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  options: ReadRowsOptions,
): AsyncGenerator<RowEvent> {
  for await (const batch of readRowBatches(chunks, options)) yield* batch;
}

/**
 * The header of a source from the fields of its first record: trimmed column names, checked.
 * Throws a `SourceFileError` when the names are unusable (see checkHeader).
 */
export function headerOf(file: string, fields: readonly string[]): string[] {
  const header = fields.map((h) => h.trim());
  checkHeader(file, header);
  return header;
}

/** The error for a source whose first line (on `line`) is malformed. */
export function malformedHeader(file: string, line: number, reason: string, raw: string): SourceFileError {
  return new SourceFileError(file, `header on line ${line} is malformed: ${reason}: ${JSON.stringify(raw.slice(0, 200))}`);
}

const LF = 10;

/**
 * Feeds `chunk` of a source (undefined: the end of its input) to `parser` and returns the header
 * (see headerOf) once the first line is complete, else undefined; for readers that want only the
 * header, so the chunk is fed a line at a time and nothing after the header is parsed. Throws
 * like headerOf, or `malformedHeader` when the first line is malformed.
 */
export function firstHeader(parser: CsvParser, file: string, chunk: Buffer | undefined): string[] | undefined {
  let header: string[] | undefined;
  const sink: CsvSink = {
    record: (fields) => {
      header ??= headerOf(file, fields);
    },
    malformed: (line, reason, raw) => {
      if (header === undefined) throw malformedHeader(file, line, reason, raw);
    },
  };
  if (chunk === undefined) {
    parser.end(sink);
    return header;
  }
  for (let from = 0; header === undefined && from < chunk.length; ) {
    const lf = chunk.indexOf(LF, from);
    const to = lf < 0 ? chunk.length : lf + 1;
    parser.push(chunk.subarray(from, to), sink);
    from = to;
  }
  return header;
}

/** The error for a source that yielded no header: 0 bytes, or only a BOM and empty lines. */
export function noHeader(file: string, sawBytes: boolean): SourceFileError {
  return new SourceFileError(file, sawBytes ? 'has no header line (only empty lines)' : 'is empty (0 bytes, no header line)');
}

function reject(
  source: SourceName,
  file: string,
  line: number,
  reason: string,
  raw: string,
  field?: string,
  customerId?: string,
): Reject {
  return {
    kind: 'reject',
    source,
    file,
    line,
    reason,
    raw,
    ...(field !== undefined ? { field } : {}),
    ...(customerId !== undefined ? { customerId } : {}),
  };
}

/**
 * A usable header names every column, each once, and has `customer_id`. Messages say which
 * column (1-based) is at fault, since a spreadsheet user counts columns, not bytes.
 */
export function checkHeader(file: string, header: readonly string[]): void {
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    if (h === '') {
      const hint = i === header.length - 1 && i > 0 ? ' (a trailing comma?)' : '';
      throw new SourceFileError(file, `column ${i + 1} of the header has no name${hint}`);
    }
    const before = seen.get(h);
    if (before !== undefined) {
      throw new SourceFileError(file, `duplicate column name ${JSON.stringify(h)} in the header (columns ${before + 1} and ${i + 1})`);
    }
    seen.set(h, i);
  });
  if (!seen.has('customer_id')) {
    const shown = header.join(',');
    throw new SourceFileError(
      file,
      `has no customer_id column (header: ${JSON.stringify(shown.length > 200 ? `${shown.slice(0, 200)}…` : shown)})`,
    );
  }
}

/** The id a malformed line most likely carries: its first field, when unquoted and non-empty. */
export function leadingId(raw: string): string | undefined {
  const comma = raw.indexOf(',');
  const first = (comma < 0 ? raw : raw.slice(0, comma)).trim();
  return first === '' || first.includes('"') ? undefined : first;
}
