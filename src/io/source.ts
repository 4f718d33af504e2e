import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceFileError } from '../core/errors.js';
import { SOURCE_FILES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { fileChunks } from './file-chunks.js';
import { isStoreLocation, openStoreSource, storeSourceLabel } from './source-store.js';

/** Whether a data location is an http(s) base URL rather than a local directory. */
export function isUrl(data: string): boolean {
  return /^https?:\/\//i.test(data);
}

/** Whether a data location is remote (an http(s) base URL or an `s3://` prefix), not a local directory. */
export function isRemote(data: string): boolean {
  return isUrl(data) || isStoreLocation(data);
}

/**
 * Where a source lives, as shown in messages and reject reports: a path, or a URL without its
 * credentials and query string. Never throws (an unparsable URL is shown as `<invalid URL>`).
 */
export function sourceLabel(data: string, source: SourceName): string {
  if (isStoreLocation(data)) return storeSourceLabel(data, source);
  if (!isUrl(data)) return join(data, SOURCE_FILES[source]);
  try {
    return redactUrl(sourceUrl(data, source));
  } catch {
    return '<invalid URL>';
  }
}

/** The URL of a source under a base URL; a presigned prefix's query string is kept. */
export function sourceUrl(base: string, source: SourceName): string {
  const u = new URL(base);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  u.pathname += SOURCE_FILES[source];
  return u.toString();
}

/** A URL safe to print: no credentials, no query string (presigned signatures live there). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return '<invalid URL>';
  }
}

export interface OpenSourceOptions {
  /** An HTTP transfer that receives no byte for this long fails (retryably). Default 60 s. */
  readonly idleTimeoutMs?: number;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * Streams one source from a local directory (reused buffers, see `fileChunks`), an http(s) base
 * URL or `s3://bucket/prefix`. A missing file or a 4xx is a permanent `SourceFileError`; a refused
 * connection, 5xx/408/429 or a broken, stalled or short transfer is retryable. Messages name the
 * source by `sourceLabel`, without credentials.
 */
export async function* openSource(data: string, source: SourceName, options: OpenSourceOptions = {}): AsyncGenerator<Buffer> {
  if (isStoreLocation(data)) {
    yield* openStoreSource(data, source);
    return;
  }
  const label = sourceLabel(data, source);
  if (isUrl(data)) {
    yield* openHttp(data, source, label, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    return;
  }
  const path = join(data, SOURCE_FILES[source]);
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new SourceFileError(label, 'is not a regular file');
  } catch (err) {
    if (err instanceof SourceFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceFileError(label, code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(err)})`);
  }
  try {
    yield* fileChunks(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceFileError(label, `cannot be read (${code ?? String(err)})`);
  }
}

async function* openHttp(base: string, source: SourceName, label: string, idleTimeoutMs: number): AsyncGenerator<Buffer> {
  let target: URL;
  try {
    target = new URL(sourceUrl(base, source));
  } catch {
    throw new SourceFileError(label, 'is not a valid http(s) URL');
  }
  // fetch refuses URLs with credentials: send them as Basic auth instead (and never print them).
  const headers: Record<string, string> = {};
  if (target.username !== '' || target.password !== '') {
    const user = decodeURIComponent(target.username);
    const pass = decodeURIComponent(target.password);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  const secrets = [target.search, headers['authorization'] ?? ''].filter((s) => s.length > 1);
  const describe = (err: unknown): string => scrub(errorText(err), secrets);

  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(), idleTimeoutMs);
  };
  const idle = `no data for ${idleTimeoutMs / 1000} s`;
  arm();
  let res: Response;
  try {
    res = await fetch(target, { headers, signal: abort.signal });
  } catch (err) {
    clearTimeout(timer);
    throw new Error(`${label}: request failed: ${abort.signal.aborted ? idle : describe(err)}`);
  }
  if (!res.ok) {
    clearTimeout(timer);
    await res.body?.cancel().catch(() => undefined);
    const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (res.status === 404 || res.status === 410) throw new SourceFileError(label, `is missing (${status})`);
    if (res.status === 401 || res.status === 403) {
      throw new SourceFileError(label, `access was refused (${status}): check the URL's credentials or signature, which may have expired`);
    }
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      throw new SourceFileError(label, `cannot be read (${status})`);
    }
    throw new Error(`${label}: ${status}`);
  }
  // With a Content-Encoding, fetch decodes the body and Content-Length counts encoded bytes.
  const encoding = (res.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const lengthHeader = res.headers.get('content-length');
  const expected = encoding === 'identity' && lengthHeader !== null ? Number(lengthHeader) : NaN;
  let received = 0;
  try {
    if (res.body === null) return;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      clearTimeout(timer);
      received += chunk.byteLength;
      // The idle clock runs only while waiting on the network, not while the consumer works.
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      arm();
    }
  } catch (err) {
    throw new Error(`${label}: transfer broke after ${received} bytes: ${abort.signal.aborted ? idle : describe(err)}`);
  } finally {
    clearTimeout(timer);
  }
  if (Number.isFinite(expected) && received !== expected) {
    throw new Error(`${label}: transfer ended after ${received} of ${expected} bytes`);
  }
}

/** An error's message with its cause (undici hides the useful part there: "other side closed"). */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message !== '' && cause.message !== err.message) return `${err.message} (${cause.message})`;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}

/** Removes every occurrence of each secret (a query string, an auth header) from `text`. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('?<redacted>');
  return out;
}
