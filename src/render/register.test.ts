import { describe, expect, it } from 'vitest';
import { InlineRuntime } from '../runtime/inline.js';
import { defineTask } from '../runtime/task.js';
import type { AnyTask, TaskOptions } from '../runtime/task.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import { MERGE_CUSTOMER_DATA_OPTIONS, PROCESS_SHARD_OPTIONS, processShardOptions } from '../tasks/options.js';
import { processShard } from '../tasks/process-shard.js';
import { tasks } from '../tasks/registry.js';
import { registerTasks, toSdkOptions } from './register.js';
import type { SdkTaskDefinition, SdkTaskOptions, WorkflowsSdkLike } from './sdk.js';

/** A stand-in for `@renderinc/sdk/workflows`: records each `task()` call and, like the SDK,
 * returns a frozen `{ name, func }`. */
class FakeWorkflowsSdk implements WorkflowsSdkLike {
  readonly calls: { options: SdkTaskOptions; func: unknown }[] = [];
  constructor(private readonly rename?: (name: string) => string) {}
  task(options: SdkTaskOptions, func: (ctx: unknown, ...args: unknown[]) => unknown): SdkTaskDefinition {
    this.calls.push({ options, func });
    return Object.freeze({ name: this.rename ? this.rename(options.name) : options.name, func });
  }
}

const noop = defineTask({ name: 'noop' }, () => null);
const withOptions = (options: TaskOptions): AnyTask => defineTask(options, () => null);

describe('registerTasks', () => {
  const byName = (sdk: FakeWorkflowsSdk, name: string): { options: SdkTaskOptions; func: unknown } | undefined =>
    sdk.calls.find((c) => c.options.name === name);

  it('registers exactly the project registry, in order, once each', () => {
    const sdk = new FakeWorkflowsSdk();
    registerTasks(sdk, tasks);
    expect(sdk.calls.map((c) => c.options.name)).toEqual(tasks.map((t) => t.name));
    expect(new Set(sdk.calls.map((c) => c.options.name)).size).toBe(tasks.length);
    expect(sdk.calls.map((c) => c.options.name)).toEqual(expect.arrayContaining(['process_shard', 'merge_customer_data']));
  });

  it('passes the very function objects the local runtime runs', () => {
    const sdk = new FakeWorkflowsSdk();
    registerTasks(sdk, tasks);
    expect(byName(sdk, 'process_shard')?.func).toBe(processShard.func);
    expect(byName(sdk, 'merge_customer_data')?.func).toBe(mergeCustomerData.func);
    // The local runtime's workers look tasks up by name in this same registry module.
    for (const [i, t] of tasks.entries()) expect(sdk.calls[i]?.func).toBe(t.func);
  });

  it('passes the options of src/tasks/options.ts in the SDK shape', () => {
    const sdk = new FakeWorkflowsSdk();
    registerTasks(sdk, tasks);
    const shard = PROCESS_SHARD_OPTIONS;
    expect(byName(sdk, 'process_shard')?.options).toEqual({
      name: 'process_shard',
      retry: { maxRetries: shard.retry?.maxRetries, waitDurationMs: shard.retry?.waitDurationMs, backoffScaling: shard.retry?.backoffScaling },
      timeoutSeconds: shard.timeoutSeconds,
      plan: shard.plan,
    });
    expect(byName(sdk, 'merge_customer_data')?.options).toEqual({
      name: 'merge_customer_data',
      timeoutSeconds: MERGE_CUSTOMER_DATA_OPTIONS.timeoutSeconds,
      plan: MERGE_CUSTOMER_DATA_OPTIONS.plan,
    });
    // Every task: its own options, field for field, with the backoff default written out.
    for (const [i, t] of tasks.entries()) {
      const o = t.options;
      expect(sdk.calls[i]?.options).toEqual({
        name: t.name,
        ...(o.retry ? { retry: { maxRetries: o.retry.maxRetries, waitDurationMs: o.retry.waitDurationMs, backoffScaling: o.retry.backoffScaling ?? 1.5 } } : {}),
        ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
        ...(o.plan !== undefined ? { plan: o.plan } : {}),
      });
    }
    // Tutorial Part 2 (with no SHARD_* overrides in the environment): 3 retries, 2 s first
    // wait, exponential; the orchestrator is not retried.
    expect(processShardOptions({}).retry).toEqual({ maxRetries: 3, waitDurationMs: 2000, backoffScaling: 2 });
    expect(byName(sdk, 'merge_customer_data')?.options.retry).toBeUndefined();
  });

  it('returns the SDK definitions, whose names are ours, so ctx.run(ourDefinition) addresses the same task', () => {
    const regs = registerTasks(new FakeWorkflowsSdk(), tasks);
    expect(regs.map((r) => r.definition.name)).toEqual(tasks.map((t) => t.name));
    expect(regs.map((r) => r.task)).toEqual([...tasks]);
  });

  it('registers synchronously: every task is registered when the call returns', () => {
    const sdk = new FakeWorkflowsSdk();
    const result = registerTasks(sdk, tasks);
    expect(result).not.toBeInstanceOf(Promise);
    expect(sdk.calls).toHaveLength(tasks.length);
  });

  it('refuses an SDK that registers a task under another name', () => {
    expect(() => registerTasks(new FakeWorkflowsSdk((n) => `${n}_v2`), [noop])).toThrow(/registered task "noop" as "noop_v2"/);
  });

  it('registers nothing when any task has a bad option', () => {
    const sdk = new FakeWorkflowsSdk();
    const bad = withOptions({ name: 'too_short', timeoutSeconds: 10 });
    expect(() => registerTasks(sdk, [noop, bad])).toThrow(/too_short: timeoutSeconds must be a whole number from 30 to 86400, got 10/);
    expect(sdk.calls).toHaveLength(0);
  });

  it('refuses a task listed twice', () => {
    expect(() => registerTasks(new FakeWorkflowsSdk(), [noop, noop])).toThrow(/"noop" is listed twice/);
  });

  it('the registered functions run under a context like the SDK one (ctx first, JSON args after)', async () => {
    const sdk = new FakeWorkflowsSdk();
    const child = defineTask({ name: 'double' }, (_ctx, n: number) => n * 2);
    const parent = defineTask({ name: 'sum_doubles' }, async (ctx, ns: number[]) => {
      const parts = await Promise.all(ns.map((n) => ctx.run(child, n)));
      return parts.reduce((a, b) => a + b, 0);
    });
    registerTasks(sdk, [child, parent]);
    // An in-process context that, like the SDK's, looks the subtask up by name among registrations.
    const byName = new Map(sdk.calls.map((c) => [c.options.name, c.func as (ctx: unknown, ...a: unknown[]) => unknown]));
    const ctx = {
      run: async (def: { name: string }, ...args: unknown[]): Promise<unknown> => byName.get(def.name)?.(ctx, ...args),
    };
    await expect(Promise.resolve(byName.get('sum_doubles')?.(ctx, [1, 2, 3]))).resolves.toBe(12);
    await expect(new InlineRuntime().run(parent, [1, 2, 3])).resolves.toBe(12);
  });
});

describe('toSdkOptions', () => {
  it('writes out the default backoff scaling (1.5) so Render and the local runtime agree', () => {
    expect(toSdkOptions({ name: 'x', retry: { maxRetries: 1, waitDurationMs: 100 } }).retry).toEqual({
      maxRetries: 1,
      waitDurationMs: 100,
      backoffScaling: 1.5,
    });
  });

  it('omits what is unset (the SDK applies its defaults)', () => {
    expect(toSdkOptions({ name: 'x' })).toEqual({ name: 'x' });
  });

  it.each([
    [{ name: 'x', timeoutSeconds: 29 }, /timeoutSeconds .* got 29/],
    [{ name: 'x', timeoutSeconds: 86_401 }, /timeoutSeconds .* got 86401/],
    [{ name: 'x', timeoutSeconds: 60.5 }, /timeoutSeconds .* got 60.5/],
    [{ name: 'x', retry: { maxRetries: -1, waitDurationMs: 0 } }, /retry.maxRetries .* got -1/],
    [{ name: 'x', retry: { maxRetries: 1, waitDurationMs: 1.5 } }, /retry.waitDurationMs .* got 1.5/],
    [{ name: 'x', retry: { maxRetries: 1, waitDurationMs: 1, backoffScaling: 0 } }, /retry.backoffScaling .* got 0/],
    [{ name: 'x', plan: 'Huge Plan' }, /plan must be .* got "Huge Plan"/],
    [{ name: 'Bad-Name' }, /task name must be snake_case .* got "Bad-Name"/],
  ] as [TaskOptions, RegExp][])('rejects %j', (options, message) => {
    expect(() => toSdkOptions(options)).toThrow(message);
  });

  it('accepts the bounds 30 and 86400', () => {
    expect(toSdkOptions({ name: 'x', timeoutSeconds: 30 }).timeoutSeconds).toBe(30);
    expect(toSdkOptions({ name: 'x', timeoutSeconds: 86_400 }).timeoutSeconds).toBe(86_400);
  });
});
