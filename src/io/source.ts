import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceFileError } from '../core/errors.js';
import { SOURCE_FILES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';

/** Whether a data location is an http(s) base URL rather than a local directory. */
export function isUrl(data: string): boolean {
  return /^https?:\/\//i.test(data);
}

/** Where a source lives, as shown in messages: a path, or a URL without its query string. */
export function sourceLabel(data: string, source: SourceName): string {
  return isUrl(data) ? redactUrl(sourceUrl(data, source)) : join(data, SOURCE_FILES[source]);
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
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

/**
 * Streams the bytes of one source from a local directory or an http(s) base URL. A missing or
 * unreadable file is a permanent `SourceFileError`; an HTTP transfer that breaks midway rejects
 * with an ordinary (retryable) error, so the attempt fails and a retry starts clean.
 */
export async function* openSource(data: string, source: SourceName): AsyncGenerator<Buffer> {
  const label = sourceLabel(data, source);
  if (isUrl(data)) {
    let res: Response;
    try {
      res = await fetch(sourceUrl(data, source));
    } catch (err) {
      throw new Error(`${label}: request failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.status === 404) throw new SourceFileError(label, 'is missing (HTTP 404)');
    if (!res.ok || res.body === null) {
      const e = new Error(`${label}: HTTP ${res.status} ${res.statusText}`);
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        throw new SourceFileError(label, `cannot be read (HTTP ${res.status})`);
      }
      throw e;
    }
    const expected = Number(res.headers.get('content-length') ?? NaN);
    let received = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        received += chunk.byteLength;
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    } catch (err) {
      throw new Error(`${label}: transfer broke after ${received} bytes: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (Number.isFinite(expected) && received !== expected) {
      throw new Error(`${label}: transfer ended after ${received} of ${expected} bytes`);
    }
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
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceFileError(label, `cannot be read (${code ?? String(err)})`);
  }
}
