/**
 * Starting `merge_customer_data` on Render (or its local dev server), waiting for its real final
 * state, and gathering the RunResult and shard timings; pure logic against `TriggerClientLike`.
 */
import { formatSummary } from '../cli/summary.js';
import type { RunInput, RunResult } from '../tasks/contracts.js';
import { realClock } from './client.js';
import type { Clock, TaskRunLike, TriggerClientLike } from './client.js';
import { shardTimings } from './shard-timings.js';
import type { ShardTiming } from './shard-timings.js';
import { spanMs } from './shard-timings.js';
import { ROOT_TASK, RunFailedError, TriggerError, waitForFinal } from './wait.js';
import type { PollOptions } from './wait.js';

/** `<workflow-slug>/merge_customer_data`, the id the API addresses the task by. */
export function taskSlug(workflowSlug: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(workflowSlug)) {
    throw new TriggerError(`workflow slug must be letters, digits, '-' or '_' (as shown on the workflow's page), got ${JSON.stringify(workflowSlug)}`);
  }
  return `${workflowSlug}/${ROOT_TASK}`;
}

/** The RunResult a finished run carries in `results[0]`, checked for the fields we print. */
export function readRunResult(run: TaskRunLike, taskRunId: string): RunResult {
  const value = Array.isArray(run.results) ? (run.results as unknown[])[0] : run.results;
  const r = value as Partial<RunResult> | undefined;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.profiles_generated !== 'number' ||
    typeof r.records_processed !== 'number' ||
    typeof r.statistics !== 'object' ||
    typeof r.sources !== 'object' ||
    !Array.isArray(r.shards)
  ) {
    throw new TriggerError(`task run ${taskRunId} completed without a RunResult in results[0]: ${String(JSON.stringify(run.results)).slice(0, 200)}`);
  }
  return r as RunResult;
}

/** Text of a run's `error` field, whatever its shape (string, { message }, { details }). */
export function errorDetail(error: unknown): string {
  if (error === undefined || error === null) return '';
  if (typeof error === 'string') return error;
  const e = error as { message?: unknown; details?: unknown };
  if (typeof e.message === 'string') return e.message;
  if (typeof e.details === 'string') return e.details;
  return JSON.stringify(error);
}

export interface TriggerOptions {
  /** The workflow's slug (RENDER_WORKFLOW_SLUG); the task id is `<slug>/merge_customer_data`. */
  readonly slug: string;
  readonly input: RunInput;
  readonly poll?: PollOptions;
  readonly clock?: Clock;
  /** Called once the run is started, with its id (so a user can find it while it runs). */
  readonly onStarted?: (taskRunId: string) => void;
  /** Called when the root run's status word changes (progress on stderr). */
  readonly onStatus?: (status: string, run: TaskRunLike) => void;
}

export interface TriggerOutcome {
  readonly taskRunId: string;
  readonly taskId: string;
  readonly result: RunResult;
  /** Start to final state: the platform's startedAt → completedAt when both are given, else as
   * measured here from the start request to the poll that saw the final state. */
  readonly wallMs: number;
  readonly wallSource: 'platform' | 'client';
  /** As measured here (includes queueing and up to one poll interval). */
  readonly clientWallMs: number;
  /** The child runs (prepare, partition, shards) with their elapsed times. */
  readonly shards: ShardTiming[];
  /** The run read `failed` and then ran again before it finished. */
  readonly sawRetry: boolean;
  readonly polls: number;
}

/**
 * Starts `merge_customer_data` with `[input]`, polls it to its final state, returns its result and
 * shard timings; a failed or canceled run rejects with `RunFailedError`.
 */
export async function triggerRun(client: TriggerClientLike, options: TriggerOptions): Promise<TriggerOutcome> {
  const clock = options.clock ?? realClock;
  const taskId = taskSlug(options.slug);
  const t0 = clock.now();
  const started = await client.workflows.startTask(taskId, [options.input]);
  const taskRunId = started?.taskRunId;
  if (typeof taskRunId !== 'string' || taskRunId === '') {
    throw new TriggerError(`starting ${taskId} returned no task run id: ${String(JSON.stringify(started)).slice(0, 200)}`);
  }
  options.onStarted?.(taskRunId);
  const done = await waitForFinal(client, taskRunId, options.poll, clock, options.onStatus);
  const clientWallMs = Math.round(clock.now() - t0);
  if (done.status !== 'succeeded') throw new RunFailedError(taskRunId, done.status, errorDetail(done.run.error));
  const result = readRunResult(done.run, taskRunId);
  const platformMs = spanMs(done.run.startedAt, done.run.completedAt);
  return {
    taskRunId,
    taskId,
    result,
    wallMs: platformMs ?? clientWallMs,
    wallSource: platformMs !== null ? 'platform' : 'client',
    clientWallMs,
    shards: await shardTimings(client, taskRunId, result),
    sawRetry: done.sawRetry,
    polls: done.polls,
  };
}

const seconds = (ms: number | null): string => (ms === null ? '?' : `${(ms / 1000).toFixed(2)} s`);

/** The summary a user reads: the run's figures (as `npm start` prints them) and shard times. */
export function formatOutcome(o: TriggerOutcome): string {
  const lines = [
    `task run ${o.taskRunId} (${o.taskId}) succeeded; wall ${seconds(o.wallMs)} (${o.wallSource === 'platform' ? 'platform start to end' : 'measured by this client'})${o.sawRetry ? '; the run failed once and was retried' : ''}`,
    formatSummary(o.result),
  ];
  const source = o.shards[0]?.source === 'in-task' ? 'the shards\' own timing (run details listed no child runs)' : 'run details';
  lines.push(`  ${o.shards[0]?.source === 'in-task' ? 'shard' : 'child run'} elapsed times, from ${source}:`);
  const width = Math.max(12, ...o.shards.map((s) => s.label.length + 2));
  for (const s of o.shards) {
    const attempts = s.attempts !== null && s.attempts > 1 ? `, ${s.attempts} attempts` : '';
    const status = s.status !== 'succeeded' && s.status !== 'completed' ? `, ${s.status}` : '';
    lines.push(`    ${s.label.padEnd(width)}${seconds(s.elapsedMs)}${attempts}${status}`);
  }
  return lines.join('\n');
}
