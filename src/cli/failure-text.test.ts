/** A task's error message, wrapped as each task level wraps it, yields the code and where of the error that made it. */
import { describe, expect, it } from 'vitest';
import { StorageError, TooManyRejectsError } from '../core/errors.js';
import { failureOfMessage } from './failure-text.js';

describe('failureOfMessage', () => {
  it('TOO_MANY_REJECTS: file name, line, field and report path', () => {
    const e = new TooManyRejectsError(2, 0, '/o/rejects.jsonl', { file: '/d/product.csv', line: 4, field: 'usage_pct', reason: 'usage_pct is not a number: "abc"' });
    const f = failureOfMessage(`Subtask failed: Subtask failed: ${e.message}`, 'run r1 failed: ', 'hint');
    expect(f.error).toEqual({ code: 'TOO_MANY_REJECTS', message: `run r1 failed: ${e.message}`, file: 'product.csv', line: 4, field: 'usage_pct', path: '/o/rejects.jsonl' });
  });
  it('DISK_FULL with path and bytes; NOT_WRITABLE with path', () => {
    const full = new StorageError('ENOSPC', '/mnt/o/x.csv', 99);
    expect(failureOfMessage(full.message, '', 'h').error).toEqual({ code: 'DISK_FULL', message: full.message, path: '/mnt/o/x.csv', bytes: 99 });
    const ro = new StorageError('EROFS', '/ro/o', undefined);
    expect(failureOfMessage(ro.message, '', 'h').error).toEqual({ code: 'NOT_WRITABLE', message: ro.message, path: '/ro/o' });
  });
  it('any other text is TASK_FAILED with the hint', () => {
    expect(failureOfMessage('boom\nstack', 'p: ', 'look at logs').error).toEqual({ code: 'TASK_FAILED', message: 'p: boom (look at logs)' });
  });
});
