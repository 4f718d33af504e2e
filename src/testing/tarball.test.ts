import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TarballError, readPackageTarball } from './tarball.js';

/** A package tarball as `npm pack` lays it out (package/…), made with the system's tar. */
function packed(manifest: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'tarball-'));
  mkdirSync(join(dir, 'package', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'package', 'lib', 'package.json'), '{"name":"not-this-one"}');
  writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify(manifest));
  execFileSync('tar', ['czf', join(dir, 'p.tgz'), '-C', dir, 'package/lib/package.json', 'package/package.json']);
  return join(dir, 'p.tgz');
}

describe('readPackageTarball', () => {
  it("reads the top package.json and npm's sha512 integrity and sha1 shasum of the file", () => {
    const path = packed({ name: '@scope/pkg', version: '1.2.3', dependencies: { a: '^1' } });
    const t = readPackageTarball(path);
    expect(t.manifest).toEqual({ name: '@scope/pkg', version: '1.2.3', dependencies: { a: '^1' } });
    const bytes = readFileSync(path);
    expect(t.integrity).toBe(`sha512-${createHash('sha512').update(bytes).digest('base64')}`);
    expect(t.shasum).toBe(createHash('sha1').update(bytes).digest('hex'));
  });

  it('names the file when it is not gzip, or holds no package.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tarball-'));
    writeFileSync(join(dir, 'plain.tgz'), 'not gzip');
    expect(() => readPackageTarball(join(dir, 'plain.tgz'))).toThrow(TarballError);
    expect(() => readPackageTarball(join(dir, 'plain.tgz'))).toThrow(`${join(dir, 'plain.tgz')}: not gzip`);
    writeFileSync(join(dir, 'empty.tgz'), gzipSync(Buffer.alloc(1024)));
    expect(() => readPackageTarball(join(dir, 'empty.tgz'))).toThrow(`${join(dir, 'empty.tgz')}: no package/package.json inside`);
  });
});
