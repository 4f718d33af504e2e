import { isPermanent } from '../core/errors.js';
import { hash64 } from '../core/hash.js';
import { defineTask } from '../runtime/task.js';
import { checkSinkDescriptor, prepareSink } from '../sinks/postgres-descriptor.js';
import type { TaskContext } from '../runtime/task.js';
import { aggregate } from './aggregate.js';
import { rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { spillDir } from '../io/spill.js';
import { checkOutLocation, openOutArea } from '../io/out-area.js';
import { headStoreSources, isStoreLocation, storeInputKey } from '../io/source-store.js';
import type { PrepareResult, RunInput, RunResult, ShardInput, ShardLayout, ShardResult } from './contracts.js';
import { partitionSource } from './partition-source.js';
import type { PartitionResult } from './partition-source.js';
import { dealSources, partitionSources } from './partition-sources.js';
import { MERGE_CUSTOMER_DATA_OPTIONS } from './options.js';
import { processShard } from './process-shard.js';
import { dealShards, processShards } from './process-shards.js';
import { startExecution } from './execution.js';
import { inputDigest, prepareRun } from './prepare-run.js';
import { reportRejects } from './shard/rejects-report.js';
import { validateRunInput } from './validate.js';

/**
 * `merge_customer_data(ctx, input)`: the orchestrator. Fans out the shards (`process_shard`, or
 * `process_shards` per group), aggregates their compact results; it never reads a row.
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
    // A store out_dir whose bucket is missing or refused fails here, before any task runs.
    await checkOutLocation(run.out_dir);
    const runId = run.run_id ?? `run-${hash64(JSON.stringify([run.data, run.out_dir, run.shards]))}`;
    // Fail fast before fan-out: prepare_run checks every source once and returns the input digest
    // (for store data on the partition path it checks headers only; the split checks the rest).
    const headersOnly = (await storeDataPath(run)) === 'partition';
    const prepared = await ctx.run(prepareRun, { data: run.data, ...(headersOnly ? { mode: 'headers' as const } : {}) });
    // The data path: split each source once so each shard parses only its rows, or let every shard scan.
    const { layout, input_digest } = await partitionRun(ctx, run, runId, prepared, headersOnly);
    // Idempotency: the input digest names the output folder and lets a re-run reuse finished shards.
    const exec = startExecution(runId, run, input_digest);
    const common: Omit<ShardInput, 'shard_index'> = {
      run_id: runId,
      shard_count: run.shards,
      data: run.data,
      out_dir: run.out_dir,
      ...(sink !== undefined ? { sink } : {}),
      layout,
      ...exec.shardFields,
    };
    try {
      const results = await runShards(ctx, common, run.workers ?? run.shards);
      // One rejects report for the run, written before max_rejects is enforced.
      const result = await reportRejects(exec.result(aggregate(runId, run.out_dir, results, Math.round(performance.now() - t0)), results), run.max_rejects ?? 0);
      await exec.completed(result);
      if (layout.kind === 'partitioned') await removeSpill(layout.spill_dir);
      return result;
    } catch (err) {
      exec.failed(err);
      if (layout.kind === 'partitioned' && isPermanent(err)) await removeSpill(layout.spill_dir);
      throw err;
    }
  },
);

/**
 * Runs every shard: one `process_shard` per shard when there are as many workers as shards, else
 * one `process_shards` per consecutive group (dealShards). Results come back in shard order.
 */
async function runShards(ctx: TaskContext, common: Omit<ShardInput, 'shard_index'>, workers: number): Promise<ShardResult[]> {
  const groups = dealShards(common.shard_count, workers);
  if (groups.length === common.shard_count) return Promise.all(groups.map(([shard_index]) => ctx.run(processShard, { ...common, shard_index: shard_index! })));
  const batches = await Promise.all(groups.map((shard_indices) => ctx.run(processShards, { ...common, shard_indices })));
  return batches.flatMap((b) => b.shards);
}

/**
 * Below this much input, scanning beats partitioning: four extra task processes cost more than
 * every shard reading a few megabytes.
 */
export const PARTITION_MIN_BYTES = 8 * 1024 * 1024;

/**
 * The data path of a run: `scan` for one shard; else `data_path`; unset, `scan` for inputs under
 * PARTITION_MIN_BYTES or under `CM_DATA_PATH=scan` with a local out_dir (tasks share no disk).
 */
export function dataPathOf(run: Pick<RunInput, 'data_path' | 'shards' | 'out_dir'>, bytes: number, env: NodeJS.ProcessEnv = process.env): 'partition' | 'scan' {
  if (run.shards === 1) return 'scan';
  if (run.data_path !== undefined) return run.data_path;
  const unshared = env['CM_DATA_PATH'] === 'scan' && !isStoreLocation(run.out_dir);
  return unshared || bytes < PARTITION_MIN_BYTES ? 'scan' : 'partition';
}

/**
 * Splits the sources when the data path is `partition`. Slices are removed after success or a
 * permanent failure; after a transient one they stay for the retry to reuse.
 */
async function partitionRun(ctx: TaskContext, run: RunInput, runId: string, prepared: PrepareResult, headersOnly: boolean): Promise<{ layout: ShardLayout; input_digest: string }> {
  const bytes = SOURCE_NAMES.reduce((n, s) => n + prepared.sources[s].bytes, 0);
  const digest = prepared.input_digest;
  if (!headersOnly && digest === undefined) throw new Error('internal: prepare_run returned no input digest');
  if (!headersOnly && dataPathOf(run, bytes) === 'scan') return { layout: { kind: 'scan', source_bytes: bytes }, input_digest: digest! };
  // Before the split the input digest is not known for store data: a cheap identity of the
  // objects (location, size, entity tag) names the spill area instead.
  const dir = spillDir(run.out_dir, headersOnly ? storeInputKey(run.data, prepared.sources) : digest!.slice(0, 12), run.shards);
  const part = { run_id: runId, data: run.data, shard_count: run.shards, spill_dir: dir };
  // One task per source, or, with fewer workers than sources, that many groups of about equal bytes.
  const groups = dealSources(bytesOf(prepared), run.workers ?? SOURCE_NAMES.length);
  const tasks: Promise<PartitionResult[]>[] =
    groups.length === SOURCE_NAMES.length
      ? SOURCE_NAMES.map(async (source) => [await ctx.run(partitionSource, { ...part, source })])
      : groups.map(async (sources) => (await ctx.run(partitionSources, { ...part, sources })).sources);
  const settled = await Promise.allSettled(tasks);
  const failures = settled.filter((t) => t.status === 'rejected');
  if (failures.length > 0) {
    // A failure that will not heal (a full disk, a refused folder, a source that is not UTF-8)
    // takes the slices with it.
    if (failures.some((f) => isPermanent(f.reason))) await removeSpill(dir);
    throw failures[0]!.reason;
  }
  const layout: ShardLayout = { kind: 'partitioned', spill_dir: dir };
  if (!headersOnly) return { layout, input_digest: digest! };
  const results = settled.flatMap((t) => (t.status === 'fulfilled' ? t.value : []));
  return { layout, input_digest: inputDigest(splitDigests(results)) };
}

/** Each source's sha256 as the split read it, for the input digest. */
function splitDigests(results: readonly PartitionResult[]): Record<SourceName, { sha256: string }> {
  const out = {} as Record<SourceName, { sha256: string }>;
  for (const source of SOURCE_NAMES) {
    const sha256 = results.find((r) => r.source === source)?.source_read?.sha256;
    if (sha256 === undefined) throw new Error(`internal: the split of ${source} returned no sha256`);
    out[source] = { sha256 };
  }
  return out;
}

/**
 * `dataPathOf` for store data before prepare_run (sizes by HEAD, unless the run names its path);
 * undefined for other data or when a source cannot be looked up (prepare_run then says why).
 */
async function storeDataPath(run: RunInput): Promise<'partition' | 'scan' | undefined> {
  if (!isStoreLocation(run.data) || run.shards === 1) return undefined;
  if (run.data_path !== undefined) return run.data_path;
  const heads = await headStoreSources(run.data).catch(() => undefined);
  if (heads === undefined) return undefined;
  return dataPathOf(run, SOURCE_NAMES.reduce((n, s) => n + heads[s].size, 0));
}

function bytesOf(prepared: PrepareResult): Record<SourceName, number> {
  return { crm: prepared.sources.crm.bytes, billing: prepared.sources.billing.bytes, product: prepared.sources.product.bytes, support: prepared.sources.support.bytes };
}

/**
 * Removes a run's slices, and the spill area itself when no other run's slices are left in it;
 * in a store, every object under the run's spill location.
 */
async function removeSpill(dir: string): Promise<void> {
  if (isStoreLocation(dir)) {
    const area = await openOutArea(dir);
    try {
      await area.removePrefix('');
    } finally {
      await area.close();
    }
    return;
  }
  await rm(dir, { recursive: true, force: true });
  await rmdir(dirname(dir)).catch(() => undefined);
}
