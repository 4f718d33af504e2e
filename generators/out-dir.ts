/**
 * Makes the generator's output folder one level at a time, so a parent that refuses new folders
 * (`/proc`, a file, a read-only mount) fails at once with the path named, instead of looping.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutDirError } from './errors.js';

/** The folders from the root down to `path` (absolute). */
function levels(path: string): string[] {
  const chain: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) return chain;
  }
}

/** Creates `out` and any missing parents; throws {@link OutDirError} naming the level that failed. */
export async function makeOutDir(out: string): Promise<void> {
  for (const level of levels(out)) {
    const found = await stat(level).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new OutDirError(out, level, err.code ?? 'EIO');
    });
    if (found?.isDirectory() === true) continue;
    if (found !== undefined) throw new OutDirError(out, level, level === resolve(out) ? 'EEXIST' : 'ENOTDIR');
    try {
      await mkdir(level);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'EEXIST' && (await stat(level).catch(() => undefined))?.isDirectory() === true) continue;
      throw new OutDirError(out, level, code);
    }
  }
}
