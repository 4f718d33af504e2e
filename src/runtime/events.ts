/**
 * Events the embedded runtime emits. The CLI turns them into a progress display; tests assert
 * on them (how many attempts, which waits, what failed).
 */
export type RuntimeEvent =
  | { readonly type: 'run_started'; readonly runId: string; readonly task: string; readonly parentRunId?: string }
  | { readonly type: 'attempt_started'; readonly runId: string; readonly task: string; readonly attempt: number }
  | {
      readonly type: 'attempt_failed';
      readonly runId: string;
      readonly task: string;
      readonly attempt: number;
      readonly error: string;
      /** Delay before the next attempt, or undefined when none follows. */
      readonly retryInMs?: number;
    }
  | {
      readonly type: 'attempt_succeeded';
      readonly runId: string;
      readonly task: string;
      readonly attempt: number;
      readonly elapsedMs: number;
      readonly usage?: ProcessUsage;
    }
  | {
      readonly type: 'run_finished';
      readonly runId: string;
      readonly task: string;
      readonly status: 'succeeded' | 'failed';
      readonly attempts: number;
      readonly error?: string;
    };

/** Resource use of one attempt's isolated process (for benches). */
export interface ProcessUsage {
  /** Peak resident set size in KiB. */
  readonly maxRssKb: number;
  /** User plus system CPU time in ms, all the process's threads. */
  readonly cpuMs: number;
  /**
   * The part of `cpuMs` spent on the main thread (Linux; 10 ms resolution). The rest ran on V8's
   * and libuv's helper threads: optimising compilation, garbage-collection helpers, file I/O.
   */
  readonly mainThreadCpuMs?: number;
}

export type RuntimeListener = (event: RuntimeEvent) => void;
