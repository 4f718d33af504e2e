import { hash64 } from '../core/hash.js';
import { TooManyRejectsError } from '../core/errors.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import { aggregate } from './aggregate.js';
import type { RunInput, RunResult, ShardInput } from './contracts.js';
import { MERGE_CUSTOMER_DATA_OPTIONS } from './options.js';
import { processShard } from './process-shard.js';
import { validateRunInput } from './validate.js';

/**
 * `merge_customer_data(ctx, input)`: the orchestrator. Fans out one `process_shard` per shard
 * through `ctx.run`, awaits them all and aggregates their compact results. It never reads a CSV
 * and never sees a row, so it needs no more than the smallest instance.
 */
export const mergeCustomerData = defineTask(
  MERGE_CUSTOMER_DATA_OPTIONS,
  async (ctx: TaskContext, input: RunInput): Promise<RunResult> => {
    const t0 = performance.now();
    const run = validateRunInput(input);
    const runId = run.run_id ?? `run-${hash64(JSON.stringify([run.data, run.out_dir, run.shards]))}`;
    const shardInputs: ShardInput[] = Array.from({ length: run.shards }, (_, i) => ({
      run_id: runId,
      shard_index: i,
      shard_count: run.shards,
      data: run.data,
      out_dir: run.out_dir,
    }));
    const results = await Promise.all(shardInputs.map((s) => ctx.run(processShard, s)));
    const result = aggregate(runId, run.out_dir, results, Math.round(performance.now() - t0));
    const maxRejects = run.max_rejects ?? 0;
    if (result.rejected > maxRejects) {
      throw new TooManyRejectsError(result.rejected, maxRejects, `${run.out_dir}/rejects/`);
    }
    return result;
  },
);
