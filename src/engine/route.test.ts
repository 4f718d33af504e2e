import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SHARDS, shardOf } from '../core/routing.js';
import { shardOfBytes, shardOfUnchecked } from './route.js';

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const ids = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), loneSurrogate) }),
  fc.string({ minLength: 50, maxLength: 300 }),
);
const counts = fc.integer({ min: 1, max: MAX_SHARDS });

describe("the engine's router", () => {
  it('seed 20261206: routes every id (ASCII, any code point, lone surrogates), as text or as bytes inside a larger buffer, to core shardOf', () => {
    fc.assert(
      fc.property(fc.string(), ids, fc.string(), counts, (before, id, after, n) => {
        const expected = shardOf(id, n);
        expect(shardOfUnchecked(id, n)).toBe(expected);
        const buf = Buffer.from(before + id + after, 'utf8');
        const start = Buffer.byteLength(before);
        expect(shardOfBytes(buf, start, start + Buffer.byteLength(id), n)).toBe(expected);
      }),
      { seed: 20261206, numRuns: 2000 },
    );
  });
});
