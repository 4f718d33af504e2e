import { scanShardRows } from '../io/shard-rows.js';
import { checkSinkDescriptor, sinkFor } from '../sinks/postgres-descriptor.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { ShardInput, ShardResult } from './contracts.js';
import { PROCESS_SHARD_OPTIONS } from './options.js';
import { runShard } from './shard-work.js';
import { runShardIdempotently } from './resume.js';
import { sinkUnderChaos } from '../chaos/faults.js';
import { validateShardInput } from './validate.js';

/**
 * `process_shard(ctx, input)`: loads the rows of one shard from the four sources, merges each
 * customer's rows, enriches the profiles and writes them, sorted by id, to one file in the run's
 * output folder. Returns compact JSON; never returns rows.
 */
export const processShard = defineTask(
  PROCESS_SHARD_OPTIONS,
  async (_ctx: TaskContext, input: ShardInput): Promise<ShardResult> => {
    const valid = validateShardInput(input);
    const sink = checkSinkDescriptor(input.sink, 'ShardInput');
    const shard = sink === undefined ? valid : { ...valid, sink };
    // Idempotent attempt (resume from a manifest, structured logs); CHAOS_* variables inject faults.
    return runShardIdempotently(shard, ({ attempt, log }) =>
      runShard(shard, scanShardRows(valid.data, valid.shard_index, valid.shard_count), sinkUnderChaos(sinkFor(sink), process.env, valid.shard_index, attempt, log), {
        inputLoaded: (rows) => log.info('shard_input_loaded', { rows }),
      }),
    );
  },
);
