/** Every project path the README and docs/ name exists, so a moved file cannot leave a stale pointer. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const TOP = ['src', 'bench', 'generators', 'properties', 'scripts', 'docs', 'data'];

/** A named path exists as written, or as the test or module file a `vitest run` filter names. */
function exists(path: string): boolean {
  return [path, `${path}.test.ts`, `${path}.ts`].some((p) => existsSync(join(root, p)));
}

/** The project-relative paths a Markdown text names (not under dist/, no placeholders or globs). */
function namedPaths(text: string): string[] {
  const found = new Set<string>();
  const pattern = new RegExp(`(?<![\\w./-])(?:${TOP.join('|')})/[\\w./-]*[\\w/]`, 'g');
  for (const m of text.matchAll(pattern)) {
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 2);
    if (/^\.?[<*{]/.test(after)) continue;
    found.add(m[0]);
  }
  return [...found].sort();
}

function documents(): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f));
  return ['README.md', 'generators/README.md', ...docs];
}

describe('paths named in the README and docs/', () => {
  it('finds paths in prose and code, but not dist/ paths or placeholders', () => {
    const text = 'see `src/core/merge.ts` and [x](docs/a.md); run node dist/src/cli.js; bench/results/<name>.json; bench/results/latest.*; bench/results/x.{md,json}';
    expect(namedPaths(text)).toEqual(['docs/a.md', 'src/core/merge.ts']);
  });

  for (const doc of documents()) {
    it(`${doc}: every named path exists`, () => {
      const missing = namedPaths(readFileSync(join(root, doc), 'utf8')).filter((p) => !exists(p));
      expect(missing).toEqual([]);
    });
  }
});
