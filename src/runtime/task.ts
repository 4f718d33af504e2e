/**
 * The task model of Render Workflows' SDK 1.x, so task code runs unchanged here and on Render: a
 * task is `{ name, func }`, `func(ctx, ...jsonArgs)`, and `ctx.run(task, ...args)` runs a subtask.
 */

/** Render's retry policy: attempts = maxRetries + 1; wait before retry k (k = 0, 1, …) is
 * `waitDurationMs × backoffScaling^k`. */
export interface RetryOptions {
  readonly maxRetries: number;
  readonly waitDurationMs: number;
  /** Defaults to 1.5, as on Render. */
  readonly backoffScaling?: number;
}

export interface TaskOptions {
  readonly name: string;
  readonly retry?: RetryOptions;
  /** 30..86400 on Render; default 7200. */
  readonly timeoutSeconds?: number;
  /** Render instance plan (starter, standard, pro, …). Ignored locally. */
  readonly plan?: string;
}

/** What a task sees of the runtime. The only capability task code may rely on is `run`. */
export interface TaskContext {
  run<A extends unknown[], R>(task: TaskDefinition<A, R>, ...args: A): Promise<R>;
}

export type TaskFunction<A extends unknown[], R> = (ctx: TaskContext, ...args: A) => Promise<R> | R;

/** A registered task. Frozen: the same object is handed to every runtime. */
export interface TaskDefinition<A extends unknown[] = never[], R = unknown> {
  readonly name: string;
  readonly options: TaskOptions;
  readonly func: TaskFunction<A, R>;
}

/** Any task definition, whatever its argument and result types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = TaskDefinition<any[], any>;

export const DEFAULT_BACKOFF_SCALING = 1.5;
export const DEFAULT_TIMEOUT_SECONDS = 7200;
/** Render caps a task's JSON arguments at 4 MB. */
export const MAX_ARGUMENT_BYTES = 4 * 1024 * 1024;

/** Defines a task the way the SDK's `task(options, func)` does. */
export function defineTask<A extends unknown[], R>(
  options: TaskOptions,
  func: TaskFunction<A, R>,
): TaskDefinition<A, R> {
  if (!/^[a-z][a-z0-9_]*$/.test(options.name)) {
    throw new TypeError(`task name must be snake_case letters and digits, got ${JSON.stringify(options.name)}`);
  }
  return Object.freeze({ name: options.name, options: Object.freeze({ ...options }), func });
}

/** Delay in ms before retry `k` (0 for the first retry) under Render's formula. */
export function retryDelayMs(retry: RetryOptions, k: number): number {
  return retry.waitDurationMs * (retry.backoffScaling ?? DEFAULT_BACKOFF_SCALING) ** k;
}
