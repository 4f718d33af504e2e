/**
 * Law 7: boundary sizes. Render caps a task's JSON arguments at 4 MB; the pipeline passes
 * descriptors, never rows, so every task input must stay far below the cap whatever the shard
 * count (up to 1024) and however long the paths; and an argument over the cap must be refused,
 * naming the task and the size, before the task runs (on both runtimes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, expect } from 'vitest';
import { ArgumentTooLargeError } from '../src/core/errors.js';
import { MAX_SHARDS } from '../src/core/routing.js';
import { encodeArgs } from '../src/runtime/attempts.js';
import { InlineRuntime } from '../src/runtime/inline.js';
import { LocalRuntime } from '../src/runtime/local.js';
import { MAX_ARGUMENT_BYTES, defineTask } from '../src/runtime/task.js';
import type { TaskContext, TaskDefinition } from '../src/runtime/task.js';
import type { RunInput, ShardInput, ShardResult } from '../src/tasks/contracts.js';
import { mergeCustomerData } from '../src/tasks/merge-customer-data.js';
import { partitionSource } from '../src/tasks/partition-source.js';
import type { PartitionInput, PartitionResult } from '../src/tasks/partition-source.js';
import { processShard } from '../src/tasks/process-shard.js';
import { dataPathArb, datasetArb } from './arbitraries.js';
import { QUICK_RETRY, writeData } from './pipeline.js';
import { baseRuns, budget, slowRuns } from './runs.js';

/** "Far below the cap": every task input must fit in a 64th of it (64 KiB). */
const INPUT_LIMIT = MAX_ARGUMENT_BYTES / 64;
/** The orchestrator's result, which grows with N, must fit in an eighth of it. */
const RESULT_LIMIT = MAX_ARGUMENT_BYTES / 8;

/** Long strings of any characters, the worst case for JSON escaping, up to PATH_MAX (4096 UTF-8 bytes). */
const longTextArb = fc
  .oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 4096 }),
    fc.string({ unit: fc.constantFrom('\u0001', '"', '\\', '\u2028', 'é', '😀'), minLength: 1, maxLength: 4096 }),
    fc.integer({ min: 1, max: 4096 }).map((n) => 'p'.repeat(n)),
  )
  .map((text) => truncateBytes(text, 4096));

/** The longest prefix of `text` (whole code points) within `max` UTF-8 bytes. */
function truncateBytes(text: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    end += ch.length;
  }
  return text.slice(0, end) || 'p';
}

/**
 * A real, creatable folder under `root` spelled with the characters of `text`: the orchestrator
 * writes into out_dir, so out_dir must never leave the test's temp folder. Path components keep
 * within 200 bytes and the whole path within 3,900 (Linux allows 255 and 4,096).
 */
function folderUnder(root: string, text: string): string {
  const parts: string[] = [];
  let part = '';
  for (const ch of text.replace(/[\/\0]/g, '_')) {
    if (Buffer.byteLength(part + ch) > 200) {
      parts.push(part);
      part = '';
    }
    part += ch;
  }
  parts.push(part);
  const safe = parts.map((p) => (p === '.' || p === '..' ? '_' : p)).filter((p) => p !== '');
  return truncateBytes(join(root, 'out', ...safe), 3900).replace(/\/+$/, '');
}

/** A real run over an empty dataset provides a real data folder and what an empty shard returns. */
let scratch: string;
let emptyData: string;
let emptyShard: ShardResult;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'cm-props-boundary-'));
  const [empty] = fc.sample(datasetArb({ maxRows: 0 }), { numRuns: 1, seed: 1 });
  emptyData = await writeData(scratch, empty!);
  const inline = new InlineRuntime({ retry: QUICK_RETRY, sleep: async () => {} });
  const ctx: TaskContext = {
    async run<A extends unknown[], R>(task: TaskDefinition<A, R>, ...args: A): Promise<R> {
      const r = await inline.run(task, ...args);
      if (task.name === processShard.name) emptyShard = r as ShardResult;
      return r;
    },
  };
  await mergeCustomerData.func(ctx, { data: emptyData, out_dir: join(scratch, 'out'), shards: 1 });
});

afterAll(() => rm(scratch, { recursive: true, force: true }));

const runs = budget(baseRuns(), 1_000);

test.prop([fc.oneof(fc.integer({ min: 1, max: MAX_SHARDS }), fc.constant(MAX_SHARDS)), longTextArb, longTextArb, fc.option(fc.stringMatching(/^[\w.-]{1,128}$/), { nil: undefined }), dataPathArb], runs.params)(
  'law 7, boundary sizes: for any N up to 1024 and paths up to 4 KB, every task input the orchestrator sends is under 64 KiB (a 64th of the 4 MB cap)',
  async (shards, data, outText, runId, dataPath) => {
    // `data` is only ever read (and prepare_run below reads a real folder instead); out_dir is
    // written to, so it is a real folder inside the scratch area.
    const input: RunInput = { data, out_dir: folderUnder(scratch, outText), shards, data_path: dataPath, ...(runId !== undefined ? { run_id: runId } : {}) };
    expect(resolve(input.out_dir).startsWith(`${scratch}/`)).toBe(true);
    // encodeArgs is the runtimes' own check; with a 64 KiB limit it throws on any larger input.
    const sizes: number[] = [Buffer.byteLength(encodeArgs(mergeCustomerData.name, [input], INPUT_LIMIT))];
    const inline = new InlineRuntime({ retry: QUICK_RETRY, sleep: async () => {} });
    let shardRuns = 0;
    // The orchestrator runs for real; every subtask input is measured, then prepare_run reads a
    // real (empty) dataset, partition_source and each shard answer as they would on it, so no
    // 4 KB data path is touched.
    const ctx: TaskContext = {
      async run<A extends unknown[], R>(task: TaskDefinition<A, R>, ...args: A): Promise<R> {
        sizes.push(Buffer.byteLength(encodeArgs(task.name, args, INPUT_LIMIT)));
        if (task.name === processShard.name) {
          const s = args[0] as ShardInput;
          shardRuns++;
          return { ...emptyShard, shard_index: s.shard_index, shard_count: s.shard_count } as R;
        }
        if (task.name === partitionSource.name) {
          // Splitting an empty dataset into 1,024 slices would only cost time: answer as it would.
          const p = args[0] as PartitionInput;
          const empty: PartitionResult = { source: p.source, shard_count: p.shard_count, records: 0, slices: new Array<number>(p.shard_count).fill(0), bytes: 0, reused: false, elapsed_ms: 0 };
          return empty as R;
        }
        const [first, ...rest] = args;
        const real = { ...(first as Record<string, unknown>), data: emptyData };
        return inline.run(task, ...([real, ...rest] as unknown as A));
      },
    };
    const result = await mergeCustomerData.func(ctx, input);
    expect(shardRuns).toBe(shards);
    expect(Math.max(...sizes)).toBeLessThan(INPUT_LIMIT);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(RESULT_LIMIT);
  },
  runs.timeout,
);

/** A task that only counts its runs: whether it ran tells whether the argument got through. */
function echoTask(): { task: TaskDefinition<[string], number>; runs: () => number } {
  let count = 0;
  const task = defineTask({ name: 'echo_size' }, (_ctx: TaskContext, payload: string) => {
    count++;
    return payload.length;
  });
  return { task, runs: () => count };
}

async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err;
  }
}

test.prop([fc.integer({ min: 16, max: 20_000 }), fc.integer({ min: 0, max: 25_000 }), fc.constantFrom('é', 'a', '"', '😀')], runs.params)(
  'law 7, refusal: on the in-process runtime an argument over the limit is refused with ArgumentTooLargeError naming the task and its size, and the task never runs; one within it runs',
  async (limit, length, unit) => {
    const payload = unit.repeat(length);
    const bytes = Buffer.byteLength(JSON.stringify([payload]));
    const { task, runs: ran } = echoTask();
    const err = await refusal(new InlineRuntime({ maxArgumentBytes: limit }).run(task, payload));
    if (bytes > limit) {
      expect(err).toBeInstanceOf(ArgumentTooLargeError);
      expect((err as Error).message).toContain('echo_size');
      expect((err as Error).message).toContain(`${bytes} bytes`);
      expect(ran()).toBe(0);
    } else {
      expect(err).toBeUndefined();
      expect(ran()).toBe(1);
    }
  },
  runs.timeout,
);

const fewer = budget(slowRuns(), 2_000);

test.prop([fc.integer({ min: -3, max: 3 }), fc.constantFrom('inline', 'local')], fewer.params)(
  "law 7, refusal at Render's real cap: a process_shard argument just over 4 MB is refused by either runtime before the task runs, one at or under it is not refused for its size",
  async (delta, runtime) => {
    // The bulk rides in a field the task ignores, so that within the cap the task fails fast for
    // its own reason (the data folder does not exist) without ever quoting 4 MB in a message.
    const base = { run_id: 'run', shard_index: 0, shard_count: 1, data: '/nonexistent/data', out_dir: '/nonexistent/out', padding: '' };
    const overhead = Buffer.byteLength(JSON.stringify([base]));
    const input = { ...base, padding: 'd'.repeat(MAX_ARGUMENT_BYTES - overhead + delta) } as ShardInput;
    const bytes = Buffer.byteLength(JSON.stringify([input]));
    expect(bytes).toBe(MAX_ARGUMENT_BYTES + delta);
    const noRetry = { maxRetries: 0, waitDurationMs: 0 };
    const run =
      runtime === 'inline'
        ? new InlineRuntime({ retry: noRetry }).run(processShard, input)
        : new LocalRuntime({ retry: noRetry, env: { LOG_LEVEL: 'silent' } }).run(processShard, input);
    const err = await refusal(run);
    if (delta > 0) {
      expect(err).toBeInstanceOf(ArgumentTooLargeError);
      expect((err as Error).message).toContain(`task process_shard are ${bytes} bytes`);
    } else {
      expect(err).toBeDefined();
      expect(err).not.toBeInstanceOf(ArgumentTooLargeError);
      expect((err as Error).message).toContain('/nonexistent/data');
    }
  },
  fewer.timeout,
);
