/** Connection URLs without their secrets: messages name a database only through `redactUrl` and `scrubSecrets`. */
import { PipelineError } from '../core/errors.js';

/** The environment variable the shards read their connection URL from (Render's convention). */
export const DATABASE_URL_ENV = 'DATABASE_URL';

/** What `npm start -- --sink postgres` uses when neither --database-url nor DATABASE_URL is set:
 * the local server's default superuser and maintenance database (no password). */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Placeholder shown where a secret was. */
const HIDDEN = '***';

/** A database URL that cannot be used (unset, unparseable, not postgres://). Permanent. */
export class DatabaseUrlError extends PipelineError {
  constructor(message: string) {
    super('DATABASE_URL', message, false);
  }
}

/** The URL with its password as `***` and query and fragment dropped; an unparseable text is never echoed. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '<unparseable database URL>';
  }
  const user = u.username === '' ? '' : `${u.username}${u.password === '' ? '' : `:${HIDDEN}`}@`;
  const query = u.search === '' && u.hash === '' ? '' : '?…';
  return `${u.protocol}//${user}${u.host}${u.pathname}${query}`;
}

/**
 * Removes secrets from a free text (a driver message): the URL, its password, secret-looking query
 * values and any `scheme://user:password@`. Newlines become spaces: one log line.
 */
export function scrubSecrets(text: string, url?: string): string {
  let out = text;
  if (url !== undefined && url !== '') {
    out = out.split(url).join(redactUrl(url));
    for (const secret of secretsOf(url)) out = out.split(secret).join(HIDDEN);
  }
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, `$1:${HIDDEN}@`);
  return out.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Password and query values of a URL, decoded and raw, long enough to replace safely. */
function secretsOf(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const found = new Set<string>();
  const add = (s: string): void => {
    // Very short values ("1", "on") would mangle unrelated words; they are not secrets anyway
    // once the URL itself is gone from the text.
    if (s.length >= 3) found.add(s);
  };
  if (u.password !== '') {
    add(u.password);
    add(safeDecode(u.password));
  }
  for (const [, value] of u.searchParams) add(value);
  return [...found].sort((a, b) => b.length - a.length);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Checks that `url` is a usable postgres:// URL and returns it. The error names the redacted
 * URL only (an unparseable one not at all).
 */
export function checkDatabaseUrl(url: string | undefined, from = DATABASE_URL_ENV): string {
  if (url === undefined || url.trim() === '') {
    throw new DatabaseUrlError(`${from} is not set: the PostgreSQL sink needs a postgres:// connection URL`);
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DatabaseUrlError(`${from} is not a URL (expected postgres://user:password@host:port/database)`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new DatabaseUrlError(`${from} must start with postgres:// or postgresql://, got ${redactUrl(url)}`);
  }
  if (u.hostname === '') {
    throw new DatabaseUrlError(`${from} names no host: ${redactUrl(url)}`);
  }
  return url;
}
