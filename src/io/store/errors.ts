import { PipelineError } from '../../core/errors.js';

/** Why a store operation failed. */
export type StoreErrorCode =
  | 'STORE_BAD_LOCATION'
  | 'STORE_BAD_KEY'
  | 'STORE_NOT_FOUND'
  | 'STORE_NO_BUCKET'
  | 'STORE_FORBIDDEN'
  | 'STORE_REFUSED'
  | 'STORE_UNAVAILABLE'
  | 'STORE_TRANSFER_BROKEN'
  | 'STORE_SOURCE_FAILED';

/** Codes a retry of the same operation can heal. */
const RETRYABLE: ReadonlySet<StoreErrorCode> = new Set(['STORE_UNAVAILABLE', 'STORE_TRANSFER_BROKEN']);

/**
 * A store operation failed. The message is one line starting with the object's location
 * (`s3://bucket/key` or a path) and never contains credentials; `location` repeats it for machines.
 */
export class StoreError extends PipelineError {
  readonly location: string;

  constructor(code: StoreErrorCode, location: string, what: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(code, `${location}: ${oneLine(what)}`, options.retryable ?? RETRYABLE.has(code), { path: location });
    this.location = location;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** Collapses line breaks so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
