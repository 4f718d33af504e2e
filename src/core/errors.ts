/**
 * Typed errors. Every message names the offending value (file, line, field, option) so that a
 * user can act on it without a stack trace. `retryable: false` tells the runtime that a retry
 * cannot help (bad input, bad options): it fails the task at once instead of burning retries.
 */
export class PipelineError extends Error {
  /** Whether retrying the same task with the same input could succeed. */
  readonly retryable: boolean;
  readonly code: string;

  constructor(code: string, message: string, retryable: boolean) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
  }
}

/** An option or task input outside its domain (shard count 0, negative shard index, …). */
export class InvalidOptionError extends PipelineError {
  constructor(message: string) {
    super('INVALID_OPTION', message, false);
  }
}

/** A source file that cannot be used at all: missing, empty, no header, no customer_id, … */
export class SourceFileError extends PipelineError {
  readonly file: string;
  constructor(file: string, message: string) {
    super('SOURCE_FILE', `${file}: ${message}`, false);
    this.file = file;
  }
}

/** More rejected rows than `--max-rejects` allows; the rejects report is written first. */
export class TooManyRejectsError extends PipelineError {
  constructor(rejected: number, maxRejects: number, reportPath: string) {
    super(
      'TOO_MANY_REJECTS',
      `${rejected} row(s) rejected, more than --max-rejects ${maxRejects}; see ${reportPath}`,
      false,
    );
  }
}

/** A task argument larger than Render's 4 MB cap. */
export class ArgumentTooLargeError extends PipelineError {
  constructor(task: string, bytes: number, limit: number) {
    super(
      'ARGUMENT_TOO_LARGE',
      `arguments of task ${task} are ${bytes} bytes, over the ${limit}-byte limit`,
      false,
    );
  }
}

/** True when `err` is known not to heal on retry. Unknown errors are assumed transient. */
export function isPermanent(err: unknown): boolean {
  if (err instanceof PipelineError) return !err.retryable;
  if (typeof err === 'object' && err !== null && 'retryable' in err) {
    return (err as { retryable: unknown }).retryable === false;
  }
  return false;
}
