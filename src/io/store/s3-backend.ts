import { S3Client } from '@aws-sdk/client-s3';
import type { RetryPolicy } from './retry-policy.js';
import { s3ClientConfig, type S3Environment } from './s3-config.js';
import { S3Store, type UploadTuning } from './s3-store.js';
import type { ObjectStore } from './types.js';

/** An S3 store on a client configured from `env` (the module that loads the AWS SDK). */
export function createS3Store(bucket: string, prefix: string, env: S3Environment, retry: RetryPolicy, idleTimeoutMs: number | undefined, upload: UploadTuning | undefined): ObjectStore {
  return new S3Store(new S3Client(s3ClientConfig(env, retry, idleTimeoutMs)), bucket, prefix, env, upload);
}
