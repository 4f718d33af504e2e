/**
 * Progress of a run: a snapshot type the API reports, and a TTY line renderer for the CLI
 * (rows written, rate, ETA), redrawn at most every 250 ms and erased at the end. Nothing is drawn
 * when the stream is not a TTY, so piped and CI output stays clean.
 */

/** A progress snapshot, reported after each chunk is written. */
export interface Progress {
  readonly customersDone: number;
  readonly customers: number;
  readonly rowsWritten: number;
  readonly elapsedMs: number;
}

/** Rows per second, or 0 before any time has passed. */
export function rate(rows: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (rows * 1000) / elapsedMs : 0;
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1,234,567`. */
export function formatCount(value: number): string {
  return number.format(value);
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

/** One progress line: rows, share of customers done, rate, ETA. */
export function progressLine(p: Progress): string {
  const share = p.customers === 0 ? 1 : p.customersDone / p.customers;
  const remaining = share > 0 ? ((1 - share) / share) * (p.elapsedMs / 1000) : Number.POSITIVE_INFINITY;
  return (
    `${formatCount(p.rowsWritten)} rows · ${(share * 100).toFixed(1)}% of ${formatCount(p.customers)} customers · ` +
    `${formatCount(rate(p.rowsWritten, p.elapsedMs))} rows/s · ETA ${formatSeconds(remaining)}`
  );
}

/** The sink a TTY renderer writes to (process.stderr, or a fake in tests). */
export interface LineSink {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Draws `progressLine` in place on a TTY; does nothing elsewhere. */
export class TtyProgress {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly sink: LineSink,
    private readonly everyMs = 250,
  ) {}

  update(p: Progress): void {
    if (this.sink.isTTY !== true) return;
    if (this.drawn && p.elapsedMs - this.lastDraw < this.everyMs && p.customersDone < p.customers) return;
    this.lastDraw = p.elapsedMs;
    this.drawn = true;
    this.sink.write(`\r\x1b[2K${progressLine(p)}`);
  }

  /** Erases the line so the final summary starts clean. */
  clear(): void {
    if (this.drawn) this.sink.write('\r\x1b[2K');
    this.drawn = false;
  }
}
