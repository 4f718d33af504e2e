import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

/** A stand-in for process.stderr that records writes. */
class FakeStream {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

const LINE = '{"level":"info","time":"2025-01-01T00:00:00.000Z","pid":1,"run_id":"r","task":"process_shard","shard":3,"event":"shard_started","msg":"shard_started"}';

describe('log lines and the progress display share stderr without garbling', () => {
  it('on a terminal: clears the bar, prints the readable line, redraws the bar below it', () => {
    const out = new FakeStream(true);
    const p = new Progress(10, out as unknown as NodeJS.WriteStream);
    p.onEvent({ type: 'attempt_started', runId: 'x', task: 'process_shard', attempt: 1 });
    out.text = '';
    p.log(LINE);
    const [clear, rest] = [out.text.slice(0, 4), out.text.slice(4)];
    expect(clear).toBe('\r\x1b[K');
    const [logged, bar] = rest.split('\n');
    expect(logged).toMatch(/INFO.*shard_started.*"shard":3/);
    expect(bar).toMatch(/^\r\[-+\] 0\/10 shards, 1 running/);
  });

  it('elsewhere: writes the JSON line untouched, one per line', () => {
    const out = new FakeStream(false);
    const p = new Progress(10, out as unknown as NodeJS.WriteStream);
    p.log(LINE);
    p.log(LINE);
    expect(out.text).toBe(`${LINE}\n${LINE}\n`);
  });

  it('after finish, no bar is redrawn', () => {
    const out = new FakeStream(true);
    const p = new Progress(10, out as unknown as NodeJS.WriteStream);
    p.finish();
    out.text = '';
    p.log(LINE);
    expect(out.text).not.toContain('shards,');
  });
});

describe('progress counts shard tasks', () => {
  it('one task per shard: a line per finished shard', () => {
    const out = new FakeStream(false);
    const p = new Progress(4, out as unknown as NodeJS.WriteStream);
    p.onEvent({ type: 'attempt_started', runId: 'a', task: 'process_shard', attempt: 1 });
    p.onEvent({ type: 'attempt_succeeded', runId: 'a', task: 'process_shard', attempt: 1, elapsedMs: 12 });
    expect(out.text).toBe('shard 1/4 done in 12 ms\n');
  });

  it('shards dealt to fewer workers: counts process_shards runs out of the workers, ignores the rest', () => {
    const out = new FakeStream(true);
    const p = new Progress(16, out as unknown as NodeJS.WriteStream, 2);
    p.onEvent({ type: 'attempt_started', runId: 'x', task: 'process_shard', attempt: 1 });
    expect(out.text).toBe('');
    p.onEvent({ type: 'attempt_started', runId: 'b', task: 'process_shards', attempt: 1 });
    p.onEvent({ type: 'attempt_succeeded', runId: 'b', task: 'process_shards', attempt: 1, elapsedMs: 5 });
    expect(out.text).toMatch(/\[#{15}-{15}\] 1\/2 shard tasks \(16 shards\), 0 running/);
    const plain = new FakeStream(false);
    const q = new Progress(16, plain as unknown as NodeJS.WriteStream, 2);
    q.onEvent({ type: 'attempt_failed', runId: 'b', task: 'process_shards', attempt: 1, error: 'boom', retryInMs: 2000 });
    expect(plain.text).toBe('shard task attempt failed: boom (retry in 2.0 s)\n');
  });
});
