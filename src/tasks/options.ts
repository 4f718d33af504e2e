import type { TaskOptions } from '../runtime/task.js';

/**
 * Task options, in one place for every runtime: the embedded runtime reads them from the task
 * definitions and the Render entry registers the same objects with the SDK.
 * `process_shard` is retried as in the tutorial's Part 2 (3 retries, 2 s first wait, ×2);
 * the orchestrator is not retried (its shards are, and a retried orchestrator would redo them).
 */
export const PROCESS_SHARD_OPTIONS: TaskOptions = {
  name: 'process_shard',
  retry: { maxRetries: 3, waitDurationMs: 2000, backoffScaling: 2 },
  timeoutSeconds: 1800,
  plan: 'standard',
};

export const MERGE_CUSTOMER_DATA_OPTIONS: TaskOptions = {
  name: 'merge_customer_data',
  timeoutSeconds: 7200,
  plan: 'starter',
};
