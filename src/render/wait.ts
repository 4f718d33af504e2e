/**
 * Waiting for a task run's real final state by polling: a run can read `failed` between two
 * attempts, so `failed` is final only after holding longer than any retry wait; a run seen running
 * again is followed to its end.
 */
import { retryDelayMs } from '../runtime/task.js';
import type { TaskOptions } from '../runtime/task.js';
import { MERGE_CUSTOMER_DATA_OPTIONS } from '../tasks/options.js';
import { realClock } from './client.js';
import type { Clock, TaskRunLike, TriggerClientLike } from './client.js';

/** The task the trigger starts: the orchestrator, addressed as `<workflow-slug>/<name>`. */
export const ROOT_TASK = MERGE_CUSTOMER_DATA_OPTIONS.name;

export interface PollOptions {
  /** First wait between polls (ms); grows by `factor` up to `maxMs`. */
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly factor?: number;
  /** How long `failed` must hold before it is final (ms). Default: the larger of 10 s and twice the
   * longest retry wait of the root task's policy. */
  readonly failedGraceMs?: number;
  /** Give up waiting (the run is not canceled) after this long (ms). Default: root timeout + 10 min. */
  readonly timeoutMs?: number;
  /** Consecutive failed reads of the run tolerated before giving up. */
  readonly maxReadErrors?: number;
}

export type FinalStatus = 'succeeded' | 'failed' | 'canceled';
type Phase = FinalStatus | 'active';

/** Maps the API's status words (pending, running, completed/succeeded, failed, canceled) to phases. */
export function phaseOf(status: unknown): Phase {
  const s = typeof status === 'string' ? status.toLowerCase() : '';
  if (s === 'completed' || s === 'succeeded') return 'succeeded';
  if (s === 'failed') return 'failed';
  if (s === 'canceled' || s === 'cancelled') return 'canceled';
  return 'active';
}

/** The default grace period for a `failed` reading under a task's retry policy. */
export function failedGraceFor(options: TaskOptions): number {
  const retry = options.retry;
  let longest = 0;
  if (retry !== undefined) for (let k = 0; k < retry.maxRetries; k++) longest = Math.max(longest, retryDelayMs(retry, k));
  return Math.max(10_000, 2 * longest);
}

export class TriggerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriggerError';
  }
}

/** The run ended failed or canceled. */
export class RunFailedError extends TriggerError {
  constructor(
    readonly taskRunId: string,
    readonly status: 'failed' | 'canceled',
    readonly detail: string,
  ) {
    super(`${ROOT_TASK} run ${taskRunId} ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'RunFailedError';
  }
}

export interface WaitOutcome {
  readonly status: FinalStatus;
  readonly run: TaskRunLike;
  readonly polls: number;
  /** The run read `failed` and later ran again (a retry the event stream would have missed). */
  readonly sawRetry: boolean;
}

/** Polls a run until its state is final (see the module comment for what "final" means). */
export async function waitForFinal(
  client: TriggerClientLike,
  taskRunId: string,
  options: PollOptions = {},
  clock: Clock = realClock,
  onStatus?: (status: string, run: TaskRunLike) => void,
): Promise<WaitOutcome> {
  const initial = options.initialMs ?? 1000;
  const maxMs = options.maxMs ?? 10_000;
  const factor = options.factor ?? 1.5;
  const grace = options.failedGraceMs ?? failedGraceFor(MERGE_CUSTOMER_DATA_OPTIONS);
  const timeoutMs = options.timeoutMs ?? ((MERGE_CUSTOMER_DATA_OPTIONS.timeoutSeconds ?? 7200) + 600) * 1000;
  const maxReadErrors = options.maxReadErrors ?? 5;
  const deadline = clock.now() + timeoutMs;
  let delay = initial;
  let polls = 0;
  let readErrors = 0;
  let failedSince: number | undefined;
  let sawRetry = false;
  let last: string | undefined;
  let run: TaskRunLike | undefined;
  for (;;) {
    polls++;
    try {
      run = await client.workflows.getTaskRun(taskRunId);
      readErrors = 0;
    } catch (err) {
      if (++readErrors >= maxReadErrors) {
        throw new TriggerError(`cannot read task run ${taskRunId} (${readErrors} tries): ${err instanceof Error ? err.message : String(err)}`);
      }
      run = undefined;
    }
    if (run !== undefined) {
      const word = String(run.status ?? 'unknown');
      if (word !== last) onStatus?.(word, run);
      last = word;
      const phase = phaseOf(run.status);
      if (phase === 'succeeded' || phase === 'canceled') return { status: phase, run, polls, sawRetry };
      if (phase === 'failed') {
        failedSince ??= clock.now();
        if (clock.now() - failedSince >= grace) return { status: 'failed', run, polls, sawRetry };
      } else {
        if (failedSince !== undefined) sawRetry = true;
        failedSince = undefined;
      }
    }
    const now = clock.now();
    if (now >= deadline) {
      throw new TriggerError(`task run ${taskRunId} is still ${last ?? 'unread'} after ${Math.round(timeoutMs / 1000)} s; stopped waiting (the run was not canceled)`);
    }
    // While a failure is pending confirmation, look often enough to catch the retry starting.
    const wait = failedSince !== undefined ? Math.min(delay, Math.max(100, grace / 5)) : delay;
    await clock.sleep(Math.min(wait, deadline - now));
    delay = Math.min(delay * factor, maxMs);
  }
}

