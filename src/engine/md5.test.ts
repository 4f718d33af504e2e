import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Prefix32, md5Prefix32Bytes } from './md5.js';

function cryptoPrefix(s: string): number {
  return createHash('md5').update(s, 'utf8').digest().readUInt32BE(0);
}

describe('md5 prefix', () => {
  it('md5 prefix matches node:crypto for ASCII, non-ASCII and long strings (seed 20261129)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ minLength: 50, maxLength: 300 })), (s) => {
        expect(md5Prefix32(s)).toBe(cryptoPrefix(s));
      }),
      { seed: 20261129, numRuns: 2000 },
    );
  });

  it('md5 prefix matches at every length around the 56/64-byte padding boundaries', () => {
    for (let n = 0; n < 200; n++) {
      const s = 'é'.repeat(n % 7) + 'a'.repeat(n);
      expect(md5Prefix32(s)).toBe(cryptoPrefix(s));
    }
  });

  it('md5 prefix of bytes in a larger buffer equals the prefix of their text (seed 20261130)', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ minLength: 50, maxLength: 300 })), fc.string(), (before, s, after) => {
        const buf = Buffer.from(before + s + after, 'utf8');
        const start = Buffer.byteLength(before);
        expect(md5Prefix32Bytes(buf, start, start + Buffer.byteLength(s))).toBe(cryptoPrefix(s));
      }),
      { seed: 20261130, numRuns: 2000 },
    );
  });

  it('seed 20261131: md5 prefixes of a sequence of ids are each right, whatever came before (text and bytes)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 60 }), fc.tuple(fc.string({ maxLength: 50 }), fc.string({ unit: 'grapheme', maxLength: 5 })).map(([a, b]) => a + b)), { maxLength: 20 }), (ids) => {
        // Each variant on its own sequence: one must not tidy up after the other.
        for (const id of ids) expect(md5Prefix32(id)).toBe(cryptoPrefix(id));
        for (const id of ids) {
          const bytes = Buffer.from(id);
          expect(md5Prefix32Bytes(bytes, 0, bytes.length)).toBe(cryptoPrefix(id));
        }
      }),
      { seed: 20261131, numRuns: 500 },
    );
  });

  it('md5 prefix of a short id after a longer non-ASCII one is still right (the scratch block is cleaned)', () => {
    for (const [first, second] of [['abcdefghijklmnopqrstuvwxyzé', 'a'], ['cust_00000001', 'x'], ['é', ''], ['a'.repeat(50) + '中', 'b']] as const) {
      expect([md5Prefix32(first), md5Prefix32(second)]).toEqual([cryptoPrefix(first), cryptoPrefix(second)]);
      const bytes = Buffer.from(second);
      expect(md5Prefix32Bytes(bytes, 0, bytes.length)).toBe(cryptoPrefix(second));
    }
  });
});
