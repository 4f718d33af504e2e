/**
 * A small slice of the 2,000-customer fixture for tests with real workers: the header and first
 * `rows` rows of each source, keeping its awkward company names.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';

/** The fixture folder (src/testdata/tutorial-2000), found from this module in src/ or dist/src/. */
export function fixtureDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.includes(`${join('dist', 'src')}`) ? join(here, '..', '..', '..') : join(here, '..', '..');
  return join(root, 'src', 'testdata', 'tutorial-2000');
}

/** Writes the slice into `dir` and returns `dir`. */
export async function writeSmallFixture(dir: string, rows: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const s of SOURCE_NAMES) {
    const text = await readFile(join(fixtureDir(), SOURCE_FILES[s]), 'utf8');
    const lines = text.split('\n');
    await writeFile(join(dir, SOURCE_FILES[s]), `${lines.slice(0, rows + 1).join('\n')}\n`);
  }
  return dir;
}

/** Temporary folders a test file makes, all removed by `cleanup` (call it in afterAll). */
export function tempDirs(): { make(prefix: string): Promise<string>; cleanup(): Promise<void> } {
  const made: string[] = [];
  return {
    async make(prefix) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
