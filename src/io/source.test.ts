import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceFileError, isPermanent } from '../core/errors.js';
import { SOURCE_NAMES } from '../core/schema.js';
import { FixtureServer } from '../testing/fixture-server.js';
import type { Behaviour } from '../testing/fixture-server.js';
import { isUrl, openSource, redactUrl, sourceLabel, sourceUrl } from './source.js';
import { unusedPort } from '../testing/net.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'tutorial-2000');
const SECRET = 'X-Sig=TOPSECRET123';

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of gen) parts.push(b);
  return Buffer.concat(parts);
}

async function failure(gen: AsyncIterable<Buffer>): Promise<Error> {
  try {
    await collect(gen);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the transfer to fail');
}

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(plan?: (path: string, n: number) => Behaviour): Promise<string> {
  server = new FixtureServer(fixture, plan);
  return server.start();
}

describe('HTTP data location: what a shard reads', () => {
  it('streams each source byte for byte, keeping the query string on the request only', async () => {
    const base = await serve();
    const data = `${base}/bucket/run-1/?${SECRET}`;
    for (const s of SOURCE_NAMES) {
      const got = await collect(openSource(data, s));
      expect(got.equals(await readFile(join(fixture, `${s}.csv`)))).toBe(true);
    }
    expect(server?.requests.map((r) => r.url)).toEqual(SOURCE_NAMES.map((s) => `/bucket/run-1/${s}.csv?${SECRET}`));
    expect(sourceLabel(data, 'crm')).toBe(`${base}/bucket/run-1/crm.csv`);
  });

  it('accepts a gzip-encoded body whose Content-Length counts encoded bytes', async () => {
    const base = await serve(() => ({ kind: 'gzip' }));
    const got = await collect(openSource(base, 'support'));
    expect(got.equals(await readFile(join(fixture, 'support.csv')))).toBe(true);
  });

  it('a transfer broken midway is a retryable error naming the URL without its query string', async () => {
    const base = await serve(() => ({ kind: 'break', afterBytes: 5000 }));
    const err = await failure(openSource(`${base}/p?${SECRET}`, 'crm'));
    expect(isPermanent(err)).toBe(false);
    expect(err.message).toMatch(new RegExp(`^${base}/p/crm\\.csv: transfer (broke after \\d+ bytes|ended after \\d+ of \\d+ bytes)`));
    expect(err.message).not.toContain('TOPSECRET');
  });

  it('a stalled transfer fails (retryably) after the idle timeout instead of hanging the shard', async () => {
    const base = await serve(() => ({ kind: 'stall' }));
    const t0 = Date.now();
    const err = await failure(openSource(base, 'billing', { idleTimeoutMs: 300 }));
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(isPermanent(err)).toBe(false);
    expect(err.message).toBe(`${base}/billing.csv: transfer broke after 10 bytes: no data for 0.3 s`);
  });

  it('a 404 is a permanent error naming the URL without its query string', async () => {
    const base = await serve(() => ({ kind: 'status', status: 404 }));
    const err = await failure(openSource(`${base}/data?${SECRET}`, 'product'));
    expect(err).toBeInstanceOf(SourceFileError);
    expect(isPermanent(err)).toBe(true);
    expect(err.message).toBe(`${base}/data/product.csv: is missing (HTTP 404 Not Found)`);
  });

  it('a refused signature (403) is permanent and says why', async () => {
    const base = await serve(() => ({ kind: 'status', status: 403 }));
    const err = await failure(openSource(`${base}/?${SECRET}`, 'crm'));
    expect(isPermanent(err)).toBe(true);
    expect(err.message).toMatch(/crm\.csv: access was refused \(HTTP 403 Forbidden\)/);
    expect(err.message).not.toContain('TOPSECRET');
  });

  it.each([500, 503, 429, 408])('HTTP %i is retryable', async (status) => {
    const base = await serve(() => ({ kind: 'status', status }));
    const err = await failure(openSource(base, 'crm'));
    expect(isPermanent(err)).toBe(false);
    expect(err.message).toMatch(new RegExp(`^${base}/crm\\.csv: HTTP ${status}`));
  });

  it('other 4xx statuses are permanent', async () => {
    const base = await serve(() => ({ kind: 'status', status: 400 }));
    expect(isPermanent(await failure(openSource(base, 'crm')))).toBe(true);
  });

  it('a refused connection is retryable and names the URL', async () => {
    const port = await unusedPort();
    const err = await failure(openSource(`http://127.0.0.1:${port}/d?${SECRET}`, 'crm'));
    expect(isPermanent(err)).toBe(false);
    expect(err.message).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/d/crm\\.csv: request failed: `));
    expect(err.message).not.toContain('TOPSECRET');
  });

  it('credentials in the URL go out as Basic auth and are never printed', async () => {
    const base = await serve((_p, n) => (n === 0 ? { kind: 'serve' } : { kind: 'status', status: 404 }));
    const withCreds = base.replace('http://', 'http://reader:p%40ss@');
    await collect(openSource(withCreds, 'crm'));
    expect(server?.requests[0]?.authorization).toBe(`Basic ${Buffer.from('reader:p@ss').toString('base64')}`);
    const err = await failure(openSource(withCreds, 'billing'));
    expect(err.message).toBe(`${base}/billing.csv: is missing (HTTP 404 Not Found)`);
    expect(err.message).not.toMatch(/reader|p%40ss|p@ss/);
  });

  it('an unparsable URL is a permanent error, and its label never throws', async () => {
    expect(sourceLabel('http://', 'crm')).toBe('<invalid URL>');
    const err = await failure(openSource('http://', 'crm'));
    expect(err).toBeInstanceOf(SourceFileError);
    expect(err.message).toBe('<invalid URL>: is not a valid http(s) URL');
  });
});

describe('URL helpers', () => {
  it('isUrl tells URLs from paths', () => {
    expect(isUrl('https://x/y')).toBe(true);
    expect(isUrl('HTTP://x')).toBe(true);
    expect(isUrl('data')).toBe(false);
    expect(isUrl('/abs/https://x')).toBe(false);
  });

  it('sourceUrl appends the file name to the prefix path and keeps the query', () => {
    expect(sourceUrl('https://h/a/b?sig=1', 'crm')).toBe('https://h/a/b/crm.csv?sig=1');
    expect(sourceUrl('https://h/a/b/', 'support')).toBe('https://h/a/b/support.csv');
  });

  it('redactUrl drops credentials, query and fragment', () => {
    expect(redactUrl('https://u:p@h/a/crm.csv?sig=1#f')).toBe('https://h/a/crm.csv');
    expect(redactUrl('not a url')).toBe('<invalid URL>');
  });
});

