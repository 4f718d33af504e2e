import { StoreError } from './errors.js';
import { LocalStore } from './local-store.js';
import { isStoreDescriptor, parseLocation } from './location.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.js';
import { prefixedKey } from './keys.js';
import { LazyStore } from './lazy-store.js';
import type { S3Environment } from './s3-config.js';
import type { UploadTuning } from './s3-store.js';
import { quietSdkNodeWarning } from './sdk-warning.js';
import type { ObjectStore, StoreDescriptor } from './types.js';

/** Options of `openStore`; every one has a default fit for production. */
export interface OpenStoreOptions {
  /** Where the S3 endpoint, region and credentials are read (`process.env` by default). */
  readonly env?: S3Environment;
  /** Retries of throttled, failing or unreachable S3 calls. */
  readonly retry?: RetryPolicy;
  /** How long a connection may stay silent before it is dropped (60 s by default). */
  readonly idleTimeoutMs?: number;
  /** Multipart upload part size and parallelism. */
  readonly upload?: UploadTuning;
}

/**
 * Opens the store a location (or a descriptor from another process) names: an S3-compatible bucket
 * configured from the AWS environment, or a local folder. Nothing is contacted until first use.
 */
export function openStore(location: string | StoreDescriptor, options: OpenStoreOptions = {}): ObjectStore {
  const d = typeof location === 'string' ? parseLocation(location) : location;
  if (!isStoreDescriptor(d)) throw new StoreError('STORE_BAD_LOCATION', JSON.stringify(location), 'not a store descriptor ({kind: "local", root} or {kind: "s3", bucket, prefix})');
  if (d.kind === 'local') return new LocalStore(d.root);
  const env = options.env ?? (process.env as S3Environment);
  quietSdkNodeWarning();
  const { bucket, prefix } = d;
  const locate = (key: string): string => `s3://${bucket}/${prefixedKey(prefix, key, `s3://${bucket}/${prefix}`)}`;
  const make = async (): Promise<ObjectStore> => (await import('./s3-backend.js')).createS3Store(bucket, prefix, env, options.retry ?? DEFAULT_RETRY, options.idleTimeoutMs, options.upload);
  return new LazyStore({ kind: 's3', bucket, prefix }, locate, make);
}
