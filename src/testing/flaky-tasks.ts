/**
 * A task registry for fault-injection tests: the project's tasks with `process_shard` failing
 * chosen shards' first attempts. Loaded by path by workers, so it lives under src/.
 * - `FLAKY_PLAN`: `{ "<shard>": { "failures": k, "mode": m } }`: attempts 1..k fail, by
 *   `throw-before`, `exit-before`, `throw-after` or `exit-after` (after committing its output).
 * - `FLAKY_DIR`: a folder where attempts claim `shard-<i>.attempt-<n>` markers exclusively.
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
