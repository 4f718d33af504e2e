import { afterEach, describe, expect, it } from 'vitest';
import { configureLogging, getLogger, parseLogLevel } from './logger.js';
import { prettyLine } from './pretty.js';
import { errorFields, scrubFields, scrubText } from './redact.js';

function capture(level: Parameters<typeof configureLogging>[0]['level']): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  configureLogging({ level, format: 'json', write: (l) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  return lines;
}

afterEach(() => configureLogging({}));

describe('structured logger', () => {
  it('writes one JSON object per line with level label, ISO time, event and the bindings', () => {
    const raw: string[] = [];
    configureLogging({ level: 'info', format: 'json', write: (l) => void raw.push(l) });
    getLogger({ run_id: 'run-1', task: 'process_shard', shard: 3, attempt: 2 }).info('shard_started', { shard_count: 10 });
    expect(raw).toHaveLength(1);
    expect(raw[0]!.endsWith('\n')).toBe(true);
    expect(raw[0]!.trimEnd().includes('\n')).toBe(false);
    const line = JSON.parse(raw[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', event: 'shard_started', run_id: 'run-1', task: 'process_shard', shard: 3, attempt: 2, shard_count: 10 });
    expect(new Date(line['time'] as string).toISOString()).toBe(line['time']);
    expect(line).not.toHaveProperty('hostname');
  });

  it('leaves attempt out when it is unknown rather than guessing', () => {
    const lines = capture('info');
    getLogger({ run_id: 'r', task: 'process_shard', shard: 0, attempt: undefined }).info('shard_started');
    expect(lines[0]).not.toHaveProperty('attempt');
  });

  it('honours the level: debug and info are dropped at warn, warn and error kept', () => {
    const lines = capture('warn');
    const log = getLogger({ run_id: 'r' });
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(lines.map((l) => [l['event'], l['level']])).toEqual([
      ['c', 'warn'],
      ['d', 'error'],
    ]);
  });

  it('silent writes nothing', () => {
    const lines = capture('silent');
    getLogger().error('boom');
    expect(lines).toEqual([]);
  });

  it('child loggers add bindings', () => {
    const lines = capture('info');
    getLogger({ run_id: 'r', task: 't' }).child({ shard: 4, attempt: 1 }).info('x');
    expect(lines[0]).toMatchObject({ run_id: 'r', task: 't', shard: 4, attempt: 1, event: 'x' });
  });

  it('reads LOG_LEVEL names and falls back on anything else', () => {
    expect(parseLogLevel('DEBUG', 'info')).toBe('debug');
    expect(parseLogLevel(' warn ', 'info')).toBe('warn');
    expect(parseLogLevel('verbose', 'info')).toBe('info');
    expect(parseLogLevel(undefined, 'silent')).toBe('silent');
  });
});

describe('no personal data in logs', () => {
  it('scrubs email addresses out of any string, including error messages', () => {
    expect(scrubText('row for ana.wu@example.com rejected')).toBe('row for <email> rejected');
    const lines = capture('info');
    getLogger().error('shard_failed', { error: errorFields(new Error('bad value "fay.ng@example.co.uk" in crm.csv line 4')) });
    expect(JSON.stringify(lines)).not.toContain('@example');
    expect(lines[0]).toMatchObject({ error: { type: 'Error', message: 'bad value "<email>" in crm.csv line 4' } });
  });

  it('drops fields named like personal data, at any depth', () => {
    const clean = scrubFields({ email: 'a@b.io', company_name: 'Acme', counts: { name: 'Ana', rows: 3 }, sample_profile: { crm: {} } });
    expect(clean).toEqual({ counts: { rows: 3 } });
  });

  it('keeps an error\'s class, code and retryability, only its first line', () => {
    const e = Object.assign(new Error('first\nsecond'), { code: 'SOURCE_FILE', retryable: false });
    expect(errorFields(e)).toEqual({ type: 'Error', message: 'first', code: 'SOURCE_FILE', retryable: false });
  });
});

describe('readable form for a terminal', () => {
  it('prettifies a JSON line into one line naming the level and event', () => {
    const text = prettyLine('{"level":"warn","time":"2025-01-02T03:04:05.000Z","pid":1,"event":"chaos_fault","msg":"chaos_fault","shard":3}');
    expect(text).toMatch(/WARN.*chaos_fault.*"shard":3/);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(prettyLine('plain text')).toBe('plain text\n');
  });
});

describe('scrubText on long text', () => {
  // Before the fix the email pattern backtracked quadratically: this call took hours (the test
  // timeout catches a regression), and a shard logging such an error hung until killed.
  it('scrubs a 4 MB message without an @ and still hides an email at its start', () => {
    const text = `ana@acme.io ${'x'.repeat(4_000_000)}`;
    const out = scrubText(text);
    expect(out.startsWith('<email> x')).toBe(true);
    expect(out).not.toContain('ana@acme.io');
  });
});
