import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failureLines, runScript } from '../src/testing/run-cli.js';
import { makeOutDir } from './out-dir.js';

const scratch = mkdtempSync(join(tmpdir(), 'gen-out-dir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const file = join(scratch, 'a-file');
writeFileSync(file, 'not a folder\n');

/** `npm run generate` with `--out out`, small and seeded (seed 61). */
const generate = (out: string) =>
  runScript('dist/generators/cli.js', ['--customers', '10', '--seed', '61', '--out', out], scratch);

describe('generate --out that cannot be a folder (seed 61)', () => {
  it('a folder under /proc fails at once, in one line naming the path', async () => {
    const r = await generate('/proc/customer-merge-out');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(failureLines(r.stderr, 'customer-merge generate')).toEqual([
      'customer-merge generate: cannot create --out folder /proc/customer-merge-out: /proc/customer-merge-out does not accept new folders (ENOENT); choose a folder you can write as --out',
    ]);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  }, 30_000);

  it('an existing file fails in one line (EEXIST)', async () => {
    const r = await generate(file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`customer-merge generate: cannot create --out folder ${file}: a file, not a folder, has this name (EEXIST); choose a folder you can write as --out\n`);
  }, 30_000);

  it('a folder under an existing file fails in one line naming the file (ENOTDIR)', async () => {
    const r = await generate(join(file, 'sub'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`customer-merge generate: cannot create --out folder ${join(file, 'sub')}: ${file} is a file, not a folder (ENOTDIR); choose a folder you can write as --out\n`);
  }, 30_000);
});

describe('makeOutDir', () => {
  it('makes missing levels and accepts an existing folder', async () => {
    const deep = join(scratch, 'x', 'y', 'z');
    await makeOutDir(deep);
    await makeOutDir(deep);
    expect(readdirSync(join(scratch, 'x', 'y'))).toEqual(['z']);
  });

  it('names the level that refused', async () => {
    await expect(makeOutDir(join(file, 'a', 'b'))).rejects.toMatchObject({ code: 'NOT_WRITABLE', level: file, errno: 'ENOTDIR', details: { path: join(file, 'a', 'b') } });
  });
});
