import { ArgumentTooLargeError, isPermanent } from '../core/errors.js';
import type { ProcessUsage, RuntimeEvent, RuntimeListener } from './events.js';
import { MAX_ARGUMENT_BYTES, retryDelayMs } from './task.js';
import type { RetryOptions, TaskOptions } from './task.js';

/** The outcome of one attempt as the runtime saw it. */
export interface AttemptOutcome {
  readonly value: unknown;
  readonly usage?: ProcessUsage;
}

/**
 * Runs one attempt of a task with JSON arguments; rejects when the attempt failed. Calls
 * `started` when the attempt really starts (after waiting for a concurrency slot).
 */
export type AttemptRunner = (
  options: TaskOptions,
  argsJson: string,
  attempt: number,
  started: () => void,
) => Promise<AttemptOutcome>;

/** A task run that failed after all its attempts, with Render's "Subtask failed" wording. */
export class TaskRunError extends Error {
  readonly task: string;
  readonly attempts: number;
  readonly retryable: boolean;
  override readonly cause: unknown;
  constructor(task: string, attempts: number, cause: unknown) {
    super(`Subtask failed: ${task} after ${attempts} attempt(s): ${describeError(cause)}`);
    this.name = 'TaskRunError';
    this.task = task;
    this.attempts = attempts;
    this.cause = cause;
    this.retryable = !isPermanent(cause);
  }
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Serialises task arguments the way they cross Render's wire (a JSON array) and enforces the
 * 4 MB cap, so an oversized argument fails here exactly as it would when deployed.
 */
export function encodeArgs(task: string, args: readonly unknown[], limit = MAX_ARGUMENT_BYTES): string {
  const json = JSON.stringify(args);
  const bytes = Buffer.byteLength(json);
  if (bytes > limit) throw new ArgumentTooLargeError(task, bytes, limit);
  return json;
}

let counter = 0;
/** A run id unique within this process, readable in logs. */
export function newRunId(task: string): string {
  counter++;
  return `${task}-${process.pid.toString(36)}-${Date.now().toString(36)}-${counter}`;
}

export interface RetryLoopOptions {
  readonly runId: string;
  readonly parentRunId?: string;
  readonly emit: RuntimeListener;
  /**
   * Replaces the policy of a task that has one (the chaos drill and tests shorten waits). A task
   * without a retry policy (the orchestrator) stays without one.
   */
  readonly retry?: RetryOptions | undefined;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Render's retry semantics for every runtime: up to `maxRetries + 1` attempts, waiting
 * `waitDurationMs × backoffScaling^k` before retry k; a permanent error ends the run at once.
 */
export async function runWithRetries(
  options: TaskOptions,
  argsJson: string,
  runAttempt: AttemptRunner,
  loop: RetryLoopOptions,
): Promise<unknown> {
  const { runId, emit } = loop;
  const task = options.name;
  const retry = options.retry === undefined ? undefined : (loop.retry ?? options.retry);
  const maxAttempts = (retry?.maxRetries ?? 0) + 1;
  const sleep = loop.sleep ?? defaultSleep;
  emit({ type: 'run_started', runId, task, ...(loop.parentRunId !== undefined ? { parentRunId: loop.parentRunId } : {}) });
  for (let attempt = 1; ; attempt++) {
    let t0 = performance.now();
    let announced = false;
    const started = (): void => {
      if (announced) return;
      announced = true;
      t0 = performance.now();
      emit({ type: 'attempt_started', runId, task, attempt });
    };
    try {
      const outcome = await runAttempt(options, argsJson, attempt, started);
      started();
      const elapsedMs = Math.round(performance.now() - t0);
      emit({ type: 'attempt_succeeded', runId, task, attempt, elapsedMs, ...(outcome.usage ? { usage: outcome.usage } : {}) });
      emit({ type: 'run_finished', runId, task, status: 'succeeded', attempts: attempt });
      return outcome.value;
    } catch (err) {
      started();
      const last = attempt >= maxAttempts || isPermanent(err);
      const retryInMs = last || retry === undefined ? undefined : retryDelayMs(retry, attempt - 1);
      emit({
        type: 'attempt_failed',
        runId,
        task,
        attempt,
        error: describeError(err),
        ...(retryInMs !== undefined ? { retryInMs } : {}),
      });
      if (retryInMs === undefined) {
        emit({ type: 'run_finished', runId, task, status: 'failed', attempts: attempt, error: describeError(err) });
        throw new TaskRunError(task, attempt, err);
      }
      await sleep(retryInMs);
    }
  }
}

/** A listener list; emitting never throws into the runtime. */
export class Emitter {
  private readonly listeners: RuntimeListener[] = [];
  on(listener: RuntimeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
  readonly emit = (event: RuntimeEvent): void => {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken listener must not fail a task run.
      }
    }
  };
}
