/**
 * Shards dealt to fewer workers (`process_shards`, and `partition_sources` for the partition
 * step): the run's output and result are those of one `process_shard` per shard, byte for byte; a shard failing inside a group is retried with its
 * group, which resumes the shards finished before it. Real worker processes (needs `npm run build`).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDir, tempDirs } from '../testing/small-fixture.js';
import type { RuntimeEvent } from '../runtime/events.js';
import { LocalRuntime } from '../runtime/local.js';
import type { RunResult } from './contracts.js';
import { mergeCustomerData } from './merge-customer-data.js';
import { processShards } from './process-shards.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const RETRY = { maxRetries: 2, waitDurationMs: 10, backoffScaling: 2 };

async function run(shards: number, workers: number | undefined, env: Record<string, string> = {}): Promise<{ result: RunResult; events: RuntimeEvent[]; files: Map<string, string> }> {
  const rt = new LocalRuntime({ concurrency: 2, retry: RETRY, env });
  const events: RuntimeEvent[] = [];
  rt.on((e) => events.push(e));
  const out = await dirs.make('cm-batch-out-');
  const result = await rt.run(mergeCustomerData, { data: fixtureDir(), out_dir: out, shards, data_path: 'partition', ...(workers !== undefined ? { workers } : {}) });
  const files = new Map<string, string>();
  for (const f of result.output_files) files.set(f, await readFile(join(out, f), 'utf8'));
  return { result, events, files };
}

/** What must not depend on how shards were dealt: everything but timings and the run's folder and id (named after the folder). */
function comparable(r: RunResult): unknown {
  const { elapsed_ms: _e, out_dir: _o, run_id: _r, shards, reused_shards: _u, ...rest } = r;
  return { ...rest, shards: shards.map(({ elapsed_ms: _s, ...s }) => s) };
}

const runsOf = (events: RuntimeEvent[], task: string): number => events.filter((e) => e.type === 'run_started' && e.task === task).length;

describe('shards dealt to fewer workers', () => {
  it.each([
    [7, 3],
    [10, 2],
    [4, 1],
  ])('%i shards on %i workers: the same profile files, byte for byte, and the same result as one task per shard', async (shards, workers) => {
    const [dealt, each] = await Promise.all([run(shards, workers), run(shards, undefined)]);
    expect(runsOf(dealt.events, 'process_shards')).toBe(workers);
    expect(runsOf(dealt.events, 'process_shard')).toBe(0);
    expect(runsOf(each.events, 'process_shard')).toBe(shards);
    // The partition step likewise: as many groups of sources as workers (at most four), or one task per source.
    expect(runsOf(dealt.events, 'partition_sources')).toBe(Math.min(workers, 4));
    expect(runsOf(dealt.events, 'partition_source')).toBe(0);
    expect(runsOf(each.events, 'partition_source')).toBe(4);
    expect(comparable(dealt.result)).toEqual(comparable(each.result));
    expect([...dealt.files.keys()]).toEqual([...each.files.keys()]);
    for (const [f, text] of each.files) expect(dealt.files.get(f), f).toBe(text);
    expect(dealt.result.reused_shards).toEqual([]);
  });

  it('a shard failing its first attempt inside a group fails the group; the retry resumes the shards finished before it and heals', async () => {
    // 7 shards on 2 workers: groups 0..3 and 4..6; shard 5 fails once, after shard 4 finished.
    const { result, events } = await run(7, 2, { CHAOS_FAIL_SHARD: '5' });
    const failed = events.filter((e) => e.type === 'attempt_failed' && e.task === 'process_shards');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ attempt: 1, error: expect.stringMatching(/shard 5/) });
    expect(events.filter((e) => e.type === 'attempt_succeeded' && e.task === 'process_shards').map((e) => (e as { attempt: number }).attempt).sort()).toEqual([1, 2]);
    expect(result.shards.map((s) => s.shard_index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.reused_shards).toEqual([4]);
    const clean = await run(7, 2);
    expect(comparable(result)).toEqual(comparable(clean.result));
  });

  it('a group that is not a non-empty ascending list of shard indices is refused at once, with the value', async () => {
    const ctx = { run: () => Promise.reject(new Error('no fan-out')) };
    const base = { run_id: 'r', shard_count: 4, data: fixtureDir(), out_dir: await dirs.make('cm-batch-bad-') };
    await expect(processShards.func(ctx, { ...base, shard_indices: [] })).rejects.toThrow(/shard_indices must be a non-empty ascending list .* got \[\]/);
    await expect(processShards.func(ctx, { ...base, shard_indices: [2, 1] })).rejects.toThrow(/got \[2,1\]/);
    await expect(processShards.func(ctx, { ...base, shard_indices: [1, 9] })).rejects.toThrow(/from 0 to shard_count - 1 \(4\), got \[1,9\]/);
    expect(await readdir(base.out_dir)).toEqual([]);
  });
});
