import { InvalidOptionError } from '../core/errors.js';
import { DEFAULT_BACKOFF_SCALING } from '../runtime/task.js';
import type { AnyTask, TaskOptions } from '../runtime/task.js';
import type { SdkTaskDefinition, SdkTaskOptions, WorkflowsSdkLike } from './sdk.js';

/** Render's bounds on a task's timeout, in seconds. */
export const MIN_TIMEOUT_SECONDS = 30;
export const MAX_TIMEOUT_SECONDS = 86_400;

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * Our task options in the SDK's shape, checked against Render's limits so a bad option fails at
 * registration. `backoffScaling` is written out so both runtimes compute the same waits.
 */
export function toSdkOptions(options: TaskOptions): SdkTaskOptions {
  const { name } = options;
  const bad = (what: string, value: unknown, rule: string): InvalidOptionError =>
    new InvalidOptionError(`task ${name}: ${what} must be ${rule}, got ${JSON.stringify(value)}`);
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new InvalidOptionError(`task name must be snake_case letters and digits, got ${JSON.stringify(name)}`);
  }
  const out: { -readonly [K in keyof SdkTaskOptions]: SdkTaskOptions[K] } = { name };
  if (options.retry !== undefined) {
    const { maxRetries, waitDurationMs } = options.retry;
    const backoffScaling = options.retry.backoffScaling ?? DEFAULT_BACKOFF_SCALING;
    if (!isWhole(maxRetries)) throw bad('retry.maxRetries', maxRetries, 'a whole number ≥ 0');
    if (!isWhole(waitDurationMs)) throw bad('retry.waitDurationMs', waitDurationMs, 'a whole number of ms ≥ 0');
    if (typeof backoffScaling !== 'number' || !Number.isFinite(backoffScaling) || backoffScaling <= 0) {
      throw bad('retry.backoffScaling', backoffScaling, 'a finite number > 0');
    }
    out.retry = { maxRetries, waitDurationMs, backoffScaling };
  }
  if (options.timeoutSeconds !== undefined) {
    const t = options.timeoutSeconds;
    if (!isWhole(t) || t < MIN_TIMEOUT_SECONDS || t > MAX_TIMEOUT_SECONDS) {
      throw bad('timeoutSeconds', t, `a whole number from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}`);
    }
    out.timeoutSeconds = t;
  }
  if (options.plan !== undefined) {
    if (typeof options.plan !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(options.plan)) {
      throw bad('plan', options.plan, 'a plan name such as "starter", "standard" or "pro"');
    }
    out.plan = options.plan;
  }
  return out;
}

/** One task as handed to the SDK, and what the SDK returned for it. */
export interface Registration {
  readonly task: AnyTask;
  readonly options: SdkTaskOptions;
  readonly definition: SdkTaskDefinition;
}

/**
 * Registers every task with the SDK, synchronously (its server starts on the next turn of the
 * event loop), after checking all options. The SDK's definitions must carry exactly our names,
 * since `ctx.run` addresses subtasks by name.
 */
export function registerTasks(sdk: WorkflowsSdkLike, tasks: readonly AnyTask[]): Registration[] {
  const planned = tasks.map((task) => {
    if (task.options.name !== task.name) {
      throw new InvalidOptionError(`task ${JSON.stringify(task.name)} carries options named ${JSON.stringify(task.options.name)}`);
    }
    return { task, options: toSdkOptions(task.options) };
  });
  const seen = new Set<string>();
  for (const { task } of planned) {
    if (seen.has(task.name)) throw new InvalidOptionError(`task ${JSON.stringify(task.name)} is listed twice`);
    seen.add(task.name);
  }
  return planned.map(({ task, options }) => {
    const definition = sdk.task(options, task.func);
    if (definition?.name !== task.name) {
      throw new Error(`the SDK registered task ${JSON.stringify(task.name)} as ${JSON.stringify(definition?.name)}; ctx.run addresses tasks by name, so they must match`);
    }
    return { task, options, definition };
  });
}
