import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Validator, firstInvalidUtf8 } from './utf8.js';

/** Runs the streaming validator over `bytes` cut at `cuts` (cycled); -1 when valid. */
function validate(bytes: Uint8Array, cuts: readonly number[]): number {
  const v = new Utf8Validator();
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = Math.max(1, cuts[k % cuts.length]!);
    const bad = v.push(bytes.subarray(at, at + size));
    if (bad >= 0) return bad;
    at += size;
  }
  return v.end();
}

const fatal = new TextDecoder('utf-8', { fatal: true });
const decodes = (b: Uint8Array): boolean => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};

/** Mostly valid UTF-8 (1- to 4-byte characters) with a few arbitrary bytes mixed in. */
const utf8ish = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('a', ',', '\n', 'é', '€', '𝄞', '漢').map((s) => [...Buffer.from(s)]) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => [b]) },
    ),
    { maxLength: 40 },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

describe('Utf8Validator', () => {
  it('accepts valid text whatever the chunking, including sequences cut by chunk ends', () => {
    const text = Buffer.from('customer_id,name\nc1,Zoë 𝄞 漢字 €\n');
    for (let size = 1; size <= text.length; size++) expect(validate(text, [size])).toBe(-1);
  });

  it('names the offset of the first invalid byte (a Latin-1 é)', () => {
    const bytes = Buffer.concat([Buffer.from('id,name\nc1,Ren'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(validate(bytes, [1])).toBe(14);
    expect(validate(bytes, [1000])).toBe(14);
  });

  it('reports a sequence left unfinished at the end of the input', () => {
    const bytes = Buffer.concat([Buffer.from('ab'), Buffer.from('€').subarray(0, 2)]);
    expect(validate(bytes, [1])).toBe(2);
    expect(validate(bytes, [4])).toBe(2);
  });

  it('rejects overlong forms, surrogates and code points above U+10FFFF like the native check', () => {
    for (const bad of [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0x80],
    ]) {
      const bytes = Uint8Array.from([0x61, ...bad]);
      expect(isUtf8(bytes)).toBe(false);
      expect(firstInvalidUtf8(bytes)).toBe(1);
      expect(validate(bytes, [1])).toBe(1);
    }
  });

  it('seed 6060: the byte scan agrees with isUtf8 and a fatal TextDecoder on random input', () => {
    fc.assert(
      fc.property(utf8ish, (bytes) => {
        const valid = isUtf8(bytes);
        expect(firstInvalidUtf8(bytes) === -1).toBe(valid);
        expect(decodes(bytes)).toBe(valid);
      }),
      { seed: 6060 },
    );
  });

  it('seed 6161: streaming in random chunks finds the same first invalid byte as one scan of the whole input', () => {
    fc.assert(
      fc.property(utf8ish, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }), (bytes, cuts) => {
        expect(validate(bytes, cuts)).toBe(firstInvalidUtf8(bytes));
      }),
      { seed: 6161 },
    );
  });
});
