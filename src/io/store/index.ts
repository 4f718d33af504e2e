/** The object store: one interface over a local folder and an S3-compatible bucket. */
export { openStore, type OpenStoreOptions } from './open.js';
export { parseLocation, formatLocation, isStoreDescriptor } from './location.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.js';
export type { S3Environment } from './s3-config.js';
export type { UploadTuning } from './s3-store.js';
export type { ByteRange, ListEntry, ListOptions, ObjectInfo, ObjectStore, PutResult, PutSource, StoreDescriptor } from './types.js';
