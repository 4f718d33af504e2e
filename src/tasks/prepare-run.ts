import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { CsvParser } from '../core/csv.js';
import { InvalidOptionError, SourceFileError } from '../core/errors.js';
import { headerOf, noHeader } from '../core/rows.js';
import { SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { Utf8Validator } from '../core/utf8.js';
import { isUrl, openSource, sourceLabel } from '../io/source.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { PrepareInput, PrepareResult, SourceDigest } from './contracts.js';
import { PREPARE_RUN_OPTIONS } from './options.js';

/**
 * `prepare_run(ctx, input)`: the fail-fast gate the orchestrator runs before fanning out. It
 * streams each of the four sources once and fails with one `SourceFileError` (permanent: no
 * retry) naming the file and what is wrong when a source is missing or unreadable, empty,
 * without a header, without `customer_id`, with duplicate or unnamed columns, or not valid UTF-8
 * (naming the line and byte of the first bad sequence). Otherwise it returns each file's size,
 * sha256 and header, and the run's `input_digest`. Row-level problems are not its business:
 * they become rejects in the shards.
 *
 * Invariant: when it succeeds, every shard can read every source's header, so no shard fails on a
 * file-level problem after fan-out (unless the files change in between; the digest tells).
 */
export const prepareRun = defineTask(
  PREPARE_RUN_OPTIONS,
  async (_ctx: TaskContext, input: PrepareInput): Promise<PrepareResult> => {
    const { data } = validatePrepareInput(input);
    if (!isUrl(data)) await checkLocalSources(data);
    const sources = {} as Record<SourceName, SourceDigest>;
    for (const source of SOURCE_NAMES) sources[source] = await inspectSource(data, source);
    return { input_digest: inputDigest(sources), sources };
  },
);

/** Checks a `PrepareInput` at the task boundary. */
export function validatePrepareInput(input: unknown): PrepareInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidOptionError(`PrepareInput must be a JSON object, got ${JSON.stringify(input)}`);
  }
  const data = (input as Record<string, unknown>)['data'];
  if (typeof data !== 'string' || data === '') {
    throw new InvalidOptionError(`PrepareInput.data must be a non-empty string, got ${JSON.stringify(data)}`);
  }
  return { data };
}

/**
 * The digest that names a run's input: sha256 over `<source>:<sha256 hex>\n` for crm, billing,
 * product and support in that order. Equal digests mean byte-identical sources.
 */
export function inputDigest(sources: Readonly<Record<SourceName, Pick<SourceDigest, 'sha256'>>>): string {
  const all = createHash('sha256');
  for (const source of SOURCE_NAMES) all.update(`${source}:${sources[source].sha256}\n`);
  return all.digest('hex');
}

/** A missing directory or file is told before any byte is hashed, all four at a glance. */
async function checkLocalSources(data: string): Promise<void> {
  try {
    if (!(await stat(data)).isDirectory()) throw new SourceFileError(data, 'is not a directory (the data location must hold crm.csv, billing.csv, product.csv, support.csv)');
  } catch (err) {
    if (err instanceof SourceFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceFileError(data, code === 'ENOENT' ? 'does not exist (no such data directory)' : `cannot be read (${code ?? String(err)})`);
  }
  const missing: string[] = [];
  for (const source of SOURCE_NAMES) {
    const label = sourceLabel(data, source);
    try {
      await stat(label);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') missing.push(label);
    }
  }
  if (missing.length > 0) {
    const others = missing.length > 1 ? ` (also missing: ${missing.slice(1).join(', ')})` : '';
    throw new SourceFileError(missing[0]!, `is missing${others}`);
  }
}

/** Streams one source once: size, sha256, header check, UTF-8 check. */
async function inspectSource(data: string, source: SourceName): Promise<SourceDigest> {
  const label = sourceLabel(data, source);
  const hash = createHash('sha256');
  const utf8 = new Utf8Validator();
  const parser = new CsvParser();
  let header: string[] | undefined;
  let bytes = 0;
  for await (const chunk of openSource(data, source)) {
    hash.update(chunk);
    bytes += chunk.length;
    const bad = utf8.push(chunk);
    if (bad >= 0) throw await notUtf8(data, source, bad);
    if (header === undefined) {
      for (const ev of parser.push(chunk)) {
        header = headerOf(label, ev);
        break;
      }
    }
  }
  const bad = utf8.end();
  if (bad >= 0) throw await notUtf8(data, source, bad);
  if (header === undefined) {
    for (const ev of parser.end()) {
      header = headerOf(label, ev);
      break;
    }
  }
  if (header === undefined) throw noHeader(label, bytes > 0);
  return { label, bytes, sha256: hash.digest('hex'), header };
}

/**
 * The error for a file that is not UTF-8 at byte `offset`: names the physical line (LF, CRLF
 * and lone CR each end one, as in rejects), the byte and its value. Counting lines needs the
 * bytes before the offset, so this error path reads the source again from the start.
 */
async function notUtf8(data: string, source: SourceName, offset: number): Promise<SourceFileError> {
  const label = sourceLabel(data, source);
  let found: { line: number; value: number | undefined; head: Buffer } = { line: 0, value: undefined, head: Buffer.alloc(0) };
  try {
    found = await lineOf(data, source, offset);
  } catch {
    // The second read failed: the message still names the byte offset.
  }
  const where = found.line > 0 ? `line ${found.line} (byte offset ${offset})` : `byte offset ${offset}`;
  const what = found.value !== undefined ? `byte 0x${found.value.toString(16).toUpperCase().padStart(2, '0')}` : 'an unfinished sequence';
  const { head } = found;
  const utf16 = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  const hint = utf16 ? 'it looks like UTF-16; export it as UTF-8' : 'export or convert it as UTF-8 (it may be Latin-1 / Windows-1252)';
  return new SourceFileError(label, `is not valid UTF-8: ${what} at ${where}; ${hint}`);
}

/** Physical line holding byte `offset`, the byte there, and the first bytes of the file. */
async function lineOf(data: string, source: SourceName, offset: number): Promise<{ line: number; value: number | undefined; head: Buffer }> {
  let line = 1;
  let at = 0;
  let pendingCr = false;
  let head: Buffer | undefined;
  let value: number | undefined;
  for await (const chunk of openSource(data, source)) {
    head ??= Buffer.from(chunk.subarray(0, 4));
    if (offset >= at && offset < at + chunk.length) value = chunk[offset - at];
    const end = Math.min(chunk.length, offset - at);
    for (let i = 0; i < end; i++) {
      const c = chunk[i];
      if (pendingCr) {
        pendingCr = false;
        if (c === 10) continue;
      }
      if (c === 10) line++;
      else if (c === 13) {
        line++;
        pendingCr = true;
      }
    }
    at += chunk.length;
    if (offset < at) break;
  }
  return { line, value, head: head ?? Buffer.alloc(0) };
}
