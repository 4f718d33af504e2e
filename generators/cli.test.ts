import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli, tempDir } from './test-support.js';

const dirs: Array<{ remove: () => void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

describe('generate CLI (compiled)', () => {
  it('reports rows and rows/s at the end (seed 51)', () => {
    const dir = tempDir();
    dirs.push(dir);
    const { stdout } = runCli(['--customers', '100', '--seed', '51', '--out', dir.path, '--manifest']);
    expect(stdout).toMatch(/^wrote 400 rows \(100 customers, .* rows\/s\n$/);
    expect(readdirSync(dir.path).sort()).toEqual(['billing.csv', 'crm.csv', 'manifest.json', 'product.csv', 'support.csv']);
  });

  it('--quiet prints nothing (seed 52)', () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(runCli(['--customers', '100', '--seed', '52', '--out', dir.path, '--quiet']).stdout).toBe('');
  });

  it('a bad option exits 1 with one line naming the option and its value', () => {
    const result = spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, 'dist/generators/cli.js'), '--customers=-5', '--seed', '1', '--out', '/tmp/never-written'],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^customer-merge generate: invalid customers: -5 \(expected /), '']);
  });
});
