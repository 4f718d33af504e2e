import { InvalidOptionError } from '../core/errors.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { ShardBatchInput, ShardBatchResult } from './contracts.js';
import { deal, eachInTurn } from './groups.js';
import { PROCESS_SHARDS_OPTIONS } from './options.js';
import { processOneShard } from './process-shard.js';

/**
 * `process_shards(ctx, input)`: `process_shard` for each shard of a consecutive group, one after
 * the other in this one process. A run with fewer workers than shards fans these out instead of
 * one `process_shard` per shard: every shard is processed exactly as `process_shard` would (same
 * output bytes, same result, same attempt markers and manifest), but the group pays for a fresh
 * process (Node start-up, loading the code, the JIT's warm-up) once, not once per shard. A failed
 * shard fails the task; its retry resumes the shards already finished from their manifests
 * (unless the run was forced), so a retry redoes only what did not finish.
 */
export const processShards = defineTask(PROCESS_SHARDS_OPTIONS, async (_ctx: TaskContext, input: ShardBatchInput): Promise<ShardBatchResult> => {
  const { shard_indices: indices, ...shard } = checkBatch(input);
  return { shards: await eachInTurn(indices, (shard_index) => processOneShard({ ...shard, shard_index })) };
});

/**
 * Deals shards 0..shards-1 to `workers` shard tasks: consecutive groups whose sizes differ by at
 * most one, larger groups first. With as many workers as shards (or more) every group holds one
 * shard: the tutorial's one task per shard.
 */
export function dealShards(shards: number, workers: number): number[][] {
  if (!Number.isInteger(shards) || shards < 1) throw new InvalidOptionError(`shard count must be a whole number ≥ 1, got ${JSON.stringify(shards)}`);
  return deal(new Array<number>(shards).fill(1), workers, 'consecutive', 'workers');
}

/**
 * The group must be a non-empty, ascending list of distinct shard indices below the shard count,
 * checked before any shard runs (each ShardInput is checked again as it runs).
 */
function checkBatch(input: ShardBatchInput): ShardBatchInput {
  if (typeof input !== 'object' || input === null) throw new InvalidOptionError(`ShardBatchInput must be a JSON object, got ${JSON.stringify(input)}`);
  const indices: unknown = input.shard_indices;
  const count = input.shard_count;
  const ok = (i: unknown, k: number, all: unknown[]): boolean => typeof i === 'number' && Number.isInteger(i) && i >= 0 && (typeof count !== 'number' || i < count) && (k === 0 || i > (all[k - 1] as number));
  if (!Array.isArray(indices) || indices.length === 0 || !indices.every(ok)) {
    throw new InvalidOptionError(`ShardBatchInput.shard_indices must be a non-empty ascending list of distinct shard indices from 0 to shard_count - 1 (${JSON.stringify(count)}), got ${JSON.stringify(indices)}`);
  }
  return input;
}
