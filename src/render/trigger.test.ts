import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary } from '../cli/summary.js';
import { InlineRuntime } from '../runtime/inline.js';
import type { RunInput, RunResult } from '../tasks/contracts.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import type { TaskRunLike } from './client.js';
import { FakeClock, FakeRender, FakeWorkflows } from '../testing/fake-render.js';
import { formatOutcome, readRunResult, taskSlug, triggerRun } from './trigger.js';
import { RunFailedError, TriggerError, failedGraceFor, phaseOf, waitForFinal } from './wait.js';
import { MERGE_CUSTOMER_DATA_OPTIONS, PROCESS_SHARD_OPTIONS } from '../tasks/options.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'tutorial-2000');
const SHARDS = 3;
let work: string;
let input: RunInput;
/** A real RunResult, from running the task in-process on the fixture: what the fake returns. */
let result: RunResult;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cm-trigger-'));
  input = { data: fixture, out_dir: join(work, 'out'), shards: SHARDS };
  result = await new InlineRuntime().run(mergeCustomerData, input);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const child = (i: number, start: number, end: number, extra: Partial<TaskRunLike> = {}): TaskRunLike => ({
  id: `trn-shard-${i}`,
  status: 'completed',
  parentTaskRunId: 'trn-root-0',
  rootTaskRunId: 'trn-root-0',
  startedAt: at(start),
  completedAt: at(end),
  input: [{ run_id: 'r', shard_index: i, shard_count: SHARDS, data: 'data', out_dir: 'out' }],
  retries: 0,
  ...extra,
});
/** Triggers a run against a fake Render serving `wf`: slug `s`, the fixture's input, a fake clock, unless `options` says otherwise. */
const triggerWith = (wf: FakeWorkflows, options: Partial<Parameters<typeof triggerRun>[1]> = {}) =>
  triggerRun(new FakeRender(wf), { slug: 's', input, clock: new FakeClock(), ...options });
const done = (): TaskRunLike => ({ status: 'completed', results: [result], startedAt: at(0), completedAt: at(42) });

describe('triggerRun', () => {
  it('starts <slug>/merge_customer_data with [input], polls to completion and reads results[0]', async () => {
    const wf = new FakeWorkflows(
      () => [{ status: 'pending' }, { status: 'running' }, { status: 'running' }, done()],
      // Listed in no particular order, one of them retried once.
      () => [child(2, 5, 20), child(0, 3, 30, { retries: 1 }), child(1, 4, 12)],
    );
    const clock = new FakeClock();
    const statuses: string[] = [];
    const out = await triggerWith(wf, { slug: 'customer-merge', clock, onStatus: (s) => statuses.push(s) });
    expect(wf.calls[0]).toEqual({ method: 'startTask', args: ['customer-merge/merge_customer_data', [input]] });
    expect(out.taskId).toBe('customer-merge/merge_customer_data');
    expect(out.taskRunId).toBe('trn-root-0');
    expect(out.result).toEqual(result);
    expect(wf.rootReads()).toBe(4);
    expect(statuses).toEqual(['pending', 'running', 'completed']);
    expect(out.wallMs).toBe(42_000);
    expect(out.wallSource).toBe('platform');
    expect(out.clientWallMs).toBe(clock.t);
    expect(out.sawRetry).toBe(false);
    expect(wf.calls.find((c) => c.method === 'listTaskRuns')?.args[0]).toEqual({ rootTaskRunId: ['trn-root-0'], limit: 100 });
    expect(out.shards).toEqual([
      { kind: 'shard', label: 'shard 0', shardIndex: 0, taskRunId: 'trn-shard-0', status: 'completed', elapsedMs: 27_000, attempts: 2, source: 'run-details' },
      { kind: 'shard', label: 'shard 1', shardIndex: 1, taskRunId: 'trn-shard-1', status: 'completed', elapsedMs: 8_000, attempts: 1, source: 'run-details' },
      { kind: 'shard', label: 'shard 2', shardIndex: 2, taskRunId: 'trn-shard-2', status: 'completed', elapsedMs: 15_000, attempts: 1, source: 'run-details' },
    ]);
  });

  it('accepts `succeeded` as well as `completed`', async () => {
    const wf = new FakeWorkflows(() => [{ ...done(), status: 'succeeded' }]);
    const out = await triggerWith(wf);
    expect(out.result.profiles_generated).toBe(2000);
  });

  it('a failed run rejects with the run id and the platform error, after failed has held for the grace period', async () => {
    const wf = new FakeWorkflows(() => [{ status: 'running' }, { status: 'failed', error: 'Subtask failed: process_shard: boom' }]);
    const clock = new FakeClock();
    const err = await triggerWith(wf, { clock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailedError);
    expect((err as RunFailedError).message).toBe('merge_customer_data run trn-root-0 failed: Subtask failed: process_shard: boom');
    expect((err as RunFailedError).taskRunId).toBe('trn-root-0');
    // Read failed, then kept watching ≥ 10 s (the default grace) before believing it.
    const grace = failedGraceFor(MERGE_CUSTOMER_DATA_OPTIONS);
    expect(grace).toBe(10_000);
    expect(clock.t).toBeGreaterThanOrEqual(1000 + grace);
    expect(wf.rootReads()).toBeGreaterThan(3);
  });

  it('a run that reads failed and then runs again is followed to its real end', async () => {
    const wf = new FakeWorkflows(() => [
      { status: 'running' },
      { status: 'failed', error: 'first attempt failed' },
      { status: 'failed', error: 'first attempt failed' },
      { status: 'running' },
      { status: 'running' },
      done(),
    ]);
    const statuses: string[] = [];
    const out = await triggerWith(wf, { onStatus: (s) => statuses.push(s) });
    expect(out.result).toEqual(result);
    expect(out.sawRetry).toBe(true);
    expect(statuses).toEqual(['running', 'failed', 'running', 'completed']);
    expect(wf.rootReads()).toBe(6);
    expect(formatOutcome(out)).toMatch(/the run failed once and was retried/);
  });

  it('the same, when the failure shows between polls that grow long: it is still caught within the grace period', async () => {
    // 8 running reads make the poll interval reach its cap, then a failed reading, then a retry.
    const states: TaskRunLike[] = [...Array<TaskRunLike>(8).fill({ status: 'running' }), { status: 'failed' }, { status: 'running' }, done()];
    const clock = new FakeClock();
    const out = await triggerWith(new FakeWorkflows(() => states), { clock });
    expect(out.sawRetry).toBe(true);
    // While failed is unconfirmed, polls come at most grace/5 apart.
    expect(clock.sleeps[8]).toBeLessThanOrEqual(2000);
  });

  it('a canceled run rejects at once', async () => {
    const wf = new FakeWorkflows(() => [{ status: 'canceled' }]);
    const err = await triggerWith(wf).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailedError);
    expect((err as RunFailedError).status).toBe('canceled');
    expect(wf.rootReads()).toBe(1);
  });

  it('polls back off by 1.5x up to the cap', async () => {
    const states: TaskRunLike[] = [...Array<TaskRunLike>(9).fill({ status: 'running' }), done()];
    const clock = new FakeClock();
    await triggerWith(new FakeWorkflows(() => states), { clock, poll: { initialMs: 1000, maxMs: 5000 } });
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000, 5000, 5000]);
  });

  it('stops waiting (without canceling) after the timeout', async () => {
    const wf = new FakeWorkflows(() => [{ status: 'running' }]);
    const err = await triggerWith(wf, { poll: { timeoutMs: 60_000 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TriggerError);
    expect((err as Error).message).toBe('task run trn-root-0 is still running after 60 s; stopped waiting (the run was not canceled)');
  });

  it('rides out transient read errors, and gives up after five in a row', async () => {
    const blip = new Error('ECONNRESET');
    const ok = await triggerWith(new FakeWorkflows(() => [blip, blip, done()]));
    expect(ok.result).toEqual(result);
    const err = await triggerWith(new FakeWorkflows(() => [blip])).catch((e: unknown) => e);
    expect((err as Error).message).toBe('cannot read task run trn-root-0 (5 tries): ECONNRESET');
  });

  it('refuses a completed run without a RunResult', async () => {
    const wf = new FakeWorkflows(() => [{ status: 'completed', results: [] }]);
    await expect(triggerWith(wf)).rejects.toThrow(/without a RunResult in results\[0\]: \[\]/);
  });
});

describe('shard times from the run details', () => {
  it('fetch a child run\'s details when the listing lacks its input, and ignore runs of other trees', async () => {
    const listed = [
      { ...child(1, 0, 9), input: undefined },
      child(0, 0, 4),
      { ...child(7, 0, 1), id: 'trn-other', parentTaskRunId: 'trn-root-x', rootTaskRunId: 'trn-root-x' },
      { id: 'trn-root-0', status: 'completed' }, // the root itself
    ];
    const wf = new FakeWorkflows(() => [done()], () => listed, (id) => (id === 'trn-shard-1' ? child(1, 0, 9) : undefined));
    const out = await triggerWith(wf);
    expect(out.shards.map((s) => [s.shardIndex, s.elapsedMs])).toEqual([
      [0, 4000],
      [1, 9000],
    ]);
    expect(wf.calls.filter((c) => c.method === 'getTaskRun' && c.args[0] === 'trn-shard-1')).toHaveLength(1);
  });

  it('page through long listings with the cursor', async () => {
    const many = Array.from({ length: 150 }, (_, i) => child(i, 0, 1 + (i % 5)));
    const wf = new FakeWorkflows(() => [done()], () => many);
    const out = await triggerWith(wf);
    expect(out.shards).toHaveLength(150);
    expect(out.shards.map((s) => s.shardIndex)).toEqual(many.map((_, i) => i));
    const lists = wf.calls.filter((c) => c.method === 'listTaskRuns').map((c) => c.args[0]);
    expect(lists).toEqual([
      { rootTaskRunId: ['trn-root-0'], limit: 100 },
      { rootTaskRunId: ['trn-root-0'], limit: 100, cursor: 'c99' },
    ]);
  });

  it('name every child by what it is: prepare, partition <source>, shard N, shards a-b', async () => {
    const kid = (id: string, arg: Record<string, unknown>, end: number): TaskRunLike => ({ ...child(0, 0, end), id, input: [arg] });
    const listed = [
      kid('trn-g1', { run_id: 'r', shard_count: 8, shard_indices: [4, 5, 6, 7] }, 6),
      kid('trn-p', { data: 'data' }, 1),
      kid('trn-g0', { run_id: 'r', shard_count: 8, shard_indices: [0, 1, 2, 3] }, 5),
      kid('trn-s', { run_id: 'r', data: 'data', shard_count: 8, spill_dir: 'x', source: 'crm' }, 2),
      kid('trn-ss', { run_id: 'r', data: 'data', shard_count: 8, spill_dir: 'x', sources: ['billing', 'support'] }, 3),
      kid('trn-odd', { run_id: 'r', shard_count: 8, shard_indices: [1, 3] }, 4),
    ];
    const wf = new FakeWorkflows(() => [done()], () => listed);
    const out = await triggerWith(wf);
    expect(out.shards.map((s) => [s.kind, s.label, s.elapsedMs])).toEqual([
      ['prepare', 'prepare', 1000],
      ['partition', 'partition billing,support', 3000],
      ['partition', 'partition crm', 2000],
      ['shard', 'shards 0-3', 5000],
      ['shard', 'shards 1,3', 4000],
      ['shard', 'shards 4-7', 6000],
    ]);
    const text = formatOutcome(out);
    expect(text).toMatch(/^ {4}prepare +1\.00 s$/m);
    expect(text).toMatch(/^ {4}shards 0-3 +5\.00 s$/m);
    expect(text).not.toMatch(/\?/);
  });

  it.each([300, 100])('read only this run\'s children from a server that ignores rootTaskRunId, limit and cursor and holds %i earlier runs', async (earlier) => {
    // Earlier roots trn-old-k, each with a prepare and 3 shards, listed before and after this run's.
    const old = Array.from({ length: earlier }, (_, k) => [
      { ...child(0, 0, 50), id: `trn-old-${k}-p`, parentTaskRunId: `trn-old-${k}`, rootTaskRunId: `trn-old-${k}`, input: [{ data: 'data' }] },
      ...[0, 1, 2].map((i) => ({ ...child(i, 0, 60), id: `trn-old-${k}-${i}`, parentTaskRunId: `trn-old-${k}`, rootTaskRunId: `trn-old-${k}` })),
      { id: `trn-old-${k}`, status: 'completed', parentTaskRunId: '', rootTaskRunId: `trn-old-${k}` },
    ]).flat();
    const mine = [{ ...child(0, 0, 1), id: 'trn-mine-p', input: [{ data: 'data' }] }, child(2, 0, 4), child(0, 0, 2), child(1, 0, 3)];
    const half = old.length >> 1;
    const all = [...old.slice(0, half), ...mine, { id: 'trn-root-0', status: 'completed', parentTaskRunId: '', rootTaskRunId: 'trn-root-0' }, ...old.slice(half)];
    // The listing omits inputs (as the dev server's does): only this run's children are fetched.
    const wf = new FakeWorkflows(() => [done()], () => all.map((r) => ({ ...r, input: undefined })), (id) => all.find((r) => r.id === id), 100, true);
    const out = await triggerWith(wf);
    expect(out.shards.map((s) => [s.label, s.taskRunId, s.elapsedMs])).toEqual([
      ['prepare', 'trn-mine-p', 1000],
      ['shard 0', 'trn-shard-0', 2000],
      ['shard 1', 'trn-shard-1', 3000],
      ['shard 2', 'trn-shard-2', 4000],
    ]);
    expect(wf.calls.filter((c) => c.method === 'listTaskRuns').length).toBeLessThanOrEqual(2);
    const fetched = wf.calls.filter((c) => c.method === 'getTaskRun' && c.args[0] !== 'trn-root-0').map((c) => c.args[0]);
    expect(fetched.sort()).toEqual(['trn-mine-p', 'trn-shard-0', 'trn-shard-1', 'trn-shard-2']);
  });

  it('fall back to the shards\' own elapsed_ms when the details list no child runs', async () => {
    const wf = new FakeWorkflows(() => [done()]);
    const out = await triggerWith(wf);
    expect(out.shards).toEqual(result.shards.map((s) => ({ kind: 'shard', label: `shard ${s.shard_index}`, shardIndex: s.shard_index, taskRunId: null, status: 'succeeded', elapsedMs: s.elapsed_ms, attempts: null, source: 'in-task' })));
    expect(formatOutcome(out)).toMatch(/from the shards' own timing/);
  });
});

describe('helpers', () => {
  it('taskSlug builds the task id and refuses a slug with a slash', () => {
    expect(taskSlug('customer-merge')).toBe('customer-merge/merge_customer_data');
    expect(() => taskSlug('a/b')).toThrow(/workflow slug .* got "a\/b"/);
    expect(() => taskSlug('')).toThrow(/workflow slug/);
  });

  it('phaseOf maps every status word the API uses', () => {
    expect(['pending', 'running', 'completed', 'succeeded', 'failed', 'canceled', 'CANCELLED', undefined].map(phaseOf)).toEqual([
      'active', 'active', 'succeeded', 'succeeded', 'failed', 'canceled', 'canceled', 'active',
    ]);
  });

  it('the failed grace period outlasts the longest retry wait of a policy', () => {
    // process_shard: waits 2, 4, 8 s → grace 16 s.
    expect(failedGraceFor(PROCESS_SHARD_OPTIONS)).toBe(16_000);
  });

  it('readRunResult accepts the bare value too', () => {
    expect(readRunResult({ results: result }, 'x')).toBe(result);
  });

  it('waitForFinal on a run whose failure holds returns failed, not earlier than the grace period', async () => {
    const clock = new FakeClock();
    const wf = new FakeWorkflows(() => [{ status: 'failed' }]);
    const { taskRunId } = await wf.startTask('s/merge_customer_data', [input]);
    const out = await waitForFinal(new FakeRender(wf), taskRunId, { failedGraceMs: 3000 }, clock);
    expect(out.status).toBe('failed');
    expect(clock.t).toBeGreaterThanOrEqual(3000);
  });

  it('formatOutcome prints the summary the local CLI prints, then shard times', async () => {
    const wf = new FakeWorkflows(() => [done()], () => [child(0, 0, 2), child(1, 0, 3, { retries: 2 }), child(2, 0, 1)]);
    const text = formatOutcome(await triggerWith(wf));
    expect(text).toContain(formatSummary(result));
    expect(text).toMatch(/wall 42\.00 s \(platform start to end\)/);
    expect(text).toMatch(/shard 1\s+3\.00 s, 3 attempts/);
  });
});
