import { prettyLine } from '../log/pretty.js';
import type { RuntimeEvent } from '../runtime/events.js';

/** Shard-task progress on stderr: a bar redrawn in place on a TTY, plain lines otherwise. */
export class Progress {
  private done = 0;
  private running = 0;
  private retries = 0;
  private finished = false;
  private readonly t0 = performance.now();

  /** The shard tasks to count: one per shard, or one per group of shards. */
  private readonly total: number;
  private readonly task: string;
  private readonly unit: string;

  /**
   * @param shards the run's shard count
   * @param workers the shard tasks the shards are dealt to (RunInput.workers; default: one per shard)
   */
  constructor(
    private readonly shards: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    workers: number = shards,
  ) {
    const batched = workers < shards;
    this.total = batched ? workers : shards;
    this.task = batched ? 'process_shards' : 'process_shard';
    this.unit = batched ? 'shard task' : 'shard';
  }

  readonly onEvent = (e: RuntimeEvent): void => {
    if (e.task !== this.task) {
      // The other subtasks (prepare_run, the partition step) have no bar, but a retry of theirs is
      // said (a last failure is the run's own failure line).
      if (e.type === 'attempt_failed' && e.retryInMs !== undefined) {
        this.line(`${e.task} attempt failed: ${e.error} (retry in ${(e.retryInMs / 1000).toFixed(1)} s)`);
        this.draw();
      }
      return;
    }
    switch (e.type) {
      case 'attempt_started':
        this.running++;
        break;
      case 'attempt_failed':
        this.running--;
        if (e.retryInMs !== undefined) this.retries++;
        this.line(`${this.unit} attempt failed: ${e.error}${e.retryInMs !== undefined ? ` (retry in ${(e.retryInMs / 1000).toFixed(1)} s)` : ''}`);
        break;
      case 'attempt_succeeded':
        this.running--;
        this.done++;
        if (!this.out.isTTY) this.line(`${this.unit} ${this.done}/${this.total} done in ${e.elapsedMs} ms`);
        break;
      default:
        break;
    }
    this.draw();
  };

  /** Writes one log line without garbling the bar: on a TTY clear, print readably, redraw; else the JSON as is. */
  readonly log = (line: string): void => {
    const text = line.endsWith('\n') ? line : `${line}\n`;
    if (!this.out.isTTY) {
      this.out.write(text);
      return;
    }
    this.out.write('\r\x1b[K');
    this.out.write(prettyLine(text, true));
    this.draw();
  };

  private draw(): void {
    if (!this.out.isTTY || this.finished) return;
    const width = 30;
    const filled = Math.round((this.done / this.total) * width);
    const secs = ((performance.now() - this.t0) / 1000).toFixed(1);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const of = this.total === this.shards ? 'shards' : `shard tasks (${this.shards} shards)`;
    this.out.write(`\r[${bar}] ${this.done}/${this.total} ${of}, ${this.running} running${this.retries ? `, ${this.retries} retried` : ''}, ${secs} s `);
  }

  private line(text: string): void {
    if (this.out.isTTY) this.out.write('\r\x1b[K');
    this.out.write(`${text}\n`);
  }

  finish(): void {
    this.finished = true;
    if (this.out.isTTY) this.out.write('\r\x1b[K');
  }
}
