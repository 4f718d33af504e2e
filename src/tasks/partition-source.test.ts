import { cp, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InlineRuntime } from '../runtime/inline.js';
import type { RunResult } from './contracts.js';
import { mergeCustomerData } from './merge-customer-data.js';
import { partitionSource } from './partition-source.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bad = join(root, 'src/testdata/bad');
const ROW_LEVEL = [
  'wrong-column-count', 'unclosed-quote-middle', 'unclosed-quote-last', 'empty-customer-id', 'bad-number',
  'usage-over-100', 'negative-mrr', 'nps-out-of-range', 'quote-in-unquoted-field', 'stray-after-quote',
  'bad-date', 'trailing-comma-rows', 'whitespace-line', 'tricky-but-valid', 'orphans-and-duplicates',
];

/** A corpus case: base/ with the case's files laid over it. */
async function caseDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `cm-part-${name}-`));
  await cp(join(bad, 'base'), dir, { recursive: true });
  await cp(join(bad, name), dir, { recursive: true });
  return dir;
}

async function run(data: string, shards: number, dataPath: 'partition' | 'scan'): Promise<{ result: unknown; files: string[] }> {
  const out = await mkdtemp(join(tmpdir(), `cm-part-out-`));
  const r: RunResult = await new InlineRuntime().run(mergeCustomerData, { data, out_dir: out, shards, max_rejects: 1000, data_path: dataPath });
  const files = await Promise.all([...r.output_files, 'rejects.jsonl'].map((f) => readFile(join(out, f), 'utf8')));
  const result = { ...r, run_id: '', out_dir: '', elapsed_ms: 0, shards: r.shards.map((s) => ({ ...s, elapsed_ms: 0 })) };
  return { result, files };
}

describe('partitioned data path', () => {
  it.each([...ROW_LEVEL.map((c) => [c, 3] as const), ['tutorial-2000', 7] as const])(
    'gives the same RunResult, profiles and rejects report (file, line, reason, raw) as a scan: %s, %i shards',
    async (name, shards) => {
      const data = name === 'tutorial-2000' ? join(root, 'src/testdata/tutorial-2000') : await caseDir(name);
      const [scan, part] = await Promise.all([run(data, shards, 'scan'), run(data, shards, 'partition')]);
      expect(part.result).toEqual(scan.result);
      expect(part.files).toEqual(scan.files);
    },
  );

  it('splits a source once into one slice per shard that together hold every record, and reuses complete slices', async () => {
    const data = await caseDir('unclosed-quote-middle');
    const spill = await mkdtemp(join(tmpdir(), 'cm-spill-'));
    const ctx = new InlineRuntime().context();
    const input = { run_id: 'r', source: 'billing' as const, data, shard_count: 4, spill_dir: spill };
    const first = await partitionSource.func(ctx, input);
    const lines = (await readFile(join(data, 'billing.csv'), 'utf8')).split('\n').filter((l) => l.trim() !== '').length - 1;
    expect(first.slices.reduce((a, b) => a + b, 0)).toBe(first.records);
    expect(first.records).toBe(lines);
    expect((await readdir(join(spill, 'billing'))).sort()).toEqual(['_complete.json', 'shard-0000.csv', 'shard-0001.csv', 'shard-0002.csv', 'shard-0003.csv']);
    const again = await partitionSource.func(ctx, input);
    expect(again.reused).toBe(true);
    expect(again.slices).toEqual(first.slices);
  });

  it('refuses a hand-made input with an unknown source or a bad shard count', async () => {
    const ctx = new InlineRuntime().context();
    await expect(partitionSource.func(ctx, { run_id: 'r', source: 'ledger' as never, data: '/x', shard_count: 2, spill_dir: '/tmp/x' })).rejects.toThrow(
      /PartitionInput.source must be one of crm, billing, product, support, got "ledger"/,
    );
    await expect(partitionSource.func(ctx, { run_id: 'r', source: 'crm', data: '/x', shard_count: 0, spill_dir: '/tmp/x' })).rejects.toThrow(
      /PartitionInput.shard_count must be a whole number from 1 to 1024, got 0/,
    );
  });
});
