/** The SDK's retry token (`RetryToken` of its retry middleware), declared here by shape. */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** What the SDK tells a strategy of a failed attempt. */
interface RetryErrorInfo {
  readonly errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
  readonly error?: unknown;
}

/** The SDK's `RetryStrategyV2`, by shape. */
export interface SdkRetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

/** How often and how patiently a failed request is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Delay before the first retry; each further retry doubles it. */
  readonly baseDelayMs: number;
  /** Upper bound of one delay. */
  readonly maxDelayMs: number;
}

/** Five attempts, waiting 0.2, 0.4, 0.8 and 1.6 s between them (3 s in all). */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

/** The delay before retry number `retry` (1-based): doubling from the base, capped. No jitter. */
export function retryDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

/**
 * The SDK retry strategy of a policy: throttling, 5xx and transient network failures are retried
 * with a deterministic exponential delay (no jitter) up to `maxAttempts`; client errors fail at once.
 */
export function retryStrategy(policy: RetryPolicy): SdkRetryStrategy {
  const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
      const retry = previous.getRetryCount() + 1;
      if (info.errorType === 'CLIENT_ERROR' || retry >= policy.maxAttempts) throw info.error ?? new Error('no retry');
      return token(retry, retryDelay(policy, retry));
    },
    recordSuccess: () => {},
  };
}
