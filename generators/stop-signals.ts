/**
 * How `npm run generate` stops on SIGINT or SIGTERM: the first asks the run to stop and tidy up
 * (`abort`); a run still going `graceMs` later exits at once, so a run stuck where it cannot see
 * the abort (a file-system call that never returns) still ends under `timeout` or Ctrl-C. Later
 * signals change nothing: `timeout` sends its signal to the process and again to its group.
 */

/** The parts of `process` the stop logic uses (a test passes its own). */
export interface SignalHost {
  on(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): never | void;
}

/** Exit status of a process ended by `signal` (128 + its number). */
export const signalExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);

/** Installs the handlers; returns their remover. `say` prints one line when the run is cut short. */
export function stopOnSignals(host: SignalHost, abort: (reason: Error) => void, say: (line: string) => void, graceMs = 5000): () => void {
  let first: NodeJS.Signals | undefined;
  let timer: NodeJS.Timeout | undefined;
  const forced = (why: string, signal: NodeJS.Signals): void => {
    say(`${why}; exiting without waiting for the temporary files to be removed`);
    host.exit(signalExitCode(signal));
  };
  const listener = (signal: NodeJS.Signals): void => {
    if (first !== undefined) return;
    first = signal;
    abort(new Error(`received ${signal}`));
    timer = setTimeout(() => forced(`still running ${graceMs / 1000} s after ${signal}`, signal), graceMs);
    timer.unref();
  };
  host.on('SIGINT', listener);
  host.on('SIGTERM', listener);
  return () => {
    clearTimeout(timer);
    host.off('SIGINT', listener);
    host.off('SIGTERM', listener);
  };
}
