/** The slice of `@renderinc/sdk`'s client this project uses, so code and tests run without the SDK. */

/** The fields of the SDK's TaskRunDetails / TaskRun that the trigger reads; all optional, since
 * the hosted API and the local dev server do not fill the same ones. */
export interface TaskRunLike {
  readonly id?: string;
  readonly status?: string;
  readonly results?: unknown;
  readonly error?: unknown;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly retries?: number;
  readonly attempts?: readonly unknown[];
  readonly parentTaskRunId?: string;
  readonly rootTaskRunId?: string;
  readonly input?: unknown;
}

/** The part of the SDK's `render.workflows` the trigger uses. */
export interface WorkflowsClientLike {
  startTask(taskSlug: string, input: unknown[]): Promise<{ readonly taskRunId: string }>;
  getTaskRun(taskRunId: string): Promise<TaskRunLike>;
  /** Lists runs; with `rootTaskRunId`, the runs of one tree (used for per-shard times). */
  listTaskRuns?(params: Record<string, unknown>): Promise<readonly unknown[]>;
}

/** What `new Render(...)` of `@renderinc/sdk` gives: `{ workflows }`. */
export interface TriggerClientLike {
  readonly workflows: WorkflowsClientLike;
}

/** Time, injectable so tests neither sleep nor depend on the wall clock. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

