import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Rng, Stream, mix32, seedKey, streamSeed } from './prng.js';

describe('prng', () => {
  it('mulberry32 seeded with 1 yields the reference sequence (0.6270739405881613, 0.002735721180215478, …)', () => {
    const rng = new Rng(1);
    const values = Array.from({ length: 5 }, () => rng.nextU32());
    expect(values).toEqual([2693262067, 11749833, 2265367787, 4213581821, 4159151403]);
    expect(new Rng(1).float()).toBe(0.6270739405881613);
  });

  test.prop([fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 5000 })])(
    'int(min, max) stays within [min, max] for any seed',
    (seed, min, span) => {
      const rng = new Rng(seed);
      for (let k = 0; k < 50; k++) {
        const value = rng.int(min, min + span);
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(min);
        expect(value).toBeLessThanOrEqual(min + span);
      }
    },
  );

  test.prop([fc.integer({ min: 0, max: 0xffffffff })])('bell() is clamped to its bounds for any seed', (seed) => {
    const rng = new Rng(seed);
    for (let k = 0; k < 50; k++) {
      const value = rng.bell(60, 25, 5, 100);
      expect(value).toBeGreaterThanOrEqual(5);
      expect(value).toBeLessThanOrEqual(100);
    }
  });

  test.prop([fc.maxSafeNat(), fc.maxSafeNat()])('streams are pure functions of (seed, index, stream)', (seed, index) => {
    expect(streamSeed(seedKey(seed), index, Stream.crm)).toBe(streamSeed(seedKey(seed), index, Stream.crm));
  });

  it('neighbouring indices, streams and seeds (incl. seeds ≥ 2^32) get different stream seeds', () => {
    const seen = new Set<number>();
    for (const seed of [0, 1, 2 ** 32, 2 ** 32 + 1]) {
      for (let index = 0; index < 200; index++) {
        for (const stream of Object.values(Stream)) seen.add(streamSeed(seedKey(seed), index, stream));
      }
    }
    expect(seen.size).toBe(4 * 200 * Object.values(Stream).length);
  });

  it('mix32 is a bijection on a sample (no collisions among 100,000 inputs)', () => {
    const seen = new Set<number>();
    for (let k = 0; k < 100_000; k++) seen.add(mix32(k));
    expect(seen.size).toBe(100_000);
  });
});
