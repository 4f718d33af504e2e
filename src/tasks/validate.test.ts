import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, isPermanent } from '../core/errors.js';
import type { TaskContext, TaskDefinition } from '../runtime/task.js';
import type { RunInput, ShardInput } from './contracts.js';
import { mergeCustomerData } from './merge-customer-data.js';
import { processShard } from './process-shard.js';

process.env['LOG_LEVEL'] ??= 'silent';

/** A fake context that records the subtasks asked for and runs none of them. */
class RecordingContext implements TaskContext {
  readonly asked: string[] = [];
  run<A extends unknown[], R>(task: TaskDefinition<A, R>, ..._args: A): Promise<R> {
    this.asked.push(task.name);
    return Promise.reject(new Error(`no subtask may run for an invalid input (asked for ${task.name})`));
  }
}

const DATA = fileURLToPath(new URL('../testdata/bad/base/', import.meta.url));
let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'validate-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const good = (): Record<string, unknown> => ({ run_id: 'run-t', shard_index: 1, shard_count: 4, data: DATA, out_dir: out });

async function shardError(input: unknown): Promise<Error> {
  try {
    await processShard.func(new RecordingContext(), input as ShardInput);
  } catch (err) {
    return err as Error;
  }
  throw new Error('accepted');
}

describe('process_shard validates its input at the task boundary', () => {
  it.each([
    ['a negative shard index', { shard_index: -1 }, 'ShardInput.shard_index must be a whole number from 0 to 3, got -1'],
    ['a shard index equal to the count', { shard_index: 4 }, 'ShardInput.shard_index must be a whole number from 0 to 3, got 4'],
    ['a fractional shard index', { shard_index: 1.5 }, 'ShardInput.shard_index must be a whole number from 0 to 3, got 1.5'],
    ['a shard index given as text', { shard_index: '1' }, 'ShardInput.shard_index must be a whole number from 0 to 3, got "1"'],
    ['a shard count of 0', { shard_count: 0, shard_index: 0 }, 'ShardInput.shard_count must be a whole number from 1 to 1024, got 0'],
    ['a shard count over 1024', { shard_count: 1025 }, 'ShardInput.shard_count must be a whole number from 1 to 1024, got 1025'],
    ['a missing shard count', { shard_count: undefined }, 'ShardInput.shard_count must be a whole number from 1 to 1024, got undefined'],
    ['missing data', { data: undefined }, 'ShardInput.data must be a non-empty string, got undefined'],
    ['empty data', { data: '' }, 'ShardInput.data must be a non-empty string, got ""'],
    ['data of the wrong type', { data: 42 }, 'ShardInput.data must be a non-empty string, got 42'],
    ['out_dir of the wrong type', { out_dir: null }, 'ShardInput.out_dir must be a non-empty string, got null'],
    ['a run id of the wrong type', { run_id: ['x'] }, 'ShardInput.run_id must be a non-empty string, got ["x"]'],
    ['negative source bytes', { layout: { kind: 'scan', source_bytes: -1 } }, 'ShardInput.layout.source_bytes must be a whole number of bytes ≥ 0, got -1'],
    ['source bytes as text', { layout: { kind: 'scan', source_bytes: '9' } }, 'ShardInput.layout.source_bytes must be a whole number of bytes ≥ 0, got "9"'],
  ])('refuses %s with a clear, permanent InvalidOptionError', async (_what, patch, message) => {
    const err = await shardError({ ...good(), ...patch });
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe(message);
    expect(isPermanent(err)).toBe(true);
  });

  it.each([[null], [[]], ['shard 1'], [7]])('refuses %j: not a JSON object', async (input) => {
    const err = await shardError(input);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe(`ShardInput must be a JSON object, got ${JSON.stringify(input)}`);
  });

  it('writes nothing when it refuses an input', async () => {
    await shardError({ ...good(), shard_index: -1 });
    expect(await readdir(out)).toEqual([]);
  });
});

describe('merge_customer_data validates its input before running any subtask', () => {
  it.each([
    [{ shards: 0 }, 'RunInput.shards must be a whole number from 1 to 1024, got 0'],
    [{ shards: '10' }, 'RunInput.shards must be a whole number from 1 to 1024, got "10"'],
    [{ max_rejects: -1 }, 'RunInput.max_rejects must be a whole number ≥ 0, got -1'],
    [{ max_rejects: 1.5 }, 'RunInput.max_rejects must be a whole number ≥ 0, got 1.5'],
    [{ data: undefined }, 'RunInput.data must be a non-empty string, got undefined'],
    [{ out_dir: 3 }, 'RunInput.out_dir must be a non-empty string, got 3'],
  ])('refuses %j', async (patch, message) => {
    const ctx = new RecordingContext();
    const input = { data: DATA, out_dir: out, shards: 2, ...patch } as unknown as RunInput;
    const err = await Promise.resolve(mergeCustomerData.func(ctx, input)).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as Error).message).toBe(message);
    expect(ctx.asked).toEqual([]);
  });

  it('runs prepare_run first, before any shard', async () => {
    const ctx = new RecordingContext();
    await Promise.resolve(mergeCustomerData.func(ctx, { data: DATA, out_dir: out, shards: 2 })).catch(() => undefined);
    expect(ctx.asked).toEqual(['prepare_run']);
  });
});
