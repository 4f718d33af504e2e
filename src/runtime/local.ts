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

/**
 * Node flags of every worker: a larger young generation, since a shard allocates a short-lived
 * value for nearly every cell and profile (measurement: docs/engine-notes.md).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * glibc allocator settings for workers: keep freed memory for reuse instead of returning it to the
 * kernel (docs/engine-notes.md). A GLIBC_TUNABLES the user set wins; musl ignores it.
 */
export const WORKER_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824';

/** A worker's environment: `base` plus the allocator settings, unless `base` sets its own. */
export function workerEnv(base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return base['GLIBC_TUNABLES'] !== undefined ? { ...base } : { ...base, GLIBC_TUNABLES: WORKER_MALLOC_TUNABLES };
}

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
  /** Timeout overrides by task name, in seconds; win over `timeoutSeconds` (the chaos drill shortens only process_shard's). */
  readonly taskTimeoutSeconds?: Readonly<Record<string, number>>;
  /**
   * Receives each line a worker writes to stderr, with its run and attempt; when set, workers'
   * stderr is piped here so the CLI, tests and the drill can read the logs.
   */
  readonly onWorkerStderr?: (line: string, from: WorkerOrigin) => void;
  /** Argument cap in bytes; Render's is 4 MB. */
  readonly maxArgumentBytes?: number;
}

/** Which run and attempt a worker's output belongs to. */
export interface WorkerOrigin {
  readonly task: string;
  readonly runId: string;
  readonly attempt: number;
}

/**
 * The embedded runtime, with Render's semantics: the root task runs here; each `ctx.run` runs in a
 * fresh child process (JSON in and out), at most `concurrency` at once, with the task's retries and
 * timeout, and a crashed worker counted as a failed attempt.
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
        const result = await withTimeout(opts, this.options.taskTimeoutSeconds?.[opts.name] ?? this.options.timeoutSeconds, Promise.resolve(task.func(ctx, ...parsed)));
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
        const value = await runWithRetries(task.options, argsJson, (opts, json, attempt, started) => this.attemptInWorker(opts, json, started, { task: opts.name, runId, attempt }), {
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
  private async attemptInWorker(options: TaskOptions, argsJson: string, started: () => void, origin: WorkerOrigin): Promise<AttemptOutcome> {
    const release = await this.slots.acquire();
    try {
      started();
      return await this.spawn(options, argsJson, origin);
    } finally {
      release();
    }
  }

  private spawn(options: TaskOptions, argsJson: string, origin: WorkerOrigin): Promise<AttemptOutcome> {
    const timeoutMs =
      1000 * (this.options.taskTimeoutSeconds?.[options.name] ?? this.options.timeoutSeconds ?? options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
    const onStderr = this.options.onWorkerStderr;
    return new Promise<AttemptOutcome>((resolve, reject) => {
      const child = fork(this.childEntry, [], {
        env: workerEnv({ ...process.env, ...this.options.env }),
        execArgv: [...process.execArgv, ...WORKER_NODE_FLAGS],
        serialization: 'json',
        stdio: ['ignore', 'inherit', onStderr !== undefined ? 'pipe' : 'inherit', 'ipc'],
      });
      if (onStderr !== undefined && child.stderr !== null) {
        forwardLines(child.stderr, (line) => {
          try {
            onStderr(line, origin);
          } catch {
            // A broken listener must not fail a task run.
          }
        });
      }
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
      // With a piped stderr, wait for 'close' so every line the worker wrote is delivered first.
      child.on(onStderr !== undefined ? 'close' : 'exit', (code: number | null, signal: NodeJS.Signals | null) => {
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

/** Calls `line` for each complete line of `stream`, and for a last line without a newline. */
function forwardLines(stream: NodeJS.ReadableStream, line: (text: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      line(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buf !== '') line(buf);
  });
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
