import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COLUMNS, SOURCES, SOURCE_FILE, type Source } from './columns.js';
import { generateDataset, type GenerateOptions } from './dataset.js';
import { GeneratorOptionError } from './errors.js';
import { MANIFEST_FILE } from './manifest.js';
import { recordCells, type AnyRecord } from './records.js';
import { emittedRows, type RowOptions } from './rows.js';
import { parseCsv, tempDir } from './test-support.js';

const dirs: Array<{ remove: () => void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

async function generate(options: Omit<GenerateOptions, 'out'>): Promise<{ out: string; bytes: Record<string, Buffer> }> {
  const dir = tempDir();
  dirs.push(dir);
  await generateDataset({ ...options, out: dir.path, quiet: true });
  const bytes: Record<string, Buffer> = {};
  for (const name of readdirSync(dir.path)) bytes[name] = readFileSync(join(dir.path, name));
  return { out: dir.path, bytes };
}

/** Expected cells of every data line of every file, in file order, from the pure API. */
function expectedCells(seed: number, customers: number, options: RowOptions): Record<Source, string[][]> {
  const out: Record<Source, string[][]> = { crm: [], billing: [], product: [], support: [] };
  for (let index = 0; index < customers; index++) {
    const rows = emittedRows(seed, index, { ...options, customers });
    for (const source of SOURCES) {
      for (const record of rows[source]) out[source].push(recordCells(source, record as AnyRecord));
    }
  }
  return out;
}

describe('generateDataset', () => {
  it('seed 7: workers 0, 1 and 3 and chunk sizes 7, 97 and default write byte-identical files', async () => {
    const base = { customers: 1500, seed: 7, manifest: true } as const;
    const reference = await generate({ ...base, workers: 0 });
    for (const variant of [
      { workers: 1 },
      { workers: 3, chunkSize: 97 },
      { workers: 0, chunkSize: 7 },
    ]) {
      const other = await generate({ ...base, ...variant });
      expect(Object.keys(other.bytes).sort()).toEqual(Object.keys(reference.bytes).sort());
      for (const [name, bytes] of Object.entries(reference.bytes)) expect(other.bytes[name]?.equals(bytes), name).toBe(true);
    }
  });

  it('seed 7 and seed 8 write different bytes in every file', async () => {
    const a = await generate({ customers: 200, seed: 7 });
    const b = await generate({ customers: 200, seed: 8 });
    for (const source of SOURCES) {
      const name = SOURCE_FILE[source];
      expect(a.bytes[name]?.equals(b.bytes[name] ?? Buffer.alloc(0)), name).toBe(false);
    }
  });

  it('seed 11: every file parses back to exactly the generated records, headers first', async () => {
    const customers = 2000;
    const { out } = await generate({ customers, seed: 11, workers: 2, chunkSize: 333 });
    const expected = expectedCells(11, customers, {});
    for (const source of SOURCES) {
      const parsed = parseCsv(readFileSync(join(out, SOURCE_FILE[source]), 'utf8'));
      expect(parsed[0]?.fields).toEqual([...COLUMNS[source]]);
      expect(parsed.slice(1).map((r) => r.fields)).toEqual(expected[source]);
      expect(parsed).toHaveLength(customers + 1);
    }
  });

  it('seed 12 with coverage, duplicates and orphans: files parse back to emittedRows, in order', async () => {
    const customers = 1500;
    const knobs = { coverage: { billing: 0.8, support: 0.5 }, duplicates: 0.3, orphans: 0.05 } as const;
    const { out } = await generate({ customers, seed: 12, workers: 0, chunkSize: 200, ...knobs });
    const expected = expectedCells(12, customers, knobs);
    for (const source of SOURCES) {
      const parsed = parseCsv(readFileSync(join(out, SOURCE_FILE[source]), 'utf8'));
      expect(parsed.slice(1).map((r) => r.fields)).toEqual(expected[source]);
    }
  });

  it('seed 13: report, manifest and files agree on row counts, bytes and sha256', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const report = await generateDataset({ customers: 777, seed: 13, out: dir.path, manifest: true, quiet: true, duplicates: 0.5 });
    const manifest = JSON.parse(readFileSync(join(dir.path, MANIFEST_FILE), 'utf8')) as {
      options: { seed: number; customers: number };
      files: Record<string, { rows: number; records: number; bytes: number; sha256: string }>;
    };
    expect(manifest.options.seed).toBe(13);
    expect(manifest.options.customers).toBe(777);
    expect(report.files.crm.rows).toBe(777);
    let total = 0;
    for (const source of SOURCES) {
      const name = SOURCE_FILE[source];
      const bytes = readFileSync(join(dir.path, name));
      const lines = bytes.toString('utf8').split('\n').length - 2; // header and final newline
      const entry = manifest.files[name];
      expect(entry?.rows).toBe(lines);
      expect(entry?.bytes).toBe(bytes.length);
      expect(entry?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(report.files[source].sha256).toBe(entry?.sha256);
      total += lines;
    }
    expect(report.totalRows).toBe(total);
    expect(report.files.billing.rows).toBeGreaterThan(777);
  });

  it('0 customers writes header-only files', async () => {
    const { bytes } = await generate({ customers: 0, seed: 1 });
    for (const source of SOURCES) expect(bytes[SOURCE_FILE[source]]?.toString()).toBe(`${COLUMNS[source].join(',')}\n`);
  });

  it('rejects bad options with a typed error naming the value, before touching the disk', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const out = join(dir.path, 'never');
    const cases: Array<[Partial<GenerateOptions>, RegExp]> = [
      [{ customers: -1 }, /customers: -1/],
      [{ customers: 1.5 }, /customers: 1.5/],
      [{ seed: -3 }, /seed: -3/],
      [{ coverage: 1.5 }, /coverage: 1.5/],
      [{ coverage: { billing: 2 } }, /coverage.billing: 2/],
      [{ dirty: 2 }, /dirty: 2/],
      [{ workers: 1.5 }, /workers: 1.5/],
      [{ referenceDate: '2025-02-30' }, /2025-02-30/],
    ];
    for (const [bad, message] of cases) {
      const run = generateDataset({ customers: 10, seed: 1, out, quiet: true, ...bad });
      await expect(run).rejects.toThrow(GeneratorOptionError);
      await expect(generateDataset({ customers: 10, seed: 1, out, quiet: true, ...bad })).rejects.toThrow(message);
    }
    expect(existsSync(out)).toBe(false);
  });
});
