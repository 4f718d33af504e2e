import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** An npm package tarball read from disk: its bytes, its package.json and npm's two checksums. */
export interface PackageTarball {
  readonly bytes: Buffer;
  readonly manifest: { readonly name: string; readonly version: string; readonly [k: string]: unknown };
  readonly integrity: string;
  readonly shasum: string;
}

/** A tarball that is not an npm package (no readable package/package.json). */
export class TarballError extends Error {
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'TarballError';
  }
}

/** The entries of an uncompressed (ustar) tar archive, by name. */
function* tarEntries(tar: Buffer): Generator<{ name: string; body: Buffer }> {
  let at = 0;
  while (at + 512 <= tar.length && tar[at] !== 0) {
    const text = (from: number, len: number): string => tar.subarray(at + from, at + from + len).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const prefix = text(345, 155);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    yield { name, body: tar.subarray(at + 512, at + 512 + size) };
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/** Reads an npm package tarball (`npm pack` output) and its package.json. */
export function readPackageTarball(path: string): PackageTarball {
  const bytes = readFileSync(path);
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch (err) {
    throw new TarballError(path, `not gzip: ${(err as Error).message}`);
  }
  for (const e of tarEntries(tar)) {
    if (e.name.replace(/^[^/]+\//, '') !== 'package.json' || e.name.split('/').length !== 2) continue;
    const manifest = JSON.parse(e.body.toString('utf8')) as PackageTarball['manifest'];
    if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') throw new TarballError(path, 'package.json has no name or version');
    return {
      bytes,
      manifest,
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    };
  }
  throw new TarballError(path, 'no package/package.json inside');
}
