import { describe, expect, it } from 'vitest';
import { progressLine, TtyProgress, type LineSink } from './progress.js';

class FakeSink implements LineSink {
  readonly writes: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
}

const halfway = { customersDone: 500_000, customers: 1_000_000, rowsWritten: 2_000_000, elapsedMs: 10_000 };

describe('progress', () => {
  it('the line shows rows written, share done, rate and ETA', () => {
    expect(progressLine(halfway)).toBe('2,000,000 rows · 50.0% of 1,000,000 customers · 200,000 rows/s · ETA 10s');
  });

  it('draws nothing when the sink is not a TTY', () => {
    const sink = new FakeSink(false);
    const progress = new TtyProgress(sink);
    progress.update(halfway);
    progress.clear();
    expect(sink.writes).toEqual([]);
  });

  it('on a TTY redraws at most every 250 ms, always at completion, and erases the line at the end', () => {
    const sink = new FakeSink(true);
    const progress = new TtyProgress(sink);
    progress.update({ ...halfway, elapsedMs: 1000 });
    progress.update({ ...halfway, elapsedMs: 1100 });
    progress.update({ ...halfway, elapsedMs: 1300 });
    progress.update({ ...halfway, customersDone: 1_000_000, elapsedMs: 1350 });
    progress.clear();
    expect(sink.writes).toHaveLength(4);
    expect(sink.writes[3]).toBe('\r\x1b[2K');
  });
});
