import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import { bothKeep, scanShardRows } from './row-source.js';

const DATA = fileURLToPath(new URL('../testdata/tutorial-2000/', import.meta.url));

describe("a shard's input size (what plans its passes)", () => {
  it('is its share of the files on disk, of what prepare_run read for a remote source, or unknown', () => {
    const total = SOURCE_NAMES.reduce((n, s) => n + statSync(join(DATA, SOURCE_FILES[s])).size, 0);
    expect(scanShardRows(DATA, 0, 4).inputBytes()).toBe(total / 4);
    expect(scanShardRows('https://example.com/data', 1, 4, 4000).inputBytes()).toBe(1000);
    expect(scanShardRows('https://example.com/data', 1, 4).inputBytes()).toBeUndefined();
  });

  it('combines keep filters: both must accept, and either may be absent', () => {
    const even = (id: string | undefined): boolean => id !== undefined && id.length % 2 === 0;
    const short = (id: string | undefined): boolean => id === undefined || id.length < 4;
    expect(bothKeep(undefined, undefined)).toBeUndefined();
    expect(bothKeep(even, undefined)).toBe(even);
    expect(bothKeep(undefined, short)).toBe(short);
    const both = bothKeep(even, short)!;
    expect(['ab', 'abcd', 'abc', undefined].map(both)).toEqual([true, false, false, false]);
  });
});
