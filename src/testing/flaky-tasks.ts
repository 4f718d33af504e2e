/**
 * A task registry for fault-injection tests of the embedded runtime (the property suites'
 * idempotency law): the project's tasks, with `process_shard` wrapped so that chosen shards fail
 * their first attempts in a chosen way. Workers load it by path (`LocalRuntime({ registry })`),
 * so it lives under src/ and is compiled by `npm run build`. Never registered on Render.
 *
 * Environment (set through `LocalRuntime({ env })`):
 * - `FLAKY_PLAN`: JSON `{ "<shard index>": { "failures": k, "mode": m } }`: the shard's attempts
 *   1..k fail, attempt k+1 runs normally. Modes: `throw-before` (a retryable error before any
 *   work), `exit-before` (the worker process exits with code 1 before any work), `throw-after`
 *   and `exit-after` (the shard does all its work, output committed, then the attempt fails
 *   anyway: the retry must not duplicate anything).
 * - `FLAKY_DIR`: a folder for attempt markers. The platform passes no attempt number, so each
 *   attempt claims `shard-<i>.attempt-<n>` with an exclusive create: the first to claim n is
 *   attempt n, across processes. Tests read the markers back to count attempts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineTask } from '../runtime/task.js';
import type { AnyTask, TaskContext } from '../runtime/task.js';
import type { ShardInput, ShardResult } from '../tasks/contracts.js';
import { processShard } from '../tasks/process-shard.js';
import { tasks as projectTasks } from '../tasks/registry.js';

export const FLAKY_MODES = ['throw-before', 'exit-before', 'throw-after', 'exit-after'] as const;
export type FlakyMode = (typeof FLAKY_MODES)[number];

/** Which shards fail, how many first attempts, and how. */
export type FlakyPlan = Readonly<Record<string, { readonly failures: number; readonly mode: FlakyMode }>>;

/** Claims the next attempt marker of `shard` in `dir` and returns its number (1 for the first). */
export function claimFlakyAttempt(dir: string, shard: number): number {
  for (let n = 1; n <= 1000; n++) {
    try {
      writeFileSync(join(dir, `shard-${shard}.attempt-${n}`), `${process.pid}\n`, { flag: 'wx' });
      return n;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`more than 1000 attempt markers for shard ${shard} in ${dir}`);
}

/** The error a planned failure throws: retryable, and says it was injected. */
export class FlakyAttemptError extends Error {
  readonly retryable = true;
  constructor(shard: number, attempt: number, mode: FlakyMode) {
    super(`flaky: injected ${mode} failure of shard ${shard} on attempt ${attempt}`);
    this.name = 'FlakyAttemptError';
  }
}

function fail(shard: number, attempt: number, mode: FlakyMode): never {
  if (mode.startsWith('exit')) process.exit(1);
  throw new FlakyAttemptError(shard, attempt, mode);
}

/** `process_shard` under `FLAKY_PLAN` / `FLAKY_DIR`; without them it is `process_shard` itself. */
export const flakyProcessShard = defineTask(processShard.options, async (ctx: TaskContext, input: ShardInput): Promise<ShardResult> => {
  const planText = process.env['FLAKY_PLAN'];
  const dir = process.env['FLAKY_DIR'];
  if (planText === undefined || dir === undefined) return processShard.func(ctx, input);
  const plan = JSON.parse(planText) as FlakyPlan;
  const attempt = claimFlakyAttempt(dir, input.shard_index);
  const entry = plan[String(input.shard_index)];
  const failing = entry !== undefined && attempt <= entry.failures;
  if (failing && entry.mode.endsWith('before')) fail(input.shard_index, attempt, entry.mode);
  const result = await processShard.func(ctx, input);
  if (failing) fail(input.shard_index, attempt, entry.mode);
  return result;
});

/** The project's tasks with `process_shard` replaced by its flaky twin. */
export const tasks: readonly AnyTask[] = projectTasks.map((t) => (t.name === processShard.name ? flakyProcessShard : t));
