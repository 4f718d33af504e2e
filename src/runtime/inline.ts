import { Emitter, encodeArgs, newRunId, runWithRetries } from './attempts.js';
import type { RuntimeListener } from './events.js';
import type { RetryOptions, TaskContext, TaskDefinition } from './task.js';

export interface InlineRuntimeOptions {
  /** Replaces the retry policy of tasks that have one. */
  readonly retry?: RetryOptions;
  /** Replaces the wait between retries (tests pass a recorder that does not sleep). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxArgumentBytes?: number;
}

/**
 * The in-process mode: every task runs in this process through an inline context; JSON crossing,
 * the 4 MB cap and retries still apply, isolation and timeouts are the local runtime's job.
 */
export class InlineRuntime {
  private readonly emitter = new Emitter();
  constructor(private readonly options: InlineRuntimeOptions = {}) {}

  on(listener: RuntimeListener): () => void {
    return this.emitter.on(listener);
  }

  run<A extends unknown[], R>(task: TaskDefinition<A, R>, ...args: A): Promise<R> {
    return this.runTask(task, args, undefined);
  }

  /** A context whose `run` executes subtasks inline. */
  context(parentRunId?: string): TaskContext {
    return {
      run: <A2 extends unknown[], R2>(task: TaskDefinition<A2, R2>, ...args: A2): Promise<R2> =>
        this.runTask(task, args, parentRunId),
    };
  }

  private async runTask<A extends unknown[], R>(task: TaskDefinition<A, R>, args: A, parentRunId: string | undefined): Promise<R> {
    const argsJson = encodeArgs(task.name, args, this.options.maxArgumentBytes);
    const runId = newRunId(task.name);
    const ctx = this.context(runId);
    const value = await runWithRetries(
      task.options,
      argsJson,
      async (_opts, json, _attempt, started) => {
        started();
        const result = await task.func(ctx, ...(JSON.parse(json) as A));
        return { value: JSON.parse(JSON.stringify(result ?? null)) as unknown };
      },
      {
        runId,
        ...(parentRunId !== undefined ? { parentRunId } : {}),
        emit: this.emitter.emit,
        retry: this.options.retry,
        ...(this.options.sleep !== undefined ? { sleep: this.options.sleep } : {}),
      },
    );
    return value as R;
  }
}
