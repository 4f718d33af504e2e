/**
 * Runs a bench child entry in a fresh process with one JSON argument and resolves with the one
 * report it sends over IPC, `{ ok: true, ... }`; a report `{ ok: false, error }`, a crash or an exit
 * before reporting rejects with `<what> failed: <why>` and the tail of the child's stderr. Shared
 * by the measured runs (measure.ts) and the warm-up probe (warmup-probe.ts).
 */
import { fork } from 'node:child_process';

export type ChildReport = { readonly ok: true } | { readonly ok: false; readonly error: string };

export interface ChildOptions {
  /** Environment of the child (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** Node flags of the child (default: this process's). */
  readonly execArgv?: readonly string[];
}

export function childReport<R extends ChildReport>(entry: string, arg: unknown, what: string, options: ChildOptions = {}): Promise<Extract<R, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const child = fork(entry, [JSON.stringify(arg)], {
      serialization: 'json',
      // The child's own output goes nowhere; its errors are kept for the message.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: options.env ?? process.env,
      ...(options.execArgv !== undefined ? { execArgv: [...options.execArgv] } : {}),
    });
    let report: R | undefined;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    child.on('message', (m: unknown) => {
      report = m as R;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (report?.ok === true) resolve(report as Extract<R, { ok: true }>);
      else {
        const failed = report as Extract<ChildReport, { ok: false }> | undefined;
        const why = failed !== undefined ? failed.error : `exited with ${signal !== null ? `signal ${signal}` : `code ${code}`} before reporting`;
        reject(new Error(`${what} failed: ${why}${stderr.trim() !== '' ? `\n--- stderr (tail) ---\n${stderr.trim()}` : ''}`));
      }
    });
  });
}
