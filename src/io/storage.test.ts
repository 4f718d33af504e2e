import { describe, expect, it } from 'vitest';
import { StorageError, isPermanent } from '../core/errors.js';
import { onStorage, storageError } from './storage.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: from the system, write`), { code });

describe('storageError', () => {
  it.each([
    ['ENOSPC', 'DISK_FULL', 'cannot write /o/p.jsonl (4096 bytes): no space left on device (ENOSPC); free space there or choose another --out'],
    ['EDQUOT', 'DISK_FULL', 'cannot write /o/p.jsonl (4096 bytes): the disk quota is exhausted (EDQUOT); free space there or choose another --out'],
    ['EROFS', 'NOT_WRITABLE', 'cannot write /o/p.jsonl: read-only file system (EROFS); choose a folder you can write as --out'],
    ['EACCES', 'NOT_WRITABLE', 'cannot write /o/p.jsonl: permission denied (EACCES); choose a folder you can write as --out'],
    ['EPERM', 'NOT_WRITABLE', 'cannot write /o/p.jsonl: permission denied (EPERM); choose a folder you can write as --out'],
  ])('%s becomes a permanent %s naming the path', (code, kind, message) => {
    const err = storageError(errno(code), '/o/p.jsonl', 4096);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe(kind);
    expect((err as StorageError).message).toBe(message);
    expect((err as StorageError).details).toEqual({ path: '/o/p.jsonl', bytes: 4096 });
    expect(isPermanent(err)).toBe(true);
    expect(isPermanent(errno(code)), `a bare ${code} is permanent too`).toBe(true);
  });

  it('leaves any other error as it is, and transient', () => {
    const other = errno('EIO');
    expect(storageError(other, '/o/p.jsonl')).toBe(other);
    expect(isPermanent(other)).toBe(false);
    expect(() => onStorage('/o/p.jsonl', () => {
      throw other;
    })).toThrow(other);
  });
});
