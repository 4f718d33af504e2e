/**
 * Laws 1 and 2: routing. The shard of a customer is a pure function of (id, N) that every
 * process computes alike and that matches md5 as node:crypto computes it; and on the tutorial's
 * sequential ids it spreads customers as evenly as an ideal uniform hash would, within a bound
 * derived below.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { InvalidOptionError } from '../src/core/errors.js';
import { MAX_SHARDS, shardOf } from '../src/core/routing.js';
import { idArb } from './arbitraries.js';
import { loadBand } from './balance-bound.js';
import { baseRuns, budget, slowRuns } from './runs.js';

/** The independent computation: node:crypto's md5 of the UTF-8 id, first 4 bytes big-endian, mod N. */
function cryptoShard(id: string, n: number): number {
  return createHash('md5').update(id, 'utf8').digest().readUInt32BE(0) % n;
}

/** Any string the routing may meet: tutorial ids, odd text, lone surrogates, astral characters. */
const anyIdArb = fc.oneof(idArb, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ maxLength: 200 }));
const shardCountArb = fc.oneof(fc.integer({ min: 1, max: MAX_SHARDS }), fc.constantFrom(1, 2, 10, 64, 1023, 1024));

const fast = budget(baseRuns(), 5);
test.prop([anyIdArb, shardCountArb], fast.params)(
  'law 1, shard determinism: shardOf(id, N) equals md5 by node:crypto mod N, is the same on every call and lies in 0..N-1',
  (id, n) => {
    const first = shardOf(id, n);
    expect(first).toBe(cryptoShard(id, n));
    expect(shardOf(id, n)).toBe(first);
    expect(Number.isInteger(first) && first >= 0 && first < n).toBe(true);
  },
  fast.timeout,
);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COMPILED_SHARD = join(ROOT, 'dist/src/core/routing.js');

/** Shards of `ids` computed by a separate `node` process loading the compiled routing module. */
function shardsInChildProcess(ids: readonly string[], n: number): number[] {
  if (!existsSync(COMPILED_SHARD)) throw new Error(`${COMPILED_SHARD} is missing: run \`npm run build\` first`);
  const code = `
    import { shardOf } from ${JSON.stringify(pathToFileURL(COMPILED_SHARD).href)};
    let text = '';
    process.stdin.setEncoding('utf8');
    for await (const chunk of process.stdin) text += chunk;
    const { ids, n } = JSON.parse(text);
    process.stdout.write(JSON.stringify(ids.map((id) => shardOf(id, n))));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    input: JSON.stringify({ ids, n }),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out) as number[];
}

const spawning = budget(slowRuns(), 1_500);
test.prop([fc.array(anyIdArb, { minLength: 1, maxLength: 300 }), shardCountArb], spawning.params)(
  'law 1, shard determinism across processes: a child node process routes every id of a batch to the same shard',
  (ids, n) => {
    expect(shardsInChildProcess(ids, n)).toEqual(ids.map((id) => shardOf(id, n)));
  },
  spawning.timeout,
);

const badShardCountArb = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: MAX_SHARDS + 1 }),
  fc.double({ min: 1, max: MAX_SHARDS, noInteger: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, 0, -0.5, 1025),
);
test.prop([anyIdArb, badShardCountArb], fast.params)(
  'law 1, shard counts: N outside 1..1024 or not a whole number is refused with an error naming it',
  (id, n) => {
    let thrown: unknown;
    try {
      shardOf(id, n);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError);
    expect((thrown as Error).message).toContain(JSON.stringify(n));
  },
  fast.timeout,
);

// Law 2: balance, within the band derived in balance-bound.ts.

const tutorialId = (i: number): string => `cust_${String(i).padStart(8, '0')}`;

const balance = budget(baseRuns(), 200);
test.prop(
  [
    fc.integer({ min: 1, max: 64 }),
    fc.integer({ min: 20_000, max: 100_000 }),
    fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 10_000_000 }) }),
  ],
  balance.params,
)(
  'law 2, balance: for sequential tutorial ids every shard load stays within the Chernoff band (alpha 1e-9) around n/N',
  (shards, n, offset) => {
    const loads = new Array<number>(shards).fill(0);
    for (let i = 1; i <= n; i++) loads[shardOf(tutorialId(offset + i), shards)]!++;
    const band = loadBand(n, shards);
    // The bound must be able to fail: a shard holding 1.5 times its share would break it.
    if (shards > 1) expect(band.upper).toBeLessThan(1.5 * band.mean);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(n);
    const max = Math.max(...loads);
    const min = Math.min(...loads);
    const where = `N=${shards}, n=${n}, ids from ${tutorialId(offset + 1)}, mean ${band.mean.toFixed(1)}, band [${band.lower.toFixed(1)}, ${band.upper.toFixed(1)}]`;
    expect(max, `fullest shard holds ${max} ids (${where})`).toBeLessThanOrEqual(band.upper);
    expect(min, `emptiest shard holds ${min} ids (${where})`).toBeGreaterThanOrEqual(band.lower);
  },
  balance.timeout,
);
