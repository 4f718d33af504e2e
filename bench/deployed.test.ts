import { describe, expect, it } from 'vitest';
import type { TaskRunLike } from '../src/render/client.js';
import { FakeClock, FakeRender, FakeWorkflows } from '../src/testing/fake-render.js';
import { SDK_INSTALL_COMMAND, SDK_PACKAGE, SdkMissingError } from '../src/render/sdk.js';
import { RunFailedError } from '../src/render/wait.js';
import type { RunResult } from '../src/tasks/contracts.js';
import { parseBenchArgs } from './args.js';
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
    expect(res.rows.map((r) => r.shardWorkMs)).toEqual([[100], [100, 101], [100, 101, 102, 103]]);
    expect(res.rows.every((r) => r.clientWallMs > 0 && r.prepareMs === null)).toBe(true);
    expect(res.local).toBe(false);
    const starts = wf.calls.filter((c) => c.method === 'startTask').map((c) => c.args);
    expect(starts).toEqual([1, 2, 4].map((shards) => ['cm/merge_customer_data', [{ data: 'https://bucket.example/run/?sig=x', out_dir: `out/bench/${shards}-shards`, shards }]]));
  });

  it('fails the bench when a deployed run disagrees with the local answer, and passes when it agrees', async () => {
    const r = resultFor(2);
    const answer = { profiles_generated: r.profiles_generated, records_processed: r.records_processed, health_score_sum: r.statistics.health_score_sum, churn_distribution: r.statistics.churn_distribution, expansion_distribution: r.statistics.expansion_distribution };
    const run = (a: typeof answer) => deployedSweep({ shardCounts: [2], data: 'data', slug: 'cm', client: new FakeRender(platform()), clock: new FakeClock(), answer: a });
    expect('rows' in (await run(answer))).toBe(true);
    // Keys in another order (the dev server's JSON sorts them) are the same answer.
    const { HIGH, LOW, MEDIUM } = r.statistics.churn_distribution;
    const e = r.statistics.expansion_distribution;
    const sortedKeys = { ...r, statistics: { ...r.statistics, churn_distribution: { HIGH, LOW, MEDIUM }, expansion_distribution: { HIGH: e.HIGH, LOW: e.LOW, MEDIUM: e.MEDIUM } } };
    const wf = new FakeWorkflows(() => [{ status: 'completed', results: [sortedKeys] }]);
    expect('rows' in (await deployedSweep({ shardCounts: [2], data: 'data', slug: 'cm', client: new FakeRender(wf), clock: new FakeClock(), answer }))).toBe(true);
    await expect(run({ ...answer, health_score_sum: 59_999 })).rejects.toThrow(/deployed run trn-root-0 \(2 shards\) disagrees with DuckDB/);
  });

  it('fails the bench when a deployed run reused earlier output instead of measuring it', async () => {
    const wf = new FakeWorkflows(() => [{ status: 'completed', results: [{ ...resultFor(2), reused_shards: [0, 1] }] }]);
    await expect(deployedSweep({ shardCounts: [2], data: 'data', slug: 'cm', client: new FakeRender(wf), clock: new FakeClock() })).rejects.toThrow(/reused the finished output of shard\(s\) 0,1/);
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
    ['no API key', { RENDER_WORKFLOW_SLUG: 'cm' }, 'deployed sweep skipped: RENDER_API_KEY is not set: create an API key in the Render Dashboard and export it, or use --local with `render workflows dev`'],
    ['no slug', { RENDER_API_KEY: 'k' }, 'deployed sweep skipped: RENDER_WORKFLOW_SLUG is not set'],
  ])('is skipped with one line when there is %s', async (_what, env, why) => {
    const loadRender = (): never => {
      throw new Error('the SDK must not be loaded');
    };
    expect(await deployedSweep({ shardCounts: [1], data: 'data', env, loadRender })).toEqual({ skipped: why });
  });

  it('is skipped with the install command when the SDK is not installed', async () => {
    const loadRender = (): Promise<never> => Promise.reject(new SdkMissingError(SDK_PACKAGE));
    const res = await deployedSweep({ shardCounts: [1], data: 'data', env: { RENDER_API_KEY: 'k', RENDER_WORKFLOW_SLUG: 'cm' }, loadRender });
    expect(res).toEqual({ skipped: `deployed sweep skipped: @renderinc/sdk is not installed; install it with: ${SDK_INSTALL_COMMAND}` });
  });

  it('a broken SDK fails the bench instead of skipping', async () => {
    const loadRender = (): Promise<never> => Promise.reject(new Error('@renderinc/sdk has no Render class'));
    await expect(deployedSweep({ shardCounts: [1], data: 'data', env: { RENDER_API_KEY: 'k', RENDER_WORKFLOW_SLUG: 'cm' }, loadRender })).rejects.toThrow(/no Render class/);
  });

  it.each<[string, boolean, Record<string, string>, object]>([
    ['Render, with the API key', false, { RENDER_API_KEY: 'rnd_k', RENDER_WORKFLOW_SLUG: 'cm' }, { token: 'rnd_k' }],
    ['the dev server under --local, with no key and the default slug', true, {}, { token: 'local-dev', useLocalDev: true }],
    ['the dev server under RENDER_LOCAL_DEV_URL', false, { RENDER_LOCAL_DEV_URL: 'http://localhost:9001' }, { token: 'local-dev', useLocalDev: true, localDevUrl: 'http://localhost:9001' }],
  ])('builds the SDK client for %s and runs the sweep through it', async (_what, local, env, options) => {
    const made: unknown[] = [];
    const wf = platform();
    class Render extends FakeRender {
      constructor(o?: unknown) {
        super(wf);
        made.push(o);
      }
    }
    const data = local || 'RENDER_LOCAL_DEV_URL' in env ? '/tmp/bench/20000-1' : 'data';
    const res = await deployedSweep({ shardCounts: [2], data, env, local, loadRender: () => Promise.resolve(Render), clock: new FakeClock() });
    if (!('rows' in res)) throw new Error(res.skipped);
    expect(made).toEqual([options]);
    expect(res.local).toBe(local || 'RENDER_LOCAL_DEV_URL' in env);
    expect(res.rows.map((r) => [r.shards, r.shardElapsedMs])).toEqual([[2, [1000, 2000]]]);
    expect(wf.calls[0]?.args).toEqual([`${'RENDER_WORKFLOW_SLUG' in env ? 'cm' : 'customer-merge'}/merge_customer_data`, [{ data, out_dir: 'out/bench/2-shards', shards: 2 }]]);
  });

  it('is skipped when the data is a path that exists only on this machine', async () => {
    const res = await deployedSweep({ shardCounts: [1], data: '/tmp/bench/100000-1', slug: 'cm', client: new FakeRender(platform()) });
    expect(res).toEqual({ skipped: expect.stringMatching(/^deployed sweep skipped: data \/tmp\/bench\/100000-1 is a path on this machine/) });
  });

  it('has nothing to do without shard counts', async () => {
    expect(await deployedSweep({ shardCounts: [], data: 'data', slug: 'cm', client: new FakeRender(platform()) })).toEqual({ skipped: 'deployed sweep skipped: no shard counts' });
  });
});

describe('npm run bench -- --deployed: the local dev server switches, as npm run trigger reads them', () => {
  it.each<[string[], Record<string, string>, boolean]>([
    [['--deployed', '--local'], {}, true],
    [['--deployed'], { RENDER_USE_LOCAL_DEV: 'true' }, true],
    [['--deployed'], { RENDER_LOCAL_DEV_URL: 'http://localhost:8120' }, true],
    [['--deployed'], { RENDER_API_KEY: 'k' }, false],
  ])('%o with %o → local %s', (argv, env, local) => {
    expect(parseBenchArgs(argv, env).local).toBe(local);
  });
});
