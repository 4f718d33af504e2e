import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Path of the compiled JavaScript module at `relativeJs` from the module `metaUrl`. Isolated workers run plain
 * `node`, so they load compiled files from `dist/`; when the caller itself runs from TypeScript
 * sources (vitest), the sibling is looked up under `dist/` at the same relative place. `npm test`
 * builds first, so the file exists.
 */
export function compiledPath(metaUrl: string, relativeJs: string): string {
  const here = fileURLToPath(metaUrl);
  if (here.endsWith('.js')) return join(dirname(here), relativeJs);
  const root = projectRoot(dirname(here));
  const path = join(root, 'dist', relative(root, dirname(here)), relativeJs);
  if (!existsSync(path)) {
    throw new Error(`compiled module ${path} is missing; run \`npm run build\` first`);
  }
  return path;
}

function projectRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}
