import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** What a fresh clone of the project needs to run `npm ci` and the compiled Render entry. */
const CLONED = ['package.json', 'package-lock.json', join('dist', 'src')];

/**
 * Makes `dir` (emptied first) a stand-in for a fresh clone that has been built: package.json, the
 * lockfile and the compiled dist/src of the project at `root`, and nothing installed.
 */
export function scratchClone(root: string, dir: string): string {
  for (const f of CLONED) if (!existsSync(join(root, f))) throw new Error(`${join(root, f)} is missing${f.startsWith('dist') ? ': run npm run build' : ''}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of CLONED) cpSync(join(root, f), join(dir, f), { recursive: true });
  return dir;
}
