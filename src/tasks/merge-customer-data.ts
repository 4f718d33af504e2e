import { hash64 } from '../core/hash.js';
import { defineTask } from '../runtime/task.js';
import { checkSinkDescriptor, prepareSink } from '../sinks/postgres-descriptor.js';
import type { TaskContext } from '../runtime/task.js';
import { aggregate } from './aggregate.js';
import type { RunInput, RunResult, ShardInput } from './contracts.js';
import { MERGE_CUSTOMER_DATA_OPTIONS } from './options.js';
import { processShard } from './process-shard.js';
import { startExecution } from './execution.js';
import { prepareRun } from './prepare-run.js';
import { reportRejects } from './rejects-report.js';
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
    const sink = checkSinkDescriptor(input.sink, 'RunInput');
    // Fail the run at once (one clear line) when the database is unreachable or its table is
    // incompatible, instead of failing every shard through its retries.
    await prepareSink(sink);
    const runId = run.run_id ?? `run-${hash64(JSON.stringify([run.data, run.out_dir, run.shards]))}`;
    // Fail fast before fan-out (missing or unreadable source, no header, no customer_id, bad
    // column names, not UTF-8): prepare_run streams each source once on its own instance and
    // returns the input digest.
    const prepared = await ctx.run(prepareRun, { data: run.data });
    // Idempotency: the input digest names the output folder and lets a re-run reuse finished shards.
    const exec = startExecution(runId, run, prepared.input_digest);
    const shardInputs: ShardInput[] = Array.from({ length: run.shards }, (_, i) => ({
      run_id: runId,
      shard_index: i,
      shard_count: run.shards,
      data: run.data,
      out_dir: run.out_dir,
      ...(sink !== undefined ? { sink } : {}),
      ...exec.shardFields,
    }));
    try {
      const results = await Promise.all(shardInputs.map((s) => ctx.run(processShard, s)));
      // One rejects report for the run, written before max_rejects is enforced.
      const result = await reportRejects(exec.result(aggregate(runId, run.out_dir, results, Math.round(performance.now() - t0)), results), run.max_rejects ?? 0);
      await exec.completed(result);
      return result;
    } catch (err) {
      exec.failed(err);
      throw err;
    }
  },
);
