import { partitionedShardRows } from '../io/partitioned-rows.js';
import { scanShardRows } from '../io/shard-rows.js';
import type { ShardRowSource } from '../io/shard-rows.js';
import { checkSinkDescriptor, sinkFor } from '../sinks/postgres-descriptor.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { ShardInput, ShardResult } from './contracts.js';
import { PROCESS_SHARD_OPTIONS, shardMemoryBudgetBytes } from './options.js';
import { runShard } from './shard/work.js';
import { runShardIdempotently } from './shard/resume.js';
import { sinkUnderChaos } from '../faults/faults.js';
import { validateShardInput } from './validate.js';

/**
 * `process_shard(ctx, input)`: loads the rows of one shard from the four sources, merges each
 * customer's rows, enriches the profiles and writes them, sorted by id, to one file in the run's
 * output folder. Returns compact JSON; never returns rows.
 */
export const processShard = defineTask(PROCESS_SHARD_OPTIONS, (_ctx: TaskContext, input: ShardInput): Promise<ShardResult> => processOneShard(input));

/**
 * The work of `process_shard` for one shard, also what `process_shards` runs for each shard of
 * its group: validates the input, then makes an idempotent attempt (resume from a manifest,
 * attempt markers, structured logs; CHAOS_* variables inject faults).
 */
export async function processOneShard(input: ShardInput): Promise<ShardResult> {
  const valid = validateShardInput(input);
  const sink = checkSinkDescriptor(input.sink, 'ShardInput');
  const shard = sink === undefined ? valid : { ...valid, sink };
  const budget = shardMemoryBudgetBytes(process.env);
  return runShardIdempotently(shard, ({ attempt, log }) =>
    runShard(
      shard,
      rowsOf(valid),
      sinkUnderChaos(sinkFor(sink), process.env, valid.shard_index, attempt, log),
      {
        inputLoaded: (rows) => log.info('shard_input_loaded', { rows }),
        passesPlanned: (passes) => {
          if (passes > 1) log.info('shard_passes_planned', { passes, memory_budget_mb: budget / 2 ** 20 });
        },
      },
      { memoryBudgetBytes: budget },
    ),
  );
}

/** The shard's data path, as its input's layout says. */
function rowsOf(input: ShardInput): ShardRowSource {
  const layout = input.layout;
  return layout?.kind === 'partitioned'
    ? partitionedShardRows(layout.spill_dir, input.data, input.shard_index)
    : scanShardRows(input.data, input.shard_index, input.shard_count, layout?.source_bytes);
}
