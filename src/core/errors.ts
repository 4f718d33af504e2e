/**
 * Typed errors whose messages name the offending value. `retryable: false` means a retry cannot
 * help (bad input, bad options): the runtime fails the task at once.
 */
export class PipelineError extends Error {
  /** Whether retrying the same task with the same input could succeed. */
  readonly retryable: boolean;
  readonly code: string;
  /** Where the failure is, for machines (`--json`); the message already says it for people. */
  readonly details: FailureDetails;

  constructor(code: string, message: string, retryable: boolean, details: FailureDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
    this.details = details;
  }
}

/** Where a failure is and what it concerns; every field is optional. JSON only: it crosses processes. */
export interface FailureDetails {
  readonly file?: string;
  readonly line?: number;
  /** The column at fault; null when no single column is (an unclosed quote). */
  readonly field?: string | null;
  /** A folder or file of the environment (the output folder on a full disk). */
  readonly path?: string;
  /** Bytes being written when the disk was full. */
  readonly bytes?: number;
  /** Counts known when the run failed (rows rejected, per source). */
  readonly partial?: Readonly<Record<string, unknown>>;
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
    super('SOURCE_FILE', `${file}: ${message}`, false, { file });
    this.file = file;
  }
}

/** The first entry of a rejects report: where the first rejected row is and why. */
export interface FirstReject {
  readonly file: string;
  readonly line: number;
  readonly field: string | null;
  readonly reason: string;
}

/** More rejected rows than `--max-rejects` allows; the message quotes the first reject, the count and the report. */
export class TooManyRejectsError extends PipelineError {
  constructor(rejected: number, maxRejects: number, reportPath: string, first: FirstReject, partial: Readonly<Record<string, unknown>> = {}) {
    super(
      'TOO_MANY_REJECTS',
      `${rejected} row(s) rejected, more than --max-rejects ${maxRejects}. First: ${describeReject(first)}. All are listed in ${reportPath}; fix those rows or raise --max-rejects`,
      false,
      { file: first.file, line: first.line, field: first.field, path: reportPath, partial: { rejected, max_rejects: maxRejects, ...partial } },
    );
  }
}

/**
 * One rejected row in a few words: `product.csv line 4, usage_pct is not a number: "abc"` (the
 * reason already starts with the field's name when one column is at fault), or
 * `crm.csv line 3: unclosed quote`.
 */
export function describeReject(r: FirstReject): string {
  const name = r.file.slice(Math.max(r.file.lastIndexOf('/'), r.file.lastIndexOf('\\')) + 1);
  if (r.field === null) return `${name} line ${r.line}: ${r.reason}`;
  return r.reason.startsWith(`${r.field} `) ? `${name} line ${r.line}, ${r.reason}` : `${name} line ${r.line}, ${r.field}: ${r.reason}`;
}

/** Errno codes of an environment that a retry in seconds cannot heal: a full disk or quota, a read-only or forbidden folder. */
export const PERMANENT_ERRNO: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM']);

/**
 * The output cannot be written: the disk (or quota) is full, or the folder is read-only or not
 * permitted. Names the path and, for a full disk, how many bytes were being written. Permanent.
 */
export class StorageError extends PipelineError {
  constructor(errno: string, path: string, bytes?: number) {
    const full = errno === 'ENOSPC' || errno === 'EDQUOT';
    const what = errno === 'EDQUOT' ? 'the disk quota is exhausted' : full ? 'no space left on device' : errno === 'EROFS' ? 'read-only file system' : 'permission denied';
    super(
      full ? 'DISK_FULL' : 'NOT_WRITABLE',
      `cannot write ${path}${full && bytes !== undefined ? ` (${bytes} bytes)` : ''}: ${what} (${errno}); ${full ? 'free space there or choose another --out' : 'choose a folder you can write as --out'}`,
      false,
      { path, ...(bytes !== undefined ? { bytes } : {}) },
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
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && PERMANENT_ERRNO.has(code);
}
