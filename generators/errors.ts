/**
 * Typed errors of the generator. Every message names the offending value so a failed run says
 * what to fix without a debugger.
 */

/** An option or CLI argument is outside its domain. */
export class GeneratorOptionError extends Error {
  override readonly name = 'GeneratorOptionError';
  /** The failure code `npm start` uses for a refused option (src/cli/failure.ts). */
  readonly code = 'INVALID_OPTION';

  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`invalid ${option}: ${JSON.stringify(value) ?? String(value)} (expected ${expected})`);
  }
}

/** The run was aborted (signal or interrupt); no file was left under its final name. */
export class GenerationAbortedError extends Error {
  override readonly name = 'GenerationAbortedError';

  constructor(readonly out: string, reason: unknown) {
    super(`generation into ${out} aborted: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

/** A worker thread failed or exited before finishing its chunk. */
export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';

  constructor(
    readonly workerId: number,
    readonly chunk: number | undefined,
    detail: string,
  ) {
    super(`generator worker ${workerId} failed${chunk === undefined ? '' : ` on chunk ${chunk}`}: ${detail}`);
  }
}

/** The compiled worker script is missing (vitest runs .ts sources; workers need dist/). */
export class WorkerScriptMissingError extends Error {
  override readonly name = 'WorkerScriptMissingError';

  constructor(readonly path: string) {
    super(`generator worker script not found at ${path}: run \`npm run build\` first, or pass workers: 0`);
  }
}

/** The output folder cannot be made: `level` (the folder itself or a parent) refused with `errno`. */
export class OutDirError extends Error {
  override readonly name = 'OutDirError';
  /** The failure code the project's CLIs use for an unwritable output folder (src/cli/failure.ts). */
  readonly code = 'NOT_WRITABLE';
  readonly details: { readonly path: string };

  constructor(
    readonly out: string,
    readonly level: string,
    readonly errno: string,
  ) {
    const why: Record<string, string> = {
      EEXIST: 'a file, not a folder, has this name',
      ENOTDIR: `${level} is a file, not a folder`,
      ENOENT: `${level} does not accept new folders`,
      EACCES: `permission denied at ${level}`,
      EPERM: `not permitted at ${level}`,
      EROFS: `${level} is on a read-only file system`,
    };
    super(`cannot create --out folder ${out}: ${why[errno] ?? `${level} refused (${errno})`} (${errno}); choose a folder you can write as --out`);
    this.details = { path: out };
  }
}
