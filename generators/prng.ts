/**
 * Seeded randomness that is a pure function of (seed, customer index, stream). Everything is
 * 32-bit integer arithmetic (`Math.imul`, shifts) plus exact scaling by 2^-32, so the same inputs
 * give the same numbers on every machine and Node version; no `Math.random`, no transcendental
 * functions. One stream per (customer, purpose) keeps purposes independent: turning a realism
 * knob on draws from its own stream and never shifts the values of the default rows.
 */

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds a non-negative safe-integer seed (up to 2^53 − 1) into a 32-bit key; both halves count. */
export function seedKey(seed: number): number {
  const lo = seed % TWO_POW_32;
  const hi = Math.floor(seed / TWO_POW_32);
  return mix32(lo ^ mix32(hi + 0x9e3779b9));
}

/** Purposes that get their own stream per customer. */
export const Stream = {
  identity: 1,
  crm: 2,
  billing: 3,
  product: 4,
  support: 5,
  knobs: 6,
  dirty: 7,
  pools: 8,
} as const;

/** 32-bit seed of stream `stream` for customer `index` (index up to 2^53 − 1). */
export function streamSeed(key: number, index: number, stream: number): number {
  const lo = index % TWO_POW_32;
  const hi = Math.floor(index / TWO_POW_32);
  let h = mix32(key ^ Math.imul(stream, 0x632be5ab));
  h = mix32(h ^ lo);
  h = mix32((h + Math.imul(hi, 0x9e3779b1)) ^ 0x5bd1e995);
  return h;
}

/**
 * mulberry32: tiny, fast, good enough for test data (passes gjrand's basic suites). Not
 * cryptographic; not meant to be.
 */
export class Rng {
  private state: number;

  constructor(seed32: number) {
    this.state = seed32 | 0;
  }

  /** Next unsigned 32-bit integer. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1), a multiple of 2^-32 (exact in a double). */
  float(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Uniform pick from a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /**
   * Pick by cumulative weights (`cumulative` ascending, last entry = total). Linear scan: the
   * lists here have at most a handful of entries.
   */
  weighted<T>(items: readonly T[], cumulative: readonly number[]): T {
    const total = cumulative[cumulative.length - 1] ?? 1;
    const u = this.float() * total;
    for (let k = 0; k < cumulative.length; k++) {
      if (u < (cumulative[k] as number)) return items[k] as T;
    }
    return items[items.length - 1] as T;
  }

  /**
   * Bell-shaped integer around `mean` with standard deviation ≈ `sd` (Irwin–Hall sum of six
   * uniforms: no `Math.log`, so bit-identical everywhere), clamped to [min, max].
   */
  bell(mean: number, sd: number, min: number, max: number): number {
    let sum = 0;
    for (let k = 0; k < 6; k++) sum += this.float();
    // Six uniforms: mean 3, variance 0.5, so (sum − 3) / sqrt(0.5) is ≈ N(0, 1).
    const value = Math.round(mean + (sum - 3) * sd * 1.4142135623730951);
    return value < min ? min : value > max ? max : value;
  }
}

/** The generator for stream `stream` of customer `index` under the folded seed `key`. */
export function rngFor(key: number, index: number, stream: number): Rng {
  return new Rng(streamSeed(key, index, stream));
}
