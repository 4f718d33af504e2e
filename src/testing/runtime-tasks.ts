/** Tasks that exist only to test the embedded runtime (retries, timeouts, crashes, concurrency). */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidOptionError } from '../core/errors.js';
import { defineTask } from '../runtime/task.js';
import type { AnyTask } from '../runtime/task.js';

export const echo = defineTask({ name: 'echo' }, (_ctx, value: unknown) => ({ echoed: value, pid: process.pid }));

/** Fails until it has been attempted `failures` times; attempts are counted by marker files. */
export const flaky = defineTask(
  { name: 'flaky', retry: { maxRetries: 3, waitDurationMs: 40, backoffScaling: 2 } },
  async (_ctx, dir: string, failures: number) => {
    await mkdir(dir, { recursive: true });
    const seen = (await readdir(dir)).length;
    await writeFile(join(dir, `attempt-${seen + 1}`), String(process.pid));
    if (seen < failures) throw new Error(`flaky failure on attempt ${seen + 1}`);
    return { attempt: seen + 1 };
  },
);

/** The worker process dies mid-task. */
export const crash = defineTask({ name: 'crash', retry: { maxRetries: 0, waitDurationMs: 1 } }, () => {
  process.exit(3);
});

/** Never finishes. */
export const hang = defineTask({ name: 'hang', timeoutSeconds: 0.5 }, () => new Promise<never>(() => {
  setInterval(() => {}, 1000);
}));

/** A permanent error: must not be retried. */
export const badInput = defineTask(
  { name: 'bad_input', retry: { maxRetries: 3, waitDurationMs: 10 } },
  () => {
    throw new InvalidOptionError('bad value 42');
  },
);

/** Sleeps, so a test can observe how many run at once. */
export const sleepy = defineTask({ name: 'sleepy' }, async (_ctx, ms: number) => {
  await new Promise((r) => setTimeout(r, ms));
  return process.pid;
});

/** The worker's value of an environment variable (null when unset). */
export const envOf = defineTask({ name: 'env_of' }, (_ctx, name: string) => process.env[name] ?? null);

export const tasks: readonly AnyTask[] = [echo, flaky, crash, hang, badInput, sleepy, envOf];
