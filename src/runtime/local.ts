import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../core/errors.js';
import { Emitter, encodeArgs, newRunId, runWithRetries } from './attempts.js';
import type { AttemptOutcome } from './attempts.js';
import { compiledPath } from './compiled.js';
import type { RuntimeListener } from './events.js';
import { RemoteTaskError } from './protocol.js';
import type { ChildDone, ChildStart } from './protocol.js';
import { Semaphore } from './semaphore.js';
import { DEFAULT_TIMEOUT_SECONDS } from './task.js';
import type { RetryOptions, TaskContext, TaskDefinition, TaskOptions } from './task.js';

export interface LocalRuntimeOptions {
  /** Concurrent subtask runs; the rest queue (like a workspace limit). Default: CPU count. */
  readonly concurrency?: number;
  /** Compiled module exporting `tasks`; default: the project's task registry. */
  readonly registry?: string;
  /** Extra environment for workers (fault injection, log level). */
  readonly env?: Readonly<Record<string, string>>;
  /** Replaces the retry policy of tasks that have one (tests and drills shorten Render's waits). */
  readonly retry?: RetryOptions;
  /** Overrides every task's timeout, in seconds. */
  readonly timeoutSeconds?: number;
  /** Argument cap in bytes; Render's is 4 MB. */
  readonly maxArgumentBytes?: number;
}

/**
 * The embedded runtime: runs the same task definitions Render runs, with Render's semantics.
 * The root task runs in this process (it only orchestrates); every `ctx.run` runs its task in a
 * fresh child process (no shared memory; arguments and results cross as JSON), at most
 * `concurrency` at once, with the task's retry policy and timeout enforced, and a worker that
 * crashes or exits counted as a failed attempt.
 */
export class LocalRuntime {
  readonly concurrency: number;
  private readonly slots: Semaphore;
  private readonly emitter = new Emitter();
  private readonly registry: string;
  private readonly childEntry: string;

  constructor(private readonly options: LocalRuntimeOptions = {}) {
    const concurrency = options.concurrency ?? availableParallelism();
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
      throw new InvalidOptionError(`concurrency must be a whole number from 1 to 256, got ${JSON.stringify(concurrency)}`);
    }
    this.concurrency = concurrency;
    this.slots = new Semaphore(concurrency);
    this.registry = options.registry ?? compiledPath(import.meta.url, '../tasks/registry.js');
    this.childEntry = compiledPath(import.meta.url, 'child.js');
  }

  /** Subscribes to runtime events; returns an unsubscribe function. */
  on(listener: RuntimeListener): () => void {
    return this.emitter.on(listener);
  }

  /** Runs `task` as a root run in this process and resolves with its JSON result. */
  async run<A extends unknown[], R>(task: TaskDefinition<A, R>, ...args: A): Promise<R> {
    const argsJson = encodeArgs(task.name, args, this.options.maxArgumentBytes);
    const runId = newRunId(task.name);
    const ctx = this.contextFor(runId);
    const value = await runWithRetries(
      task.options,
      argsJson,
      async (opts, json, _attempt, started): Promise<AttemptOutcome> => {
        started();
        const parsed = JSON.parse(json) as A;
        const result = await withTimeout(opts, this.options.timeoutSeconds, Promise.resolve(task.func(ctx, ...parsed)));
        return { value: JSON.parse(JSON.stringify(result ?? null)) as unknown };
      },
      { runId, emit: this.emitter.emit, retry: this.options.retry },
    );
    return value as R;
  }

  private contextFor(parentRunId: string): TaskContext {
    return {
      run: async <A2 extends unknown[], R2>(task: TaskDefinition<A2, R2>, ...args: A2): Promise<R2> => {
        const argsJson = encodeArgs(task.name, args, this.options.maxArgumentBytes);
        const runId = newRunId(task.name);
        const value = await runWithRetries(task.options, argsJson, (opts, json, _attempt, started) => this.attemptInWorker(opts, json, started), {
          runId,
          parentRunId,
          emit: this.emitter.emit,
          retry: this.options.retry,
        });
        return value as R2;
      },
    };
  }

  /** One attempt in a fresh process, holding a concurrency slot while it runs. */
  private async attemptInWorker(options: TaskOptions, argsJson: string, started: () => void): Promise<AttemptOutcome> {
    const release = await this.slots.acquire();
    try {
      started();
      return await this.spawn(options, argsJson);
    } finally {
      release();
    }
  }

  private spawn(options: TaskOptions, argsJson: string): Promise<AttemptOutcome> {
    const timeoutMs = 1000 * (this.options.timeoutSeconds ?? options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
    return new Promise<AttemptOutcome>((resolve, reject) => {
      const child = fork(this.childEntry, [], {
        env: { ...process.env, ...this.options.env },
        serialization: 'json',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let done: ChildDone | undefined;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('message', (msg: unknown) => {
        done = msg as ChildDone;
      });
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (timedOut) {
          reject(new Error(`${options.name} timed out after ${timeoutMs / 1000} s; its worker was stopped`));
        } else if (done === undefined) {
          reject(new Error(`${options.name} worker exited before finishing (${signal !== null ? `signal ${signal}` : `exit code ${code}`})`));
        } else if (done.ok) {
          resolve({ value: JSON.parse(done.resultJson) as unknown, usage: done.usage });
        } else {
          reject(new RemoteTaskError(options.name, done.error));
        }
      });
      const start: ChildStart = { type: 'start', task: options.name, argsJson, registry: this.registry };
      child.send(start);
    });
  }
}

/** Races a root attempt against its timeout (a root run cannot be killed, only failed). */
function withTimeout<T>(options: TaskOptions, override: number | undefined, work: Promise<T>): Promise<T> {
  const seconds = override ?? options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${options.name} timed out after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
