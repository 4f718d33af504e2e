import { createHash } from 'node:crypto';
import { appendFile, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_FILES, SOURCE_NAMES } from '../../core/schema.js';
import { writeSmallFixture, tempDirs } from '../../testing/small-fixture.js';
import { comparableResult } from '../../chaos/verify.js';
import { InlineRuntime } from '../../runtime/inline.js';
import type { RunResult } from '../contracts.js';
import { OUTPUT_VERSION } from './manifest.js';
import type { ShardManifest } from './manifest.js';
import { mergeCustomerData } from '../merge-customer-data.js';
import { manifestFile } from '../../io/output-names.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const SHARDS = 3;
let data: string;

beforeAll(async () => {
  data = await writeSmallFixture(await dirs.make('cm-resume-data-'), 150);
});

const freshOut = (): Promise<string> => dirs.make('cm-resume-out-');
const run = (out: string, extra: { resume?: boolean; data?: string } = {}): Promise<RunResult> =>
  new InlineRuntime().run(mergeCustomerData, { data: extra.data ?? data, out_dir: out, shards: SHARDS, ...(extra.resume !== undefined ? { resume: extra.resume } : {}) });
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const manifestOf = async (r: RunResult, shard: number): Promise<ShardManifest> =>
  JSON.parse(await readFile(join(r.out_dir, manifestFile({ shard_index: shard, shard_count: SHARDS, input_digest: r.input_digest })), 'utf8')) as ShardManifest;

async function filesOf(r: RunResult): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const f of [...r.output_files, ...r.rejects_files]) m.set(f, sha(await readFile(join(r.out_dir, f))));
  return m;
}

describe('idempotency: the input digest names a run', () => {
  it('output file names carry shard index, shard count and the input digest (sha256 of the four files)', async () => {
    const r = await run(await freshOut());
    const perFile = await Promise.all(SOURCE_NAMES.map(async (s) => `${s}:${sha(await readFile(join(data, SOURCE_FILES[s])))}\n`));
    expect(r.input_digest).toBe(sha(perFile.join('')));
    const d12 = r.input_digest!.slice(0, 12);
    expect(r.output_files).toEqual([0, 1, 2].map((i) => `profiles/${d12}/shard-000${i}-of-0003.jsonl`));
  });

  it('a changed source is another run: new digest folder, nothing reused', async () => {
    const out = await freshOut();
    const first = await run(out);
    const changed = await writeSmallFixture(await dirs.make('cm-resume-data-'), 150);
    await appendFile(join(changed, 'support.csv'), 'cust_09999999,x@example.com,1,0,2.5,2025-01-01,9,5\n');
    const second = await run(out, { data: changed });
    expect(second.input_digest).not.toBe(first.input_digest);
    expect(second.reused_shards).toEqual([]);
    expect(second.output_files.every((f) => f.includes(second.input_digest!.slice(0, 12)))).toBe(true);
  });
});

describe('idempotency: a completed shard leaves a manifest, and a re-run reuses it', () => {
  it('the manifest records count, checksum, digest and the ShardResult of a file that matches it', async () => {
    const r = await run(await freshOut());
    for (let i = 0; i < SHARDS; i++) {
      const m = await manifestOf(r, i);
      const bytes = await readFile(join(r.out_dir, m.output_file));
      expect(m).toMatchObject({ input_digest: r.input_digest, shard_index: i, shard_count: SHARDS, output_version: OUTPUT_VERSION, profiles: r.shards[i]!.profiles });
      expect(m.checksum).toBe(sha(bytes));
      expect(bytes.toString('utf8').split('\n').filter(Boolean)).toHaveLength(m.profiles);
      expect(m.result.checksum).toBe(m.checksum);
    }
  });

  it('running the same run again reuses every shard: same RunResult (timings aside), files untouched', async () => {
    const out = await freshOut();
    const first = await run(out);
    const mtimes = await Promise.all(first.output_files.map(async (f) => (await stat(join(out, f))).mtimeMs));
    const again = await run(out);
    expect(again.reused_shards).toEqual([0, 1, 2]);
    expect(comparableResult(again)).toStrictEqual(comparableResult(first));
    expect(again.run_id).toBe(first.run_id);
    expect(await Promise.all(first.output_files.map(async (f) => (await stat(join(out, f))).mtimeMs))).toEqual(mtimes);
  });

  it('resume: false (--force) recomputes every shard, to the same bytes', async () => {
    const out = await freshOut();
    const first = await run(out);
    const before = await filesOf(first);
    const forced = await run(out, { resume: false });
    expect(forced.reused_shards).toEqual([]);
    expect(await filesOf(forced)).toEqual(before);
    expect(comparableResult(forced)).toStrictEqual(comparableResult(first));
  });

  it.each([
    ['missing', (p: string) => rm(p)],
    ['truncated', (p: string) => truncate(p, 10)],
    ['altered', (p: string) => appendFile(p, '{"customer_id":"cust_x"}\n')],
  ])('a manifest whose output file is %s is not trusted: that shard alone is recomputed, to the right bytes', async (_what, damage) => {
    const out = await freshOut();
    const first = await run(out);
    const before = await filesOf(first);
    await damage(join(out, first.output_files[1]!));
    const again = await run(out);
    expect(again.reused_shards).toEqual([0, 2]);
    expect(await filesOf(again)).toEqual(before);
  });

  it('an output file without its manifest (killed between rename and manifest) is not taken as complete', async () => {
    const out = await freshOut();
    const first = await run(out);
    await rm(join(out, manifestFile({ shard_index: 2, shard_count: SHARDS, input_digest: first.input_digest })));
    const again = await run(out);
    expect(again.reused_shards).toEqual([0, 1]);
    expect(await filesOf(again)).toEqual(await filesOf(first));
  });

  it('a manifest of another output version or another digest is not reused', async () => {
    const out = await freshOut();
    const first = await run(out);
    for (const [shard, edit] of [
      [0, (m: ShardManifest) => ({ ...m, output_version: OUTPUT_VERSION + 1 })],
      [1, (m: ShardManifest) => ({ ...m, input_digest: '0'.repeat(64) })],
      [2, () => 'not json'],
    ] as const) {
      const path = join(out, manifestFile({ shard_index: shard, shard_count: SHARDS, input_digest: first.input_digest }));
      const edited = edit(JSON.parse(await readFile(path, 'utf8')) as ShardManifest);
      await writeFile(path, typeof edited === 'string' ? edited : JSON.stringify(edited));
    }
    const again = await run(out);
    expect(again.reused_shards).toEqual([]);
    expect(await filesOf(again)).toEqual(await filesOf(first));
  });

  it('temporary files an interrupted attempt left behind are removed, never read', async () => {
    const out = await freshOut();
    const first = await run(out);
    const dir = join(out, 'profiles', first.input_digest!.slice(0, 12));
    await writeFile(join(dir, 'shard-0001-of-0003.jsonl.tmp-999-abcdef'), '{"customer_id":"half');
    await rm(join(out, manifestFile({ shard_index: 1, shard_count: SHARDS, input_digest: first.input_digest })));
    const again = await run(out);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(await filesOf(again)).toEqual(await filesOf(first));
  });

  it('every shard and the run report duplicates_dropped (0: one record per idempotency_key)', async () => {
    const r = await run(await freshOut());
    expect(r.duplicates_dropped).toBe(0);
    const keys = new Set<string>();
    let lines = 0;
    for (const f of r.output_files) {
      for (const l of (await readFile(join(r.out_dir, f), 'utf8')).split('\n').filter(Boolean)) {
        keys.add((JSON.parse(l) as { idempotency_key: string }).idempotency_key);
        lines++;
      }
    }
    expect(keys.size).toBe(lines);
    expect(lines).toBe(r.profiles_generated);
  });

  it('the run leaves no attempt markers behind once it succeeded', async () => {
    const r = await run(await freshOut());
    expect((await readdir(r.out_dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
