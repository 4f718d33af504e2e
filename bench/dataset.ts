/**
 * The bench's dataset: generated on first use by the project's generator and cached by what
 * decides its bytes (customer count, seed, duplicates), so every later run with the same options
 * reads the very same files. A marker written after generation makes a half-written folder (an
 * interrupted run) count as missing.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '../generators/index.js';

export interface DatasetSpec {
  readonly customers: number;
  readonly seed: number;
  /** Mean extra rows per (customer, side source); 0 gives the tutorial's one row per customer per file. */
  readonly duplicates: number;
}

export interface Dataset extends DatasetSpec {
  readonly dir: string;
  /** Data rows over the four files (headers excluded). */
  readonly rows: number;
  readonly bytes: number;
  /** True when this call generated it; false when it came from the cache. */
  readonly generated: boolean;
  readonly generateMs: number;
}

const MARKER = 'bench-dataset.json';
const FILES = ['crm.csv', 'billing.csv', 'product.csv', 'support.csv'] as const;

/** The cache folder name: `<customers>-<seed>`, plus `-dup<x>` when duplicates are on. */
export function datasetKey(spec: DatasetSpec): string {
  return `${spec.customers}-${spec.seed}${spec.duplicates > 0 ? `-dup${spec.duplicates}` : ''}`;
}

/** The project root (two levels above the compiled `dist/bench/`, one above `bench/` in sources). */
export function projectRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, here.includes(`${join('dist', 'bench')}`) ? '../..' : '..');
}

export function defaultCacheRoot(): string {
  return join(projectRoot(), '.cache', 'datasets');
}

/** Returns the cached dataset for `spec`, generating it first when missing or incomplete. */
export async function ensureDataset(spec: DatasetSpec, cacheRoot = defaultCacheRoot(), log: (line: string) => void = () => {}): Promise<Dataset> {
  const dir = join(cacheRoot, datasetKey(spec));
  const marker = join(dir, MARKER);
  if (existsSync(marker)) {
    const saved = JSON.parse(await readFile(marker, 'utf8')) as { rows: number; bytes: number; generateMs: number };
    return { ...spec, dir, rows: saved.rows, bytes: saved.bytes, generated: false, generateMs: saved.generateMs };
  }
  log(`generating dataset ${datasetKey(spec)} (customers ${spec.customers}, seed ${spec.seed}, duplicates ${spec.duplicates}) in ${dir} ...`);
  await rm(dir, { recursive: true, force: true });
  const report = await generateDataset({
    customers: spec.customers,
    seed: spec.seed,
    out: dir,
    quiet: true,
    ...(spec.duplicates > 0 ? { duplicates: spec.duplicates } : {}),
  });
  let bytes = 0;
  for (const f of FILES) bytes += (await stat(join(dir, f))).size;
  const generateMs = Math.round(report.elapsedMs);
  await writeFile(marker, `${JSON.stringify({ ...spec, rows: report.totalRows, bytes, generateMs }, null, 2)}\n`);
  log(`generated ${report.totalRows} rows (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${(generateMs / 1000).toFixed(1)} s`);
  return { ...spec, dir, rows: report.totalRows, bytes, generated: true, generateMs };
}
