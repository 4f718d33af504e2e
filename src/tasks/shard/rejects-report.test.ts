import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TooManyRejectsError } from '../../core/errors.js';
import { SOURCE_NAMES } from '../../core/schema.js';
import type { SourceName } from '../../core/schema.js';
import { aggregate } from '../aggregate.js';
import type { RunResult, ShardResult } from '../contracts.js';
import { FAN_IN, REJECTS_REPORT_FILE, reportRejects, writeRejectsReport } from './rejects-report.js';
import type { RejectRecord } from './work.js';

let tmp: string;
let n = 0;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'rejects-report-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const entry = (source: SourceName, line: number): RejectRecord => ({
  source,
  file: `data/${source}.csv`,
  line,
  field: null,
  reason: 'unclosed quote',
  raw: `c${line},"x, y`,
});

/** Writes shard reject files (each sorted by source then line) under a fresh out_dir. */
async function shardFiles(groups: readonly (readonly RejectRecord[])[]): Promise<{ outDir: string; files: string[] }> {
  const outDir = join(tmp, `out-${n++}`);
  await mkdir(join(outDir, 'rejects'), { recursive: true });
  const files: string[] = [];
  for (const [k, g] of groups.entries()) {
    const rel = `rejects/shard-${String(k).padStart(4, '0')}-of-${String(groups.length).padStart(4, '0')}.jsonl`;
    await writeFile(join(outDir, rel), g.map((e) => `${JSON.stringify(e)}\n`).join(''));
    files.push(rel);
  }
  return { outDir, files };
}

async function report(outDir: string): Promise<RejectRecord[]> {
  const text = await readFile(join(outDir, REJECTS_REPORT_FILE), 'utf8');
  return text === '' ? [] : text.trimEnd().split('\n').map((l) => JSON.parse(l) as RejectRecord);
}

const rank = (s: string): number => SOURCE_NAMES.indexOf(s as SourceName);
const byKey = (a: RejectRecord, b: RejectRecord): number => rank(a.source) - rank(b.source) || a.line - b.line;

describe('the rejects report merges the shard reject files into one, ordered by (source, line)', () => {
  it('keeps every entry byte for byte and orders them across shards', async () => {
    const { outDir, files } = await shardFiles([
      [entry('crm', 2), entry('billing', 9), entry('support', 3)],
      [entry('crm', 7), entry('billing', 4)],
      [],
      [entry('product', 5)],
    ]);
    const r = await writeRejectsReport(outDir, files);
    expect(r).toMatchObject({ file: 'rejects.jsonl', rows: 6, by_source: { crm: 2, billing: 2, product: 1, support: 1 } });
    expect((await report(outDir)).map((e) => `${e.source}:${e.line}`)).toEqual(['crm:2', 'crm:7', 'billing:4', 'billing:9', 'product:5', 'support:3']);
    expect((await report(outDir))[0]).toEqual(entry('crm', 2));
  });

  it('writes an empty report when no shard rejected anything', async () => {
    const { outDir } = await shardFiles([]);
    expect(await writeRejectsReport(outDir, [])).toMatchObject({ rows: 0, by_source: { crm: 0, billing: 0, product: 0, support: 0 } });
    expect(await readFile(join(outDir, REJECTS_REPORT_FILE), 'utf8')).toBe('');
  });

  it(`seed 8080: merges more shard files than FAN_IN (${FAN_IN}) in rounds, in order, leaving no temporary file`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 * FAN_IN + 5 }),
        fc.uniqueArray(fc.tuple(fc.constantFrom(...SOURCE_NAMES), fc.integer({ min: 2, max: 10_000 })), {
          selector: ([s, l]) => `${s}:${l}`,
          maxLength: 300,
        }),
        fc.nat(),
        async (shards, keys, salt) => {
          const groups: RejectRecord[][] = Array.from({ length: shards }, () => []);
          for (const [s, l] of keys) groups[(l * 31 + salt) % shards]!.push(entry(s, l));
          for (const g of groups) g.sort(byKey);
          const { outDir, files } = await shardFiles(groups);
          const r = await writeRejectsReport(outDir, files);
          const all = keys.map(([s, l]) => entry(s, l)).sort(byKey);
          expect(r.rows).toBe(all.length);
          expect(await report(outDir)).toEqual(all);
          expect((await readdir(join(outDir, 'rejects'))).filter((f) => f.startsWith('.merge-'))).toEqual([]);
          await rm(outDir, { recursive: true, force: true });
        },
      ),
      { seed: 8080 },
    );
  });

  it('refuses a shard file out of (source, line) order rather than write a misordered report', async () => {
    const { outDir, files } = await shardFiles([[entry('billing', 3), entry('crm', 9)]]);
    await expect(writeRejectsReport(outDir, files)).rejects.toThrow(/reject entries are not in \(source, line\) order/);
  });

  it('fails with the path when a listed shard file is missing', async () => {
    const { outDir } = await shardFiles([]);
    await expect(writeRejectsReport(outDir, ['rejects/shard-0000-of-0001.jsonl'])).rejects.toThrow(/ENOENT.*shard-0000-of-0001\.jsonl/);
  });

  it('refuses a line that is not a reject entry', async () => {
    const { outDir, files } = await shardFiles([[entry('crm', 2)]]);
    await writeFile(join(outDir, files[0]!), 'customer_id,email\n');
    await expect(writeRejectsReport(outDir, files)).rejects.toThrow(/:1: not a JSON reject entry/);
  });
});

/** A shard result with only what reportRejects reads filled in meaningfully. */
function shard(index: number, count: number, rejected: Partial<Record<SourceName, number>>, rejectsFile: string | null): ShardResult {
  const c = (s: SourceName): { read: number; merged: number; rejected: number; duplicates: number } => ({ read: 10 + (rejected[s] ?? 0), merged: 10, rejected: rejected[s] ?? 0, duplicates: 0 });
  return {
    shard_index: index,
    shard_count: count,
    profiles: 10,
    sources: { crm: c('crm'), billing: c('billing'), product: c('product'), support: c('support') },
    orphans: 0,
    health_score_sum: 500,
    churn_distribution: { LOW: 10, MEDIUM: 0, HIGH: 0 },
    expansion_distribution: { LOW: 10, MEDIUM: 0, HIGH: 0 },
    sample_profile: null,
    output_file: `profiles/shard-${index}.jsonl`,
    checksum: 'x',
    rejects_file: rejectsFile,
    elapsed_ms: 1,
  };
}

describe('reportRejects: report first, then conservation, then max_rejects', () => {
  async function twoShards(): Promise<RunResult> {
    const { outDir, files } = await shardFiles([[entry('crm', 2), entry('support', 8)], [entry('billing', 5)]]);
    return aggregate('run-t', outDir, [shard(0, 2, { crm: 1, support: 1 }, files[0]!), shard(1, 2, { billing: 1 }, files[1]!)], 5);
  }

  it('adds the report to the result when the rejects are within max_rejects', async () => {
    const result = await reportRejects(await twoShards(), 3);
    expect(result.rejects_report).toBe('rejects.jsonl');
    expect(result.rejected).toBe(3);
    expect((await report(result.out_dir)).map((e) => e.line)).toEqual([2, 5, 8]);
  });

  it('throws TooManyRejectsError naming the report, after writing it', async () => {
    const agg = await twoShards();
    const err = await reportRejects(agg, 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRejectsError);
    expect((err as Error).message).toBe(
      `3 row(s) rejected, more than --max-rejects 2. First: crm.csv line 2: unclosed quote. All are listed in ${join(agg.out_dir, 'rejects.jsonl')}; fix those rows or raise --max-rejects`,
    );
    expect((err as TooManyRejectsError).details).toMatchObject({ file: 'data/crm.csv', line: 2, field: null, partial: { rejected: 3, max_rejects: 2 } });
    expect(await report(agg.out_dir)).toHaveLength(3);
  });

  it('fails loudly when the shards counted a reject the report does not hold', async () => {
    const { outDir, files } = await shardFiles([[entry('crm', 2)]]);
    const agg = aggregate('run-t', outDir, [shard(0, 1, { crm: 2 }, files[0]!)], 5);
    await expect(reportRejects(agg, 100)).rejects.toThrow(/holds 1 crm row\(s\) but the shards counted 2/);
  });
});
