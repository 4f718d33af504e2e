import { StoreError, oneLine } from './errors.js';
import type { S3Environment } from './s3-config.js';

/** Network failures a retry may heal: the store was unreachable or the connection dropped. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

/** What the SDK's errors carry (service exceptions and network errors alike). */
interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/** Replaces the credentials' values, wherever they appear in `text`, by `***`. */
export function redact(text: string, env: S3Environment): string {
  let out = text;
  for (const secret of [env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, env.AWS_ACCESS_KEY_ID]) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * The StoreError of a failed S3 call on `location`: 404 missing, 403 refused, 5xx, throttling or a
 * dropped connection unavailable; one line naming status and code. Anything else is returned as is.
 */
export function s3Error(err: unknown, location: string, bucket: string, endpoint: string, env: S3Environment): unknown {
  if (err instanceof StoreError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? 'Error';
  const attempts = e.$metadata?.attempts;
  const after = attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '';
  // A HEAD answer has no body, so no S3 error code: the SDK calls it "Unknown" or by its status.
  const http = `HTTP ${status ?? '?'}${/^(Unknown|UnknownError|Error|\d+)$/.test(name) ? '' : ` ${name}`}`;
  if (name === 'NoSuchBucket') return new StoreError('STORE_NO_BUCKET', location, `no such bucket "${bucket}" at ${endpoint} (${http})`, { cause: err });
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') return new StoreError('STORE_NOT_FOUND', location, `no such object (${http})`, { cause: err });
  if (status === 403 || name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
    return new StoreError('STORE_FORBIDDEN', location, `access denied (${http}); check that the credentials (AWS_ACCESS_KEY_ID) may use this bucket`, { cause: err });
  }
  if ((status !== undefined && status >= 500) || name === 'SlowDown' || name === 'ThrottlingException') {
    return new StoreError('STORE_UNAVAILABLE', location, `the store at ${endpoint} kept failing (${http})${after}; try again later`, { cause: err });
  }
  const code = e.code ?? (name === 'TimeoutError' ? 'ETIMEDOUT' : undefined);
  if (code === 'ETIMEDOUT') {
    return new StoreError('STORE_UNAVAILABLE', location, `the store at ${endpoint} did not answer in time (ETIMEDOUT)${after}`, { cause: err });
  }
  if (code !== undefined && NETWORK.has(code)) {
    return new StoreError('STORE_UNAVAILABLE', location, `cannot reach the store at ${endpoint} (${code})${after}`, { cause: err });
  }
  if (status !== undefined && status >= 400) {
    const why = e.message !== undefined && e.message !== '' && e.message !== 'UnknownError' ? `: ${oneLine(redact(e.message, env))}` : '';
    return new StoreError('STORE_REFUSED', location, `refused (${http})${why}`, { cause: err });
  }
  return err;
}
