/** Messages between the embedded runtime and an isolated worker. JSON only, like Render's wire. */
import { PERMANENT_ERRNO } from '../core/errors.js';
import type { FailureDetails } from '../core/errors.js';
import type { ProcessUsage } from './events.js';

export interface ChildStart {
  readonly type: 'start';
  readonly task: string;
  readonly argsJson: string;
  /** Absolute path of a compiled module exporting `tasks: readonly AnyTask[]`. */
  readonly registry: string;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly retryable?: boolean;
  readonly details?: FailureDetails;
}

export type ChildDone =
  | { readonly type: 'done'; readonly ok: true; readonly resultJson: string; readonly usage: ProcessUsage }
  | { readonly type: 'done'; readonly ok: false; readonly error: SerializedError; readonly usage: ProcessUsage };

/** An error that happened inside a worker, rebuilt on the runtime's side. */
export class RemoteTaskError extends Error {
  readonly code: string | undefined;
  readonly retryable: boolean;
  readonly details: FailureDetails;
  constructor(task: string, err: SerializedError) {
    super(err.message);
    this.name = err.name;
    this.code = err.code;
    this.retryable = err.retryable ?? !(err.code !== undefined && PERMANENT_ERRNO.has(err.code));
    this.details = err.details ?? {};
    void task;
  }
}
