import { describe, expect, it } from 'vitest';
import { thrownBy } from '../testing/rejection.js';
import { DatabaseUrlError, checkDatabaseUrl, redactUrl, scrubSecrets } from './postgres-url.js';

describe('redactUrl never shows a password or a query', () => {
  it('replaces the password with *** and drops the query', () => {
    expect(redactUrl('postgres://app:s3cr%40t@db.internal:5432/profiles?sslmode=require&sslpassword=zz')).toBe(
      'postgres://app:***@db.internal:5432/profiles?…',
    );
  });
  it('keeps a URL without secrets as it is', () => {
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });
  it('never echoes text that is not a URL', () => {
    expect(redactUrl('host=db password=hunter2')).toBe('<unparseable database URL>');
  });
});

describe('scrubSecrets removes credentials from driver messages', () => {
  const url = 'postgresql://loader:pa55word!@db:5432/prod?sslkey=/k/secret.key';
  it('removes the URL, the password and query values wherever they occur, on one line', () => {
    const msg = `failed for ${url}\nhint: password pa55word! rejected; key /k/secret.key`;
    const out = scrubSecrets(msg, url);
    expect(out).not.toContain('pa55word');
    expect(out).not.toContain('secret.key');
    expect(out).not.toContain('\n');
    expect(out).toContain('postgresql://loader:***@db:5432/prod?…');
  });
  it('removes the password part of any other URL in the text', () => {
    expect(scrubSecrets('see postgres://x:other@h/db now')).toBe('see postgres://x:***@h/db now');
  });
});

describe('checkDatabaseUrl', () => {
  it.each([undefined, '', '   '])('refuses an unset URL (%j) with a permanent error', (url) => {
    const err = thrownBy(() => checkDatabaseUrl(url));
    expect(err).toBeInstanceOf(DatabaseUrlError);
    expect((err as DatabaseUrlError).retryable).toBe(false);
    expect(err.message).toBe('DATABASE_URL is not set: the PostgreSQL sink needs a postgres:// connection URL');
  });
  it('refuses other schemes without echoing the password', () => {
    const err = thrownBy(() => checkDatabaseUrl('mysql://u:topsecret@h/db'));
    expect(err.message).toBe('DATABASE_URL must start with postgres:// or postgresql://, got mysql://u:***@h/db');
    expect(err.message).not.toContain('topsecret');
  });
  it('refuses a non-URL without echoing it', () => {
    const err = thrownBy(() => checkDatabaseUrl('user=a password=hunter2', '--database-url'));
    expect(err).toBeInstanceOf(DatabaseUrlError);
    expect(err.message).toBe('--database-url is not a URL (expected postgres://user:password@host:port/database)');
    expect(err.message).not.toContain('hunter2');
  });
  it('accepts postgres:// and postgresql://', () => {
    expect(checkDatabaseUrl('postgres://h/db')).toBe('postgres://h/db');
    expect(checkDatabaseUrl('postgresql://u:p@h:1/db')).toBe('postgresql://u:p@h:1/db');
  });
});
