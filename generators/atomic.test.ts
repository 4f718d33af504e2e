import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMP_PREFIX } from './atomic-file.js';
import { SOURCES, SOURCE_FILE } from './columns.js';
import { generateDataset } from './dataset.js';
import { GenerationAbortedError } from './errors.js';
import { PROJECT_ROOT, tempDir } from './test-support.js';

const dirs: Array<{ remove: () => void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = readFileSync(join(dir, name), 'utf8');
  return out;
}

describe('atomic writes', () => {
  for (const workers of [0, 2]) {
    it(`an aborted run (seed 41, ${workers} workers) leaves the previous dataset untouched and no temp file`, async () => {
      const dir = tempDir();
      dirs.push(dir);
      await generateDataset({ customers: 300, seed: 40, out: dir.path, manifest: true, quiet: true });
      const before = snapshot(dir.path);
      const controller = new AbortController();
      const run = generateDataset({
        customers: 50_000,
        seed: 41,
        out: dir.path,
        manifest: true,
        workers,
        chunkSize: 500,
        signal: controller.signal,
        onProgress: () => controller.abort(new Error('test abort')),
      });
      await expect(run).rejects.toThrow(GenerationAbortedError);
      expect(snapshot(dir.path)).toEqual(before);
    });
  }

  it('a stale dirty-manifest.json from an earlier dirty run is removed by a clean run (seed 42)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await generateDataset({ customers: 50, seed: 42, out: dir.path, dirty: 0.1, quiet: true });
    expect(existsSync(join(dir.path, 'dirty-manifest.json'))).toBe(true);
    await generateDataset({ customers: 50, seed: 42, out: dir.path, quiet: true });
    expect(readdirSync(dir.path).sort()).toEqual(SOURCES.map((s) => SOURCE_FILE[s]).sort());
  });

  it('SIGINT to the CLI (seed 43) exits 130 and leaves neither CSVs nor temp files', async () => {
    const dir = tempDir();
    dirs.push(dir);
    writeFileSync(join(dir.path, 'keep.txt'), 'unrelated');
    const child = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'dist/generators/cli.js'), '--customers', '5000000', '--seed', '43', '--out', dir.path, '--workers', '1'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let waited = 0; waited < 20_000; waited += 50) {
      if (readdirSync(dir.path).some((n) => n.startsWith(TEMP_PREFIX))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(readdirSync(dir.path)).toEqual(['keep.txt']);
  });
});
