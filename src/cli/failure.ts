import type { FailureDetails } from '../core/errors.js';

/** The closed set of failure codes (`error.code` of `--json`, kept in step with README "When a run fails"); else TASK_FAILED. */
export const FAILURE_CODES = {
  INVALID_OPTION: 'an option or path was refused before anything ran',
  SOURCE_FILE: 'a source file cannot be used at all (missing, empty, no header, not UTF-8, …)',
  TOO_MANY_REJECTS: 'more rows were rejected than --max-rejects allows',
  DISK_FULL: 'the output folder ran out of space (or quota)',
  NOT_WRITABLE: 'the output folder is read-only or not permitted',
  DATABASE: 'the PostgreSQL sink failed (URL, connection, table, a value)',
  ARGUMENT_TOO_LARGE: "a task's arguments exceed Render's 4 MB cap",
  RENDER: 'the Render SDK is missing, or Render (or its local dev server) could not be reached or read',
  STORE: 'the object store (s3://…) has no such bucket or object, refused access, or kept failing',
  TASK_FAILED: 'a task failed for another reason (a crash, a timeout)',
} as const;

export type FailureCode = keyof typeof FAILURE_CODES;

/** Error codes of the pipeline that the CLI reports under another name. */
const ALIASES: Readonly<Record<string, FailureCode>> = {
  POSTGRES: 'DATABASE',
  POSTGRES_SCHEMA: 'DATABASE',
  POSTGRES_VALUE: 'DATABASE',
  DATABASE_URL: 'DATABASE',
  STORE_BAD_LOCATION: 'INVALID_OPTION',
  STORE_BAD_KEY: 'STORE',
  STORE_NOT_FOUND: 'STORE',
  STORE_NO_BUCKET: 'STORE',
  STORE_FORBIDDEN: 'STORE',
  STORE_REFUSED: 'STORE',
  STORE_UNAVAILABLE: 'STORE',
  STORE_TRANSFER_BROKEN: 'STORE',
  STORE_SOURCE_FAILED: 'STORE',
};

/** A failed run as the CLI reports it: `--json` prints `{ error: {…}, ...partial }`. */
export interface Failure {
  readonly error: {
    readonly code: FailureCode;
    readonly message: string;
    readonly file?: string;
    readonly line?: number;
    readonly field?: string | null;
    readonly path?: string;
    readonly bytes?: number;
  };
  readonly [partial: string]: unknown;
}

/** What `npm start` suggests after a TASK_FAILED line. */
export const START_HINT = "LOG_LEVEL=info npm start -- … shows every task's log";

/**
 * What a failed run reports: the innermost error of the "Subtask failed: …" chain, which names the
 * place and carries the code; a TASK_FAILED line is followed by `hint`.
 */
export function failureOf(err: unknown, hint: string = START_HINT): Failure {
  let e: unknown = err;
  for (let depth = 0; depth < 16; depth++) {
    // A pipeline error (a code and a retryable flag) already says it all; its cause (a store's SDK error) is detail.
    if (isPipelineShaped(e)) break;
    const cause = (e as { cause?: unknown } | null)?.cause;
    if (!(cause instanceof Error)) break;
    e = cause;
  }
  const raw = (e as { code?: unknown } | null)?.code;
  const code: FailureCode = typeof raw === 'string' ? (raw in FAILURE_CODES ? (raw as FailureCode) : (ALIASES[raw] ?? 'TASK_FAILED')) : 'TASK_FAILED';
  const details = ((e as { details?: unknown } | null)?.details ?? {}) as FailureDetails;
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  const message = code === 'TASK_FAILED' ? `${first} (${hint})` : first;
  const { partial, ...where } = details;
  return { error: { code, message, ...where }, ...partial };
}

function isPipelineShaped(e: unknown): boolean {
  const o = e as { code?: unknown; retryable?: unknown } | null;
  return typeof o?.code === 'string' && typeof o.retryable === 'boolean';
}

/** The one line the CLI prints on stderr when a run fails. */
export function failureLine(err: unknown): string {
  return failureOf(err).error.message;
}

/** Where a command reports its failure; the process's streams unless a test passes its own. */
export interface FailureOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * Reports a failed command: `<command>: <message>` on stderr and, when argv holds `--json`, the
 * failure object on stdout. Returns the exit code, 1.
 */
export function reportFailure(command: string, failure: Failure, argv: readonly string[], out: FailureOutput = process): number {
  out.stderr.write(`${command}: ${failure.error.message}\n`);
  if (argv.includes('--json')) out.stdout.write(`${JSON.stringify(failure)}\n`);
  return 1;
}
