import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, retryDelay, retryStrategy } from './retry-policy.js';

describe('retry policy', () => {
  it('doubles from the base delay and stops at the cap; the default waits 0.2+0.4+0.8+1.6 s over five attempts', () => {
    expect([1, 2, 3, 4].map((r) => retryDelay(DEFAULT_RETRY, r))).toEqual([200, 400, 800, 1600]);
    expect(retryDelay({ maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 500 }, 9)).toBe(500);
  });

  it('retries throttling, server and transient errors until maxAttempts; a client error not at all', async () => {
    const s = retryStrategy({ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1000 });
    const t0 = await s.acquireInitialRetryToken('s3');
    const t1 = await s.refreshRetryTokenForRetry(t0, { errorType: 'THROTTLING' });
    expect([t1.getRetryCount(), t1.getRetryDelay()]).toEqual([1, 10]);
    const t2 = await s.refreshRetryTokenForRetry(t1, { errorType: 'SERVER_ERROR' });
    expect([t2.getRetryCount(), t2.getRetryDelay()]).toEqual([2, 20]);
    const last = new Error('third failure');
    await expect(s.refreshRetryTokenForRetry(t2, { errorType: 'TRANSIENT', error: last })).rejects.toBe(last);
    const denied = new Error('403');
    await expect(s.refreshRetryTokenForRetry(t0, { errorType: 'CLIENT_ERROR', error: denied })).rejects.toBe(denied);
  });
});
