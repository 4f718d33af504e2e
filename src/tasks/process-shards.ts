import { InvalidOptionError } from '../core/errors.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { ShardBatchInput, ShardBatchResult } from './contracts.js';
import { deal, eachInTurn } from './groups.js';
import { PROCESS_SHARDS_OPTIONS } from './options.js';
import { processOneShard } from './process-shard.js';

/**
 * `process_shards(ctx, input)`: `process_shard` for each shard of a consecutive group in one
 * process, with the same outputs, markers and manifests; one process start per group. A retry
 * resumes the finished shards from their manifests.
 */
export const processShards = defineTask(PROCESS_SHARDS_OPTIONS, async (_ctx: TaskContext, input: ShardBatchInput): Promise<ShardBatchResult> => {
  const { shard_indices: indices, ...shard } = checkBatch(input);
  return { shards: await eachInTurn(indices, (shard_index) => processOneShard({ ...shard, shard_index })) };
});

/** Deals shards to `workers` tasks in consecutive groups, larger first; one shard each when workers ≥ shards. */
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
