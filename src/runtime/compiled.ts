import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Path of the compiled module at `relativeJs` from `metaUrl`: workers run plain `node` on `dist/`,
 * so a caller running from TypeScript sources (vitest) looks under `dist/` at the same place.
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
