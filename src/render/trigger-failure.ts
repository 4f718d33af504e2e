import { PipelineError } from '../core/errors.js';
import { failureOf } from '../cli/failure.js';
import type { Failure } from '../cli/failure.js';
import { failureOfMessage } from '../cli/failure-text.js';
import { SdkMissingError } from './sdk.js';
import { ROOT_TASK, RunFailedError } from './wait.js';

/** What to do when a run failed for a reason its message does not name. */
export const RUN_HINT = "the run's logs (Render Dashboard, or the `render workflows dev` output) tell each task's story";

/** What to do when Render could not be reached or read; `local` says which end to check. */
export function reachHint(local: boolean): string {
  return local ? 'is `render workflows dev` running, at $RENDER_LOCAL_DEV_URL if set?' : 'check RENDER_API_KEY and the network';
}

/**
 * What `npm run trigger` reports for `err`: a failed or canceled run carries the task's message
 * and, where that message tells it, its code and where (`task_run_id` beside `error`); a refused
 * option is INVALID_OPTION; the SDK missing, Render unreachable or unreadable is RENDER.
 */
export function triggerFailure(err: unknown, local: boolean): Failure {
  if (err instanceof RunFailedError) {
    const prefix = `${ROOT_TASK} run ${err.taskRunId} ${err.status}`;
    const failure = err.detail === '' ? { error: { code: 'TASK_FAILED' as const, message: `${prefix} (${RUN_HINT})` } } : failureOfMessage(err.detail, `${prefix}: `, RUN_HINT);
    return { ...failure, task_run_id: err.taskRunId, status: err.status };
  }
  if (err instanceof PipelineError) return failureOf(err);
  const first = ((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '').trim();
  return { error: { code: 'RENDER', message: err instanceof SdkMissingError ? first : `${first} (${reachHint(local)})` } };
}
