import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CsvParser, firstHeader, noHeader, Utf8Validator } from '../engine/index.js';
import { SourceFileError } from '../core/errors.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { isRemote, openSource, sourceLabel } from './source.js';
import { compiledPath } from '../runtime/compiled.js';

/** What `prepare_run` learnt about one source while streaming it once. */
export interface SourceDigest {
  /** The file as named in messages (a path, or a URL without its query string). */
  readonly label: string;
  readonly bytes: number;
  /** sha256 of the file's bytes, hex. */
  readonly sha256: string;
  /** Column names, trimmed, as the shards will read them. */
  readonly header: string[];
}

/**
 * Local sources of at least this many bytes together are inspected on two threads: this one and
 * a worker thread, each streaming about half the bytes (hashing and the UTF-8 check run on the
 * thread that reads). Below this, the thread's start-up is not worth it (docs/engine-notes.md).
 * Remote sources are inspected one after another.
 */
export const INSPECT_THREAD_FROM_BYTES = 8 << 20;

/** What inspecting one source gave, as a thread can send it: its digest, or its error. */
export type InspectOutcome =
  | { readonly ok: true; readonly digest: SourceDigest }
  | { readonly ok: false; readonly message: string; readonly file?: string };

/**
 * Inspects the four sources (`inspectSource`) and returns their digests; when one fails, throws
 * the error of the first failing source in SOURCE_NAMES order, as inspecting them one after
 * another does. Uses a second thread from `threadFromBytes` bytes of local input; a source
 * inspected on it fails with the same `SourceFileError` (or, for anything else, an Error with
 * the same message).
 */
export async function inspectSources(data: string, threadFromBytes = INSPECT_THREAD_FROM_BYTES): Promise<Record<SourceName, SourceDigest>> {
  const sources = {} as Record<SourceName, SourceDigest>;
  const groups = isRemote(data) ? undefined : await splitByBytes(data, threadFromBytes);
  if (groups === undefined) {
    for (const source of SOURCE_NAMES) sources[source] = await inspectSource(data, source);
    return sources;
  }
  const [mine, theirs] = groups;
  const inThread = inspectInThread(data, theirs);
  const results = new Map<SourceName, SourceDigest | Error>();
  for (const source of mine) results.set(source, await inspectSource(data, source).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
  for (const [source, o] of await inThread) results.set(source, o.ok ? o.digest : o.file !== undefined ? new SourceFileError(o.file, o.message.slice(o.file.length + 2)) : new Error(o.message));
  for (const source of SOURCE_NAMES) {
    const r = results.get(source);
    if (r === undefined) throw new Error(`internal: ${source} was not inspected`);
    if (r instanceof Error) throw r;
    sources[source] = r;
  }
  return sources;
}

/**
 * Two groups of sources of about equal bytes, or undefined when the input is too small to split
 * or a file cannot be sized (inspecting it one after another then says what is wrong).
 */
async function splitByBytes(data: string, threadFromBytes: number): Promise<[SourceName[], SourceName[]] | undefined> {
  let sized: { s: SourceName; bytes: number }[];
  try {
    sized = await Promise.all(SOURCE_NAMES.map(async (s) => ({ s, bytes: (await stat(join(data, SOURCE_FILES[s]))).size })));
  } catch {
    return undefined;
  }
  if (sized.reduce((n, x) => n + x.bytes, 0) < threadFromBytes) return undefined;
  const groups: [SourceName[], SourceName[]] = [[], []];
  const load = [0, 0];
  for (const { s, bytes } of sized.sort((a, b) => b.bytes - a.bytes)) {
    const g = load[0]! <= load[1]! ? 0 : 1;
    groups[g].push(s);
    load[g]! += bytes;
  }
  return groups;
}

/** Inspects `sources` one after another on a worker thread; a thread that dies fails them all. */
function inspectInThread(data: string, sources: readonly SourceName[]): Promise<[SourceName, InspectOutcome][]> {
  return new Promise((resolve) => {
    const worker = new Worker(compiledPath(import.meta.url, 'inspect-thread.js'), { workerData: { data, sources } });
    let answered = false;
    const fail = (message: string): void => {
      if (answered) return;
      answered = true;
      resolve(sources.map((s) => [s, { ok: false, message }]));
    };
    worker.once('message', (m: [SourceName, InspectOutcome][]) => {
      answered = true;
      resolve(m);
    });
    worker.once('error', (err) => fail(`inspecting ${sources.join(', ')} on a worker thread failed: ${err.message}`));
    worker.once('exit', (code) => fail(`the worker thread inspecting ${sources.join(', ')} exited (code ${code}) without an answer`));
  });
}

/** `inspectSource` as an outcome instead of a throw. */
export async function outcomeOf(data: string, source: SourceName): Promise<InspectOutcome> {
  try {
    return { ok: true, digest: await inspectSource(data, source) };
  } catch (err) {
    if (err instanceof SourceFileError) return { ok: false, message: err.message, file: err.file };
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** Streams one source once: size, sha256, header check, UTF-8 check. */
export async function inspectSource(data: string, source: SourceName): Promise<SourceDigest> {
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
    header ??= firstHeader(parser, label, chunk);
  }
  const bad = utf8.end();
  if (bad >= 0) throw await notUtf8(data, source, bad);
  header ??= firstHeader(parser, label, undefined);
  if (header === undefined) throw noHeader(label, bytes > 0);
  return { label, bytes, sha256: hash.digest('hex'), header };
}

/**
 * The error for a file that is not UTF-8 at byte `offset`: names the physical line (LF, CRLF
 * and lone CR each end one, as in rejects), the byte and its value. Counting lines needs the
 * bytes before the offset, so this error path reads the source again from the start.
 */
export async function notUtf8(data: string, source: SourceName, offset: number): Promise<SourceFileError> {
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
