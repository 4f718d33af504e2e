import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stopOnSignals } from './stop-signals.js';

/** A stand-in for `process`: signals are emitted by the test, exits are recorded. */
function fakeHost() {
  const events = new EventEmitter();
  const exits: number[] = [];
  return {
    exits,
    signal: (s: NodeJS.Signals) => events.emit(s, s),
    host: { on: events.on.bind(events), off: events.off.bind(events), exit: (code: number) => void exits.push(code) },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('generate on SIGINT / SIGTERM', () => {
  it('the first signal asks the run to stop; a run that stops in time is not cut short', () => {
    vi.useFakeTimers();
    const { host, signal, exits } = fakeHost();
    const reasons: string[] = [];
    const remove = stopOnSignals(host, (r) => reasons.push(r.message), () => {}, 5000);
    signal('SIGTERM');
    expect(reasons).toEqual(['received SIGTERM']);
    remove();
    vi.advanceTimersByTime(10_000);
    expect(exits).toEqual([]);
  });

  it('a run still going after the grace period exits 143 on SIGTERM, naming why in one line', () => {
    vi.useFakeTimers();
    const { host, signal, exits } = fakeHost();
    const lines: string[] = [];
    stopOnSignals(host, () => {}, (l) => lines.push(l), 5000);
    signal('SIGTERM');
    vi.advanceTimersByTime(4999);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(exits).toEqual([143]);
    expect(lines).toEqual(['still running 5 s after SIGTERM; exiting without waiting for the temporary files to be removed']);
  });

  it('a repeated signal (timeout signals the process and its group) does not cut the tidy-up short', () => {
    vi.useFakeTimers();
    const { host, signal, exits } = fakeHost();
    const reasons: string[] = [];
    const remove = stopOnSignals(host, (r) => reasons.push(r.message), () => {}, 5000);
    signal('SIGTERM');
    signal('SIGTERM');
    signal('SIGINT');
    expect(exits).toEqual([]);
    expect(reasons).toEqual(['received SIGTERM']);
    vi.advanceTimersByTime(5000);
    expect(exits).toEqual([143]);
    remove();
  });
});
