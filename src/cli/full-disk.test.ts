/**
 * A full disk as the output folder: a 4 MB tmpfs under 100,000 customers (35 MB of input) on 4
 * shards. The run fails after one attempt (a full disk does not heal in seconds), the line names
 * the folder and the bytes being written, `--json` says DISK_FULL, and no temporary file (nor any
 * slice) is left; a read-only folder is refused before the run. Needs root to mount; under
 * CI=true a failed mount fails the test.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../generators/index.js';
import { failureLines, runCli } from '../testing/run-cli.js';

const SEED = 22;
let tmp: string;
let disk: string;
let readOnly: string;
let mounted = false;
let mountError = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'full-disk-'));
  disk = join(tmp, 'disk');
  readOnly = join(tmp, 'read-only');
  await mkdir(disk);
  await mkdir(readOnly);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk], { stdio: 'pipe' });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', readOnly], { stdio: 'pipe' });
    mounted = true;
  } catch (err) {
    mountError = (err as Error).message.split('\n')[0] ?? '';
  }
});
afterAll(async () => {
  if (mounted) {
    execFileSync('umount', [disk]);
    execFileSync('umount', [readOnly]);
  }
  await rm(tmp, { recursive: true, force: true });
});

/** Every file under `dir`, relative. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

/** Skips off CI when no tmpfs could be mounted (not root); under CI=true that fails instead. */
function needMounts(ctx: { skip: (note?: string) => void }): void {
  if (mounted) return;
  if (process.env['CI'] === 'true') throw new Error(`cannot mount a tmpfs at ${disk} (root needed): ${mountError}`);
  ctx.skip(`cannot mount a tmpfs here: ${mountError}`);
}

describe('an output folder on a full disk', () => {
  it(`fails once, names the folder and the bytes, leaves no temporary file (seed ${SEED})`, async (ctx) => {
    needMounts(ctx);
    const data = join(tmp, 'data');
    await generateDataset({ customers: 100_000, seed: SEED, out: data, workers: 0, quiet: true });
    const out = join(disk, 'out');
    const r = await runCli(['--data', data, '--out', out, '--shards', '4', '--json'], tmp);
    expect(r.code).toBe(1);
    const lines = failureLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^customer-merge: cannot write ${out}/\\S+ \\(\\d+ bytes\\): no space left on device \\(ENOSPC\\); free space there or choose another --out$`));
    const failure = JSON.parse(r.stdout) as { error: { code: string; path: string; bytes: number } };
    expect(failure.error.code).toBe('DISK_FULL');
    expect(failure.error.path.startsWith(`${out}/`)).toBe(true);
    expect(failure.error.bytes).toBeGreaterThan(0);
    // One attempt per task: a retried one prints "<task> attempt failed: … (retry in 2.0 s)".
    expect(r.stderr).not.toMatch(/\(retry in /);
    expect((await filesUnder(disk)).filter((f) => /\.tmp|\.spill/.test(f))).toEqual([]);
  });
});

describe('an output folder on a read-only file system', () => {
  it('is refused before the run starts, naming the folder', async (ctx) => {
    needMounts(ctx);
    const r = await runCli(['--data', join(tmp, 'no-data-needed'), '--out', join(readOnly, 'out'), '--json'], tmp);
    expect(r.code).toBe(1);
    expect(failureLines(r.stderr)).toEqual([`customer-merge: --data ${join(tmp, 'no-data-needed')} does not exist`]);
    const fine = join(tmp, 'fine-data');
    await mkdir(fine);
    const r2 = await runCli(['--data', fine, '--out', join(readOnly, 'out'), '--json'], tmp);
    const message = `cannot write ${readOnly}: read-only file system (EROFS); choose a folder you can write as --out`;
    expect(r2.code).toBe(1);
    expect(failureLines(r2.stderr)).toEqual([`customer-merge: ${message}`]);
    expect(JSON.parse(r2.stdout)).toEqual({ error: { code: 'NOT_WRITABLE', message, path: readOnly } });
  });
});
