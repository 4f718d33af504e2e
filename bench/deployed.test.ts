import { describe, expect, it } from 'vitest';
import type { TaskRunLike } from '../src/render/client.js';
import { FakeClock, FakeRender, FakeWorkflows } from '../src/render/fake-render.js';
import { RunFailedError } from '../src/render/wait.js';
import type { RunResult } from '../src/tasks/contracts.js';
import { deployedSweep } from './deployed.js';

/** The fields of a RunResult the trigger reads; the fake platform returns it for every run. */
function resultFor(shards: number): RunResult {
  return {
    run_id: `r${shards}`,
    profiles_generated: 1000,
    records_processed: 4000,
    shards_processed: shards,
    statistics: { avg_health_score: 60, health_score_sum: 60_000, churn_distribution: { LOW: 1, MEDIUM: 2, HIGH: 3 }, expansion_distribution: { LOW: 1, MEDIUM: 2, HIGH: 3 } },
    sources: {},
    shards: Array.from({ length: shards }, (_, i) => ({ shard_index: i, elapsed_ms: 100 + i })),
  } as unknown as RunResult;
}

const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

/** A platform where a run of n shards takes 10 s + 1 s per shard, shard i taking (i + 1) s. */
function platform(): FakeWorkflows {
  const inputs: { shards: number }[] = [];
  const wf = new FakeWorkflows(
    (_run, input) => {
      const shards = (input as { shards: number }).shards;
      inputs.push({ shards });
      return [{ status: 'pending' }, { status: 'running' }, { status: 'completed', results: [resultFor(shards)], startedAt: at(0), completedAt: at(10_000 + 1000 * shards) }];
    },
    (rootId) => {
      const shards = inputs.at(-1)?.shards ?? 0;
      return Array.from({ length: shards }, (_, i): TaskRunLike => ({
        id: `${rootId}-s${i}`,
        parentTaskRunId: rootId,
        status: 'completed',
        input: [{ shard_index: i, shard_count: shards }],
        startedAt: at(500),
        completedAt: at(500 + 1000 * (i + 1)),
      })).reverse();
    },
  );
  return wf;
}

describe('deployedSweep', () => {
  it('triggers merge_customer_data once per shard count and records wall time and shard times', async () => {
    const wf = platform();
    const res = await deployedSweep({ shardCounts: [1, 2, 4], data: 'https://bucket.example/run/?sig=x', slug: 'cm', client: new FakeRender(wf), clock: new FakeClock() });
    if (!('rows' in res)) throw new Error(res.skipped);
    expect(res.rows.map((r) => [r.shards, r.wallMs, r.shardElapsedMs])).toEqual([
      [1, 11_000, [1000]],
      [2, 12_000, [1000, 2000]],
      [4, 14_000, [1000, 2000, 3000, 4000]],
    ]);
    expect(res.rows.every((r) => r.wallSource === 'platform' && r.profiles === 1000)).toBe(true);
    const starts = wf.calls.filter((c) => c.method === 'startTask').map((c) => c.args);
    expect(starts).toEqual([1, 2, 4].map((shards) => ['cm/merge_customer_data', [{ data: 'https://bucket.example/run/?sig=x', out_dir: 'out/bench', shards }]]));
  });

  it('reads the slug from RENDER_WORKFLOW_SLUG', async () => {
    const wf = platform();
    const res = await deployedSweep({ shardCounts: [2], data: 'data', client: new FakeRender(wf), env: { RENDER_WORKFLOW_SLUG: 'from-env' }, clock: new FakeClock() });
    expect('rows' in res).toBe(true);
    expect(wf.calls[0]?.args[0]).toBe('from-env/merge_customer_data');
  });

  it('fails the bench when a run fails', async () => {
    const wf = new FakeWorkflows(() => [{ status: 'failed', error: 'boom' }]);
    await expect(deployedSweep({ shardCounts: [2], data: 'data', slug: 'cm', client: new FakeRender(wf), clock: new FakeClock() })).rejects.toBeInstanceOf(RunFailedError);
  });

  it.each<[string, Record<string, string>, string]>([
    ['no API key', { RENDER_WORKFLOW_SLUG: 'cm' }, 'deployed sweep skipped: RENDER_API_KEY is not set'],
    ['no slug', { RENDER_API_KEY: 'k' }, 'deployed sweep skipped: RENDER_WORKFLOW_SLUG is not set'],
  ])('is skipped with one line when there is %s', async (_what, env, why) => {
    expect(await deployedSweep({ shardCounts: [1], data: 'data', env })).toEqual({ skipped: why });
  });

  it('is skipped when the SDK is not installed (as on this machine), or needs a real account otherwise', async () => {
    const { existsSync } = await import('node:fs');
    const installed = existsSync(new URL('../node_modules/@renderinc/sdk/package.json', import.meta.url));
    if (!installed) {
      const res = await deployedSweep({ shardCounts: [1], data: 'data', env: { RENDER_API_KEY: 'k', RENDER_WORKFLOW_SLUG: 'cm' } });
      expect(res).toEqual({ skipped: 'deployed sweep skipped: @renderinc/sdk is not installed; install it with: npm install --no-save @renderinc/sdk@^1' });
    } else {
      // With the SDK a real account would be contacted: only the fake client is exercised here.
      expect(installed).toBe(true);
    }
  });

  it('is skipped when the data is a path that exists only on this machine', async () => {
    const res = await deployedSweep({ shardCounts: [1], data: '/tmp/bench/100000-1', slug: 'cm', client: new FakeRender(platform()) });
    expect(res).toEqual({ skipped: expect.stringMatching(/^deployed sweep skipped: data \/tmp\/bench\/100000-1 is a path on this machine/) });
  });

  it('has nothing to do without shard counts', async () => {
    expect(await deployedSweep({ shardCounts: [], data: 'data', slug: 'cm', client: new FakeRender(platform()) })).toEqual({ skipped: 'deployed sweep skipped: no shard counts' });
  });
});
