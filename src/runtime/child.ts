/**
 * Entry of an isolated task worker (a fresh process per attempt): runs one task from IPC with no
 * `ctx.run`, reports the JSON result or error with its resource use, and exits.
 */
import { pathToFileURL } from 'node:url';
import type { FailureDetails } from '../core/errors.js';
import type { AnyTask, TaskContext } from './task.js';
import type { ChildDone, ChildStart } from './protocol.js';
import { processUsage as usage } from './usage.js';

function send(msg: ChildDone): void {
  process.send?.(msg, () => process.exit(0));
}

const ctx: TaskContext = {
  run() {
    return Promise.reject(new Error('ctx.run from inside a worker is not supported by the embedded runtime: fan out from the root task'));
  },
};

process.once('message', (raw: unknown) => {
  const start = raw as ChildStart;
  void (async () => {
    try {
      const mod = (await import(pathToFileURL(start.registry).href)) as { tasks: readonly AnyTask[] };
      const task = mod.tasks.find((t) => t.name === start.task);
      if (task === undefined) throw new Error(`no task named ${JSON.stringify(start.task)} in ${start.registry}`);
      const args = JSON.parse(start.argsJson) as unknown[];
      const value: unknown = await task.func(ctx, ...args);
      send({ type: 'done', ok: true, resultJson: JSON.stringify(value ?? null), usage: usage() });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const extra = e as Error & { code?: unknown; retryable?: unknown; details?: unknown };
      send({
        type: 'done',
        ok: false,
        error: {
          name: e.name,
          message: e.message,
          ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
          ...(typeof extra.retryable === 'boolean' ? { retryable: extra.retryable } : {}),
          ...(typeof extra.details === 'object' && extra.details !== null ? { details: extra.details as FailureDetails } : {}),
        },
        usage: usage(),
      });
    }
  })();
});
