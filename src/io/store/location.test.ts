import { describe, expect, it } from 'vitest';
import { formatLocation, isStoreDescriptor, parseLocation, StoreError } from './index.js';

describe('store locations', () => {
  it('reads s3:// locations into bucket and prefix, and writes them back', () => {
    expect(parseLocation('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
    expect(parseLocation('s3://my-bucket/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
    expect(parseLocation('s3://my.bucket-2/runs/2026/')).toEqual({ kind: 's3', bucket: 'my.bucket-2', prefix: 'runs/2026' });
    expect(formatLocation(parseLocation('s3://my-bucket/runs/a'))).toBe('s3://my-bucket/runs/a');
    expect(formatLocation(parseLocation('s3://my-bucket'))).toBe('s3://my-bucket');
  });

  it('reads local paths and file:// URLs as absolute folders', () => {
    expect(parseLocation('out/run1', '/work/x')).toEqual({ kind: 'local', root: '/work/x/out/run1' });
    expect(parseLocation('/data/in/')).toEqual({ kind: 'local', root: '/data/in' });
    expect(parseLocation('file:///data/in')).toEqual({ kind: 'local', root: '/data/in' });
  });

  it('refuses a bad location with one line naming it', () => {
    const cases: [string, string][] = [
      ['gs://bucket/p', 'gs://bucket/p: unsupported scheme "gs:"; use s3://bucket/prefix or a local folder'],
      ['s3://Upper/p', 's3://Upper/p: bucket name "Upper" is not valid (3-63 lower-case letters, digits, dots, hyphens)'],
      ['s3://', 's3://: bucket name "" is not valid (3-63 lower-case letters, digits, dots, hyphens)'],
      ['s3://bkt/a//b', 's3://bkt/a//b: prefix "a//b" has an empty, "." or ".." segment'],
      ['s3://bkt/../etc', 's3://bkt/../etc: prefix "../etc" has an empty, "." or ".." segment'],
      ['', '"": a store location cannot be empty'],
    ];
    for (const [location, message] of cases) {
      let err: unknown;
      try {
        parseLocation(location);
      } catch (e) {
        err = e;
      }
      expect(err, location).toBeInstanceOf(StoreError);
      expect((err as StoreError).message).toBe(message);
      expect((err as StoreError).code).toBe('STORE_BAD_LOCATION');
    }
  });

  it('recognises descriptors received as JSON, and nothing else', () => {
    expect(isStoreDescriptor(JSON.parse(JSON.stringify(parseLocation('s3://bkt/p'))))).toBe(true);
    expect(isStoreDescriptor({ kind: 'local', root: '/x' })).toBe(true);
    expect(isStoreDescriptor({ kind: 's3', bucket: 'bkt' })).toBe(false);
    expect(isStoreDescriptor({ kind: 'gcs', bucket: 'bkt', prefix: '' })).toBe(false);
    expect(isStoreDescriptor('s3://bkt')).toBe(false);
  });
});
