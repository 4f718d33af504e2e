import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { retryStrategy, type RetryPolicy } from './retry-policy.js';

/** The environment variables the S3 backend reads (the AWS SDK's standard names). */
export interface S3Environment {
  readonly AWS_ENDPOINT_URL_S3?: string;
  readonly AWS_ENDPOINT_URL?: string;
  readonly AWS_REGION?: string;
  readonly AWS_DEFAULT_REGION?: string;
  readonly AWS_ACCESS_KEY_ID?: string;
  readonly AWS_SECRET_ACCESS_KEY?: string;
  readonly AWS_SESSION_TOKEN?: string;
  readonly AWS_S3_FORCE_PATH_STYLE?: string;
  readonly [name: string]: string | undefined;
}

/** How long a connection may stay silent (connecting, waiting for an answer, mid-body) before it is dropped. */
export const IDLE_TIMEOUT_MS = 60_000;

/** The endpoint a client talks to, for messages: scheme, host and port only (no user info). */
export function endpointForMessages(env: S3Environment): string {
  const raw = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (raw === undefined || raw === '') return 'AWS S3';
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the endpoint in AWS_ENDPOINT_URL';
  }
}

/**
 * The S3 client configuration of an environment: `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` names
 * a non-AWS endpoint and implies path style unless `AWS_S3_FORCE_PATH_STYLE=false`; region defaults
 * to us-east-1; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else the SDK's chain. A
 * connection silent for `idleTimeoutMs` is dropped.
 */
export function s3ClientConfig(env: S3Environment, retry: RetryPolicy, idleTimeoutMs: number = IDLE_TIMEOUT_MS): S3ClientConfig {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const pathStyle = env.AWS_S3_FORCE_PATH_STYLE?.toLowerCase();
  const forcePathStyle = pathStyle === 'true' || (endpoint !== undefined && pathStyle !== 'false');
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  return {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(endpoint !== undefined ? { endpoint } : {}),
    forcePathStyle,
    ...(id && secret ? { credentials: { accessKeyId: id, secretAccessKey: secret, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } } : {}),
    maxAttempts: retry.maxAttempts,
    // A connection that sends nothing for this long is dropped: a stalled request is retried,
    // a stalled download fails as a broken transfer.
    requestHandler: { connectionTimeout: Math.min(idleTimeoutMs, 10_000), socketTimeout: idleTimeoutMs },
    retryStrategy: retryStrategy(retry),
  };
}
