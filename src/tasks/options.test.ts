import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../core/errors.js';
import { retryDelayMs } from '../runtime/task.js';
import { MERGE_CUSTOMER_DATA_OPTIONS, processShardOptions, shardMemoryBudgetBytes } from './options.js';

describe('task options (retries on process_shard only)', () => {
  it("default to the tutorial's Part 2: 3 retries, 2 s first wait, exponential (x2)", () => {
    const o = processShardOptions({});
    expect(o.retry).toEqual({ maxRetries: 3, waitDurationMs: 2000, backoffScaling: 2 });
    expect([0, 1, 2].map((k) => retryDelayMs(o.retry!, k))).toEqual([2000, 4000, 8000]);
    expect(o.timeoutSeconds).toBe(1800);
  });

  it('the orchestrator has no retry policy', () => {
    expect(MERGE_CUSTOMER_DATA_OPTIONS.retry).toBeUndefined();
  });

  it('are configurable through SHARD_* environment variables', () => {
    const o = processShardOptions({ SHARD_MAX_RETRIES: '5', SHARD_RETRY_WAIT_MS: '250', SHARD_RETRY_BACKOFF: '1.5', SHARD_TIMEOUT_SECONDS: '60' });
    expect(o.retry).toEqual({ maxRetries: 5, waitDurationMs: 250, backoffScaling: 1.5 });
    expect(o.timeoutSeconds).toBe(60);
    expect(processShardOptions({ SHARD_MAX_RETRIES: '0' }).retry?.maxRetries).toBe(0);
  });

  it.each([
    ['SHARD_MAX_RETRIES', '-1'],
    ['SHARD_MAX_RETRIES', '2.5'],
    ['SHARD_RETRY_WAIT_MS', 'soon'],
    ['SHARD_RETRY_BACKOFF', '0.5'],
    ['SHARD_TIMEOUT_SECONDS', '5'],
  ])('refuse a malformed %s=%s with an error naming the variable and the value', (name, value) => {
    expect(() => processShardOptions({ [name]: value })).toThrow(InvalidOptionError);
    expect(() => processShardOptions({ [name]: value })).toThrow(new RegExp(`${name} must be .*got "${value.replace('.', '\\.')}"`));
  });
});

describe('shard memory budget', () => {
  it('is 448 MiB by default (a worker fits Render\'s 512 MB plan), SHARD_MEMORY_MB otherwise, and refuses nonsense', () => {
    expect(shardMemoryBudgetBytes({})).toBe(448 * 2 ** 20);
    expect(shardMemoryBudgetBytes({ SHARD_MEMORY_MB: '2048' })).toBe(2048 * 2 ** 20);
    for (const bad of ['32', 'lots', '100.5']) expect(() => shardMemoryBudgetBytes({ SHARD_MEMORY_MB: bad })).toThrow(/SHARD_MEMORY_MB must be a whole number from 64 to 1048576/);
  });
});
