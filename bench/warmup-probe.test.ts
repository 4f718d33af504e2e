import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probe } from './warmup-probe.js';

const data = resolve('src/testdata/tutorial-2000');

describe('warm-up probe', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('a fresh process reports its start-up and each run of the same shard, every run doing the same work', async () => {
    const out = await mkdtemp(join(tmpdir(), 'warmup-probe-'));
    dirs.push(out);
    const report = await probe({ input: { run_id: 'probe-test', shard_index: 1, shard_count: 3, data, out_dir: out }, runs: 3 });
    expect(report.startup.cpuMs).toBeGreaterThan(0);
    expect(report.runs).toHaveLength(3);
    const profiles = report.runs.map((r) => r.profiles);
    expect(new Set(profiles).size).toBe(1);
    expect(profiles[0]).toBeGreaterThan(0);
    expect(profiles[0]).toBeLessThan(2000);
    for (const r of report.runs) {
      expect(r.cpuMs).toBeGreaterThan(0);
      // The main thread's share is counted in 10 ms ticks, the whole process's in microseconds.
      if (r.mainThreadCpuMs !== null) expect(r.mainThreadCpuMs).toBeLessThanOrEqual(r.cpuMs + 10);
    }
    // The child writes under a folder of its own and removes it.
    expect(await readdir(out)).toEqual([]);
  });

  it('a job that fails is reported with its error', async () => {
    const out = await mkdtemp(join(tmpdir(), 'warmup-probe-'));
    dirs.push(out);
    await expect(probe({ input: { run_id: 'probe-test', shard_index: 0, shard_count: 2, data: join(out, 'no-such-folder'), out_dir: out }, runs: 2 })).rejects.toThrow(/warm-up probe failed: .*no-such-folder/s);
  });
});
