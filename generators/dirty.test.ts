import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS, NUMERIC_COLUMNS, SOURCES, SOURCE_FILE, type Source } from './columns.js';
import { generateDataset } from './dataset.js';
import { BAD_NUMBERS, DIRTY_KINDS, type PlantedRow } from './planted.js';
import { DIRTY_MANIFEST_FILE } from './manifest.js';
import { parseCsv, physicalLines, tempDir } from './test-support.js';

interface DirtyManifest {
  rate: number;
  planted: PlantedRow[];
  counts: Record<string, number>;
}

const SEED = 31;
const CUSTOMERS = 3000;
const dirtyDir = tempDir();
const cleanDir = tempDir();
let manifest: DirtyManifest;

function lines(dir: string, source: Source): string[] {
  return physicalLines(readFileSync(join(dir, SOURCE_FILE[source]), 'utf8'));
}

/** Why a single line is malformed, or undefined when it is a well-formed row of `source`. */
function defect(source: Source, line: string): string | undefined {
  let fields: string[];
  try {
    const parsed = parseCsv(`${line}\n`);
    if (parsed.length !== 1) return 'unclosed_quote';
    fields = parsed[0]?.fields ?? [];
  } catch {
    return 'unclosed_quote';
  }
  const columns: readonly string[] = COLUMNS[source];
  if (fields.length !== columns.length) return 'wrong_column_count';
  if (fields[0] === '') return 'empty_id';
  for (const column of NUMERIC_COLUMNS[source]) {
    const cell = fields[columns.indexOf(column)] ?? '';
    if (cell === '' || !Number.isFinite(Number(cell))) return 'bad_number';
  }
  return undefined;
}

beforeAll(async () => {
  await generateDataset({ customers: CUSTOMERS, seed: SEED, out: dirtyDir.path, dirty: 0.02, quiet: true, workers: 2, chunkSize: 250 });
  await generateDataset({ customers: CUSTOMERS, seed: SEED, out: cleanDir.path, quiet: true, workers: 0 });
  manifest = JSON.parse(readFileSync(join(dirtyDir.path, DIRTY_MANIFEST_FILE), 'utf8')) as DirtyManifest;
});
afterAll(() => {
  dirtyDir.remove();
  cleanDir.remove();
});

describe(`--dirty 0.02 (seed ${SEED}, ${CUSTOMERS} customers)`, () => {
  it('every planted row is at its listed line and has its listed kind; no other line is malformed', () => {
    for (const source of SOURCES) {
      const file = SOURCE_FILE[source];
      const listed = new Map(manifest.planted.filter((p) => p.file === file).map((p) => [p.line, p.kind]));
      const all = lines(dirtyDir.path, source);
      expect(all[0]).toBe(COLUMNS[source].join(','));
      all.forEach((text, k) => {
        if (k === 0) return;
        expect(defect(source, text), `${file}:${k + 1}`).toBe(listed.get(k + 1));
      });
    }
  });

  it('plants every kind, about rate × customers per file, and counts them in the manifest', () => {
    for (const kind of DIRTY_KINDS) expect(manifest.counts[kind]).toBeGreaterThan(0);
    expect(manifest.counts['total']).toBe(manifest.planted.length);
    expect(manifest.counts['unclosed_quote']).toBe(4);
    const perFile = (manifest.planted.length - 4) / 4;
    expect(perFile).toBeGreaterThan(0.02 * CUSTOMERS * 0.7);
    expect(perFile).toBeLessThan(0.02 * CUSTOMERS * 1.3);
  });

  it('bad_number entries name the column holding a BAD_NUMBERS value; wrong_column_count ones the cell count', () => {
    for (const p of manifest.planted) {
      const source = SOURCES.find((s) => SOURCE_FILE[s] === p.file) as Source;
      const fields = p.kind === 'unclosed_quote' ? [] : (parseCsv(`${lines(dirtyDir.path, source)[p.line - 1]}\n`)[0]?.fields ?? []);
      if (p.kind === 'bad_number') {
        const columns: readonly string[] = COLUMNS[source];
        expect(BAD_NUMBERS as readonly string[]).toContain(fields[columns.indexOf(p.column ?? '')]);
        expect(fields[0]).toBe(p.customer_id);
      }
      if (p.kind === 'wrong_column_count') expect(fields).toHaveLength(p.cells ?? -1);
    }
  });

  it('each file ends with its one unclosed quote, which carries no other quote character', () => {
    for (const source of SOURCES) {
      const all = lines(dirtyDir.path, source);
      const last = all[all.length - 1] ?? '';
      const entry = manifest.planted.find((p) => p.file === SOURCE_FILE[source] && p.kind === 'unclosed_quote');
      expect(entry?.line).toBe(all.length);
      expect(last.split('"')).toHaveLength(2);
      expect(() => parseCsv(readFileSync(join(dirtyDir.path, SOURCE_FILE[source]), 'utf8'))).toThrow(/unclosed quote/);
    }
  });

  it('removing the planted lines gives byte-for-byte the files of the same run without --dirty', () => {
    for (const source of SOURCES) {
      const planted = new Set(manifest.planted.filter((p) => p.file === SOURCE_FILE[source]).map((p) => p.line));
      const kept = lines(dirtyDir.path, source).filter((_, k) => !planted.has(k + 1));
      expect(kept.join('\n') + '\n').toBe(readFileSync(join(cleanDir.path, SOURCE_FILE[source]), 'utf8'));
    }
  });
});
