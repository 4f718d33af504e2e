import { partitionedShardRows } from '../io/partitioned-rows.js';
import { scanShardRows } from '../io/row-source.js';
import { openOutArea } from '../io/out-area.js';
import { isStoreLocation } from '../io/source-store.js';
import { spillKey } from '../io/spill.js';
import { SOURCE_NAMES } from '../core/schema.js';
import type { ShardRowSource } from '../io/row-source.js';
import { checkSinkDescriptor, sinkFor } from '../sinks/postgres-descriptor.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { ShardInput, ShardResult } from './contracts.js';
import { PROCESS_SHARD_OPTIONS, shardMemoryBudgetBytes } from './options.js';
import { runShard } from './shard/work.js';
import { runShardIdempotently } from './shard/resume.js';
import { sinkUnderChaos } from '../faults/faults.js';
import { validateShardInput } from './validate.js';

/** `process_shard(ctx, input)`: merges, enriches and writes one shard's profiles, sorted by id; returns compact JSON. */
export const processShard = defineTask(PROCESS_SHARD_OPTIONS, (_ctx: TaskContext, input: ShardInput): Promise<ShardResult> => processOneShard(input));

/** One shard's work (also run by `process_shards`): validate the input, then an idempotent attempt. */
export async function processOneShard(input: ShardInput): Promise<ShardResult> {
  const valid = validateShardInput(input);
  const sink = checkSinkDescriptor(input.sink, 'ShardInput');
  const shard = sink === undefined ? valid : { ...valid, sink };
  const budget = shardMemoryBudgetBytes(process.env);
  return runShardIdempotently(shard, async ({ attempt, log, outDir }) => {
    const rows = await rowsOf(valid);
    try {
      return await runShard(
        { ...shard, out_dir: outDir },
        rows.source,
        sinkUnderChaos(sinkFor(sink), process.env, valid.shard_index, attempt, log),
        {
          inputLoaded: (counts) => log.info('shard_input_loaded', { rows: counts }),
          passesPlanned: (passes) => {
            if (passes > 1) log.info('shard_passes_planned', { passes, memory_budget_mb: budget / 2 ** 20 });
          },
        },
        { memoryBudgetBytes: budget },
      );
    } finally {
      await rows.close();
    }
  });
}

/**
 * The shard's data path, as its input's layout says. Slices in a store are first downloaded,
 * only this shard's four, into a staging folder (removed by `close`).
 */
async function rowsOf(input: ShardInput): Promise<{ readonly source: ShardRowSource; close(): Promise<void> }> {
  const layout = input.layout;
  if (layout?.kind !== 'partitioned') return { source: scanShardRows(input.data, input.shard_index, input.shard_count, layout?.source_bytes), close: async () => undefined };
  if (!isStoreLocation(layout.spill_dir)) return { source: partitionedShardRows(layout.spill_dir, input.data, input.shard_index), close: async () => undefined };
  const area = await openOutArea(layout.spill_dir);
  try {
    await area.pull(SOURCE_NAMES.map((s) => spillKey(s, input.shard_index)));
  } catch (err) {
    await area.close();
    throw err;
  }
  return { source: partitionedShardRows(area.dir, input.data, input.shard_index), close: () => area.close() };
}
