import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InlineRuntime } from '../../runtime/inline.js';
import { partitionedShardRows } from '../../io/partitioned-rows.js';
import { scanShardRows } from '../../io/row-source.js';
import type { ShardRowSource } from '../../io/row-source.js';
import { SOURCE_NAMES } from '../../core/schema.js';
import { partitionSource } from '../partition-source.js';
import type { ShardInput, ShardResult } from '../contracts.js';
import { ONE_PASS, MAX_PASSES, passesFor, rangesOf } from './ranges.js';
import { runShard } from './work.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('id ranges of a shard processed in passes', () => {
  it('law: every id falls in exactly one range, ranges ascend, and a line without an id goes to the first (seed 6060)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 5 }), { maxKeys: 60 }), fc.integer({ min: 1, max: 9 }), (dict, passes) => {
        const counts = new Map(Object.entries(dict));
        const ranges = rangesOf(counts, passes);
        expect(ranges.length).toBeGreaterThanOrEqual(1);
        expect(ranges.length).toBeLessThanOrEqual(passes);
        const rangeOf = (id: string | undefined): number[] => ranges.flatMap((r, k) => (r!(id) ? [k] : []));
        expect(rangeOf(undefined)).toEqual([0]);
        const ids = [...counts.keys()].sort();
        let last = 0;
        for (const id of ids) {
          const [k, ...more] = rangeOf(id);
          expect(more).toEqual([]);
          expect(k).toBeGreaterThanOrEqual(last);
          last = k!;
        }
      }),
      { seed: 6060 },
    );
  });

  it('cuts ranges of about equal row counts', () => {
    const counts = new Map(Array.from({ length: 1000 }, (_, i) => [`c${String(i).padStart(4, '0')}`, 1 + (i % 3)] as const));
    const ranges = rangesOf(counts, 4);
    const sizes = ranges.map((r) => [...counts].filter(([id]) => r!(id)).reduce((n, [, c]) => n + c, 0));
    for (const size of sizes) expect(Math.abs(size - 2000 / 4)).toBeLessThanOrEqual(3);
  });

  it('plans one pass when the shard fits its budget or cannot be sized, more (at most MAX_PASSES) when not', () => {
    const mib = 2 ** 20;
    expect(passesFor(undefined, 64 * mib)).toBe(1);
    expect(passesFor(100 * mib, ONE_PASS.baseBytes + ONE_PASS.perInputByte * 100 * mib)).toBe(1);
    expect(passesFor(338 * mib, 448 * mib)).toBe(5);
    expect(passesFor(1000 * mib, 1 * mib)).toBe(MAX_PASSES);
  });
});

/** Runs one shard of `data` with `passes` passes into a fresh folder: its result and files. */
async function shard(
  data: string,
  index: number,
  count: number,
  passes: number,
  rows: ShardRowSource = scanShardRows(data, index, count),
): Promise<{ result: ShardResult; profiles: string; rejects: string | null }> {
  const out = await mkdtemp(join(tmpdir(), 'cm-passes-'));
  const input: ShardInput = { run_id: 'r', shard_index: index, shard_count: count, data, out_dir: out };
  const result = await runShard(input, rows, undefined, {}, { passes });
  const profiles = await readFile(join(out, result.output_file), 'utf8');
  const rejects = result.rejects_file === null ? null : await readFile(join(out, result.rejects_file), 'utf8');
  return { result: { ...result, elapsed_ms: 0 }, profiles, rejects };
}

describe('a shard in passes', () => {
  // Rejects of many kinds, orphans, duplicates and unreadable ids, in one dataset.
  async function badData(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'cm-passes-data-'));
    await cp(join(root, 'src/testdata/bad/base'), dir, { recursive: true });
    for (const c of ['unclosed-quote-middle', 'bad-number', 'orphans-and-duplicates']) await cp(join(root, 'src/testdata/bad', c), dir, { recursive: true });
    return dir;
  }

  it.each([
    ['tutorial-2000', 1, 4],
    ['tutorial-2000', 3, 7],
    ['bad corpus', 1, 3],
    ['bad corpus', 2, 5],
  ] as const)('writes the same profiles, rejects and counts as one pass: %s, %i shard(s), %i passes', async (name, count, passes) => {
    const data = name === 'tutorial-2000' ? join(root, 'src/testdata/tutorial-2000') : await badData();
    for (let i = 0; i < count; i++) {
      const [one, many] = await Promise.all([shard(data, i, count, 1), shard(data, i, count, passes)]);
      expect(many.profiles).toBe(one.profiles);
      expect(many.rejects).toBe(one.rejects);
      expect({ ...many.result, sample_profile: null }).toEqual({ ...one.result, sample_profile: null });
      expect(many.result.sample_profile).toEqual(one.result.sample_profile);
    }
  });

  it('does the same over partition slices (keep filters on slice records, malformed lines included)', async () => {
    const data = await badData();
    const spill = await mkdtemp(join(tmpdir(), 'cm-passes-spill-'));
    const ctx = new InlineRuntime().context();
    for (const source of SOURCE_NAMES) await partitionSource.func(ctx, { run_id: 'r', source, data, shard_count: 2, spill_dir: spill });
    for (let i = 0; i < 2; i++) {
      const scan = await shard(data, i, 2, 1);
      const sliced = await shard(data, i, 2, 3, partitionedShardRows(spill, data, i));
      expect(sliced.profiles).toBe(scan.profiles);
      expect(sliced.rejects).toBe(scan.rejects);
      expect(sliced.result).toEqual(scan.result);
    }
  });
});
