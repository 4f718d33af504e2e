/**
 * Retries on `process_shard`, proven through the embedded runtime (real worker processes, errors
 * crossing the process boundary): transient failures are retried with exponential waits and heal;
 * permanent ones (bad input, missing file, invalid options) fail at once without burning retries;
 * the orchestrator is never retried. Needs `npm run build` (workers run dist/).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSmallFixture, tempDirs } from '../testing/small-fixture.js';
import type { RuntimeEvent } from '../runtime/events.js';
import { LocalRuntime } from '../runtime/local.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { ShardInput, ShardResult } from './contracts.js';
import { mergeCustomerData } from './merge-customer-data.js';
import { processShard } from './process-shard.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** A root task that runs one process_shard through ctx.run, so the shard runs in a worker. */
const oneShard = defineTask({ name: 'one_shard' }, (ctx: TaskContext, input: ShardInput): Promise<ShardResult> => ctx.run(processShard, input));

const RETRY = { maxRetries: 3, waitDurationMs: 20, backoffScaling: 2 };
let data: string;

beforeAll(async () => {
  data = await writeSmallFixture(await dirs.make('cm-retry-data-'), 40);
});

async function attemptShard(input: Partial<ShardInput>, env: Record<string, string> = {}): Promise<{ events: RuntimeEvent[]; result?: ShardResult; error?: Error & { retryable?: boolean } }> {
  const rt = new LocalRuntime({ concurrency: 1, retry: RETRY, env });
  const events: RuntimeEvent[] = [];
  rt.on((e) => events.push(e));
  const full = { run_id: 'run-t', shard_index: 0, shard_count: 2, data, out_dir: await dirs.make('cm-retry-out-'), execution_id: 'run-t.e1', ...input } as ShardInput;
  try {
    return { events, result: await rt.run(oneShard, full) };
  } catch (err) {
    return { events, error: err as Error & { retryable?: boolean } };
  }
}

const shardEvents = (events: RuntimeEvent[], type: RuntimeEvent['type']): RuntimeEvent[] => events.filter((e) => e.task === 'process_shard' && e.type === type);

describe('transient failures are retried (exponential waits) and heal', () => {
  it('a shard failing on its first attempt succeeds on the second', async () => {
    const { events, result } = await attemptShard({}, { CHAOS_FAIL_SHARD: '0' });
    expect(result?.shard_index).toBe(0);
    expect(shardEvents(events, 'attempt_failed')).toMatchObject([{ attempt: 1, retryInMs: 20 }]);
    expect(shardEvents(events, 'attempt_succeeded')).toMatchObject([{ attempt: 2 }]);
  });

  it('a shard failing every attempt gets maxRetries + 1 attempts, waits 20, 40, 80 ms, then fails as retryable', async () => {
    const { events, error } = await attemptShard({}, { CHAOS_FAIL_RATE: '1' });
    const failed = shardEvents(events, 'attempt_failed') as Extract<RuntimeEvent, { type: 'attempt_failed' }>[];
    expect(failed.map((e) => [e.attempt, e.retryInMs])).toEqual([
      [1, 20],
      [2, 40],
      [3, 80],
      [4, undefined],
    ]);
    expect(error?.message).toMatch(/Subtask failed: process_shard after 4 attempt\(s\): chaos: injected failure of shard 0 on attempt 4/);
    expect(error?.retryable).toBe(true);
  });
});

describe('permanent failures fail at once, without burning retries', () => {
  it('a missing source file: one attempt, an error naming the file', async () => {
    const broken = await writeSmallFixture(await dirs.make('cm-retry-broken-'), 10);
    await rm(join(broken, 'support.csv'));
    const { events, error } = await attemptShard({ data: broken });
    expect(shardEvents(events, 'attempt_started')).toHaveLength(1);
    expect(shardEvents(events, 'attempt_failed')).toMatchObject([{ attempt: 1 }]);
    expect((shardEvents(events, 'attempt_failed')[0] as { retryInMs?: number }).retryInMs).toBeUndefined();
    expect(error?.message).toContain('support.csv');
    expect(error?.retryable).toBe(false);
  });

  it('an invalid ShardInput (shard index out of range): one attempt', async () => {
    const { events, error } = await attemptShard({ shard_index: 5 });
    expect(shardEvents(events, 'attempt_started')).toHaveLength(1);
    expect(error?.message).toMatch(/shard_index must be a whole number from 0 to 1, got 5/);
    expect(error?.retryable).toBe(false);
  });

  it('an invalid option in the environment (CHAOS_FAIL_RATE=often): one attempt', async () => {
    const { events, error } = await attemptShard({}, { CHAOS_FAIL_RATE: 'often' });
    expect(shardEvents(events, 'attempt_started')).toHaveLength(1);
    expect(error?.message).toContain('CHAOS_FAIL_RATE');
    expect(error?.retryable).toBe(false);
  });
});

describe('the orchestrator is not retried', () => {
  it('a run whose shard fails permanently makes exactly one orchestrator attempt', async () => {
    const rt = new LocalRuntime({ concurrency: 2, retry: RETRY, env: { CHAOS_FAIL_RATE: 'often' } });
    const events: RuntimeEvent[] = [];
    rt.on((e) => events.push(e));
    await expect(rt.run(mergeCustomerData, { data, out_dir: await dirs.make('cm-retry-out-'), shards: 1 })).rejects.toThrow(/CHAOS_FAIL_RATE/);
    expect(events.filter((e) => e.task === 'merge_customer_data' && e.type === 'attempt_started')).toHaveLength(1);
    expect(events.filter((e) => e.task === 'merge_customer_data' && e.type === 'run_finished')).toMatchObject([{ status: 'failed', attempts: 1 }]);
  });
});
