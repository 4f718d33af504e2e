import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { RunInput, ShardInput } from '../tasks/contracts.js';
import { PREPARE_RUN_OPTIONS, processShardOptions } from '../tasks/options.js';
import { prepareRun } from '../tasks/prepare-run.js';
import { tasks } from '../tasks/registry.js';
import { validateRunInput } from '../tasks/validate.js';
import { startDevServer } from '../testing/dev-server.js';
import type { DevServer } from '../testing/dev-server.js';
import { rejectionOf } from '../testing/rejection.js';
import { PROJECT_ROOT, findRenderTools, renderToolsRequired } from '../testing/render-tools.js';
import { prepareSdk } from '../testing/sdk-cache.js';
import type { TaskRunLike, TriggerClientLike } from './client.js';
import { loadRenderClass } from './sdk.js';
import { triggerRun } from './trigger.js';
import { RunFailedError, waitForFinal } from './wait.js';

/**
 * The project against Render's own local dev server (`render workflows dev`) and the real SDK:
 * registration, fan-out through ctx.run, retries, permanent errors and the trigger's final state.
 */
const tools = findRenderTools();
const fixture = join(PROJECT_ROOT, 'src', 'testdata', 'tutorial-2000');
const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as {
  profiles_generated: number;
  records_processed: number;
  records_per_source: Record<string, number>;
  avg_health_score: number;
  health_sum: number;
  churn_distribution: Record<string, number>;
  expansion_distribution: Record<string, number>;
  shard_sizes: number[];
  shards: number;
};
/** process_shard's policy on the chaos server: quick, and a factor the SDK must pass through. */
const CHAOS_ENV = { CHAOS_FAIL_SHARD: '1', SHARD_MAX_RETRIES: '2', SHARD_RETRY_WAIT_MS: '1200', SHARD_RETRY_BACKOFF: '3' };
const SLUG = 'customer-merge';
const exec = promisify(execFile);

/** Milliseconds from one attempt's end to the next one's start. */
function gapsMs(run: TaskRunLike): number[] {
  const a = (run.attempts ?? []) as { startedAt?: string; completedAt?: string }[];
  return a.slice(1).map((x, i) => Date.parse(x.startedAt ?? '') - Date.parse(a[i]?.completedAt ?? ''));
}

/** The run details of each child of a root run, as the trigger read them. */
async function childDetails(client: TriggerClientLike, ids: readonly (string | null)[]): Promise<TaskRunLike[]> {
  return Promise.all(ids.map((id) => client.workflows.getTaskRun(String(id))));
}

if (tools.missing !== '') {
  if (renderToolsRequired()) {
    describe('Render dev server tools (required: CI=true or REQUIRE_RENDER_DEV=1)', () => {
      it('are present', () => {
        expect.fail(`cannot run the dev-server tests: ${tools.missing}`);
      });
    });
  } else {
    process.stderr.write(`src/render/dev-server.test.ts: not run (registration, fan-out, retries, permanent errors, trigger final state against render workflows dev): ${tools.missing}\n`);
    describe('Render dev server tools', () => {
      it('are reported missing in one line', () => {
        expect(tools.missing).toMatch(/^no /);
      });
    });
  }
} else {
describe.concurrent('against render workflows dev with the real SDK', () => {
  let clean: DevServer;
  let chaos: DevServer;
  let sdkEnv: Record<string, string>;
  let client: TriggerClientLike;
  let chaosClient: TriggerClientLike;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cm-devserver-'));
    const sdk = await prepareSdk(PROJECT_ROOT, tools.sdk!);
    sdkEnv = sdk.env;
    const render = tools.render!;
    [clean, chaos] = await Promise.all([
      startDevServer({ render, root: PROJECT_ROOT, env: sdk.env }),
      startDevServer({ render, root: PROJECT_ROOT, env: { ...sdk.env, ...CHAOS_ENV } }),
    ]);
    const Render = await loadRenderClass<TriggerClientLike>(sdk.importer);
    client = new Render({ token: 'local-dev', localDevUrl: clean.url });
    chaosClient = new Render({ token: 'local-dev', localDevUrl: chaos.url });
  });
  afterAll(async () => {
    await Promise.all([clean?.stop(), chaos?.stop()]);
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('registers every task the project registers', async () => {
    const listed = (await (await fetch(`${clean.url}/v1/tasks`)).json()) as { task: { name: string } }[];
    expect(listed.map((t) => t.task.name).sort()).toEqual(tasks.map((t) => t.name).sort());
    expect(clean.output()).toContain(`${tasks.length} tasks found`);
  });

  it(`merge_customer_data fans out ${expected.shards} process_shard runs through ctx.run and returns the fixture's numbers`, async () => {
    const input: RunInput = { data: fixture, out_dir: join(work, 'fan-out'), shards: expected.shards };
    const out = await triggerRun(client, { slug: SLUG, input, poll: { initialMs: 200, maxMs: 500 } });
    const r = out.result;
    expect([r.profiles_generated, r.records_processed, r.statistics.avg_health_score, r.statistics.health_score_sum]).toEqual([
      expected.profiles_generated,
      expected.records_processed,
      expected.avg_health_score,
      expected.health_sum,
    ]);
    expect(r.statistics.churn_distribution).toEqual(expected.churn_distribution);
    expect(r.statistics.expansion_distribution).toEqual(expected.expansion_distribution);
    expect(Object.fromEntries(Object.entries(r.sources).map(([k, v]) => [k, v.read]))).toEqual(expected.records_per_source);
    expect(r.shards.map((s) => s.profiles)).toEqual(expected.shard_sizes);
    // The children are separate task runs of this root, named by what they are.
    expect(out.shards.map((s) => s.label)).toEqual(['prepare', ...expected.shard_sizes.map((_, i) => `shard ${i}`)]);
    expect(out.shards.every((s) => s.source === 'run-details' && s.attempts === 1 && s.elapsedMs !== null)).toBe(true);
    const details = await childDetails(client, out.shards.map((s) => s.taskRunId));
    expect(details.map((d) => [d.parentTaskRunId, d.rootTaskRunId, d.status])).toEqual(details.map(() => [out.taskRunId, out.taskRunId, 'completed']));
  });

  it('a shard failing its first attempt is retried per the registered policy, and `npm run trigger -- --local` reports it', async () => {
    const policy = processShardOptions(CHAOS_ENV).retry!;
    const { stdout } = await exec(
      process.execPath,
      ['dist/src/render/trigger-cli.js', '--local', '--shards', '3', '--data', fixture, '--out', join(work, 'retry'), '--json'],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...sdkEnv, RENDER_LOCAL_DEV_URL: chaos.url } },
    );
    const out = JSON.parse(stdout) as Awaited<ReturnType<typeof triggerRun>>;
    expect(out.result.profiles_generated).toBe(expected.profiles_generated);
    expect(out.shards.map((s) => [s.label, s.attempts])).toEqual([['prepare', 1], ['shard 0', 1], ['shard 1', 2], ['shard 2', 1]]);
    const [shard1] = await childDetails(chaosClient, [out.shards[2]!.taskRunId]);
    const attempts = (shard1?.attempts ?? []) as { status: string; error?: unknown }[];
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'completed']);
    // The wait before the first retry is waitDurationMs × factor⁰, plus at most a process start.
    const [gap] = gapsMs(shard1!);
    expect(gap).toBeGreaterThanOrEqual(retryDelayMs(policy, 0) - 50);
    expect(gap).toBeLessThan(retryDelayMs(policy, 0) + 3000);
  });

  it('a permanent error in the orchestrator fails the run at once with the project\'s one-line message', async () => {
    const input = { data: fixture, out_dir: join(work, 'bad'), shards: 0 };
    const message = (await rejectionOf(Promise.resolve().then(() => validateRunInput(input)))).message;
    const err = await rejectionOf(triggerRun(client, { slug: SLUG, input, poll: { initialMs: 200, maxMs: 500, failedGraceMs: 1500 } }));
    expect(err).toBeInstanceOf(RunFailedError);
    expect((err as RunFailedError).detail).toBe(message);
    const root = await client.workflows.getTaskRun((err as RunFailedError).taskRunId);
    expect(root.attempts).toHaveLength(1); // merge_customer_data registers no retries
  });

  it('a missing source fails prepare_run after its registered attempts, spaced by its backoff, and the run with its one line', async () => {
    const data = join(work, 'no-such-data');
    const message = (await rejectionOf(Promise.resolve().then(() => prepareRun.func({} as TaskContext, { data })))).message;
    const err = await rejectionOf(triggerRun(client, { slug: SLUG, input: { data, out_dir: join(work, 'missing'), shards: 2 }, poll: { initialMs: 200, maxMs: 500, failedGraceMs: 1500 } }));
    expect(err).toBeInstanceOf(RunFailedError);
    expect((err as RunFailedError).detail).toBe(`Subtask failed: ${message}`);
    expect(message.split('\n')).toHaveLength(1);
    const rootId = (err as RunFailedError).taskRunId;
    const listed = (await (await fetch(`${clean.url}/v1/task-runs?taskSlug=prepare_run`)).json()) as { taskRun: TaskRunLike }[];
    const mine = listed.map((l) => l.taskRun).filter((r) => r.parentTaskRunId === rootId);
    expect(mine).toHaveLength(1);
    const prepare = await client.workflows.getTaskRun(mine[0]!.id!);
    const retry = PREPARE_RUN_OPTIONS.retry!;
    expect(prepare.attempts).toHaveLength(retry.maxRetries + 1);
    const gaps = gapsMs(prepare);
    gaps.forEach((g, k) => {
      expect(g).toBeGreaterThanOrEqual(retryDelayMs(retry, k) - 50);
      expect(g).toBeLessThan(retryDelayMs(retry, k) + 3000);
    });
  });

  it('the trigger waits out a failed first attempt, whatever the event stream reported of it', async () => {
    const policy = processShardOptions(CHAOS_ENV);
    const input: ShardInput = { run_id: 'final-state', shard_index: 1, shard_count: 3, data: fixture, out_dir: join(work, 'final'), execution_id: 'final-state.1' };
    const { taskRunId } = await chaosClient.workflows.startTask('process_shard', [input]);
    const sdkWorkflows = chaosClient.workflows as unknown as { taskRunEvents(ids: string[]): AsyncIterable<{ status?: string }> };
    // The stream's statuses up to the run's success. Whether the failed attempt is among them is a
    // race inside the dev server (the event is built while the retry resets the run to pending).
    const streamed = (async () => {
      const statuses: (string | undefined)[] = [];
      for await (const e of sdkWorkflows.taskRunEvents([taskRunId])) {
        statuses.push(e.status);
        if (e.status === 'completed') break;
      }
      return statuses;
    })();
    const seen: TaskRunLike[] = [];
    const done = await waitForFinal(chaosClient, taskRunId, { initialMs: 100, maxMs: 200, failedGraceMs: 2 * retryDelayMs(policy.retry!, 0) + 3000 }, undefined, (_s, run) => seen.push(run));
    // While the retry waits, the details show the failed attempt on a run that is not final.
    const between = seen.filter((r) => r.status !== 'failed' && r.status !== 'completed' && ((r.attempts ?? []) as { status?: string }[]).some((a) => a.status === 'failed'));
    expect(between.length).toBeGreaterThan(0);
    expect(done.status).toBe('succeeded');
    expect(((done.run.attempts ?? []) as { status?: string }[]).map((a) => a.status)).toEqual(['failed', 'completed']);
    // Any `failed` the stream sent came before the success: it was not final.
    const statuses = await streamed;
    expect(statuses.at(-1)).toBe('completed');
    expect(statuses.slice(0, -1).every((s) => s === 'failed' || s === 'pending' || s === 'running')).toBe(true);
  });
});
}
