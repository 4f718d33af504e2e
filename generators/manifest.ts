/**
 * The two JSON files beside the CSVs. `manifest.json` (with `--manifest`) says what the files
 * are: the spec, the faker version, and per file its rows and sha256, and nothing about how the
 * run went (no times, no worker count), so equal specs give byte-identical manifests too.
 * `dirty-manifest.json` (with `--dirty`) lists every planted line; it is streamed entry by entry,
 * so its memory does not grow with the dataset.
 */
import { createRequire } from 'node:module';
import { SOURCES, SOURCE_FILE, type Source } from './columns.js';
import { DIRTY_KINDS, type DirtyKind, type PlantedRow } from './planted.js';
import type { OutFile } from './out-file.js';
import type { DataSpec } from './spec.js';

export const MANIFEST_FILE = 'manifest.json';
export const DIRTY_MANIFEST_FILE = 'dirty-manifest.json';

/** What the manifest records for one CSV file. */
export interface FileSummary {
  /** Lines after the header: clean records + planted lines. */
  readonly rows: number;
  /** Clean records (including duplicate and orphan rows). */
  readonly records: number;
  /** Planted malformed lines. */
  readonly planted: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** Installed faker version: the pools depend on it, so the manifest records it. */
export const FAKER_VERSION: string = (
  createRequire(import.meta.url)('@faker-js/faker/package.json') as { version: string }
).version;

/** Text of manifest.json: a pure function of the spec and the file summaries. */
export function manifestJson(spec: DataSpec, files: Readonly<Record<Source, FileSummary>>): string {
  const byFile: Record<string, FileSummary> = {};
  for (const source of SOURCES) byFile[SOURCE_FILE[source]] = files[source];
  const manifest = {
    generator: 'customer-merge/generators',
    format: 1,
    faker: FAKER_VERSION,
    options: spec,
    files: byFile,
    dirty_manifest: spec.dirty > 0 ? DIRTY_MANIFEST_FILE : null,
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

/** Human-readable rules stored with the planted rows (the contract tests rely on). */
export const DIRTY_RULES = [
  'line is the 1-based physical line in file; the header is line 1; no field contains a newline.',
  'Planted lines are inserted after the rows of the customer they copy, never replacing a clean row: removing them gives the files of the same run without --dirty.',
  'bad_number, wrong_column_count and empty_id break only their own line; each (customer, file) gets one with probability rate.',
  'unclosed_quote: exactly one per file, always its last line, with no other quote on it (an open quote elsewhere would swallow the following lines under RFC 4180).',
  'Entries are in generation order (customer by customer, files in crm, billing, product, support order), unclosed_quote entries last.',
] as const;

/** Streams dirty-manifest.json: header, one entry per planted line, counts at the end. */
export class DirtyManifestWriter {
  private first = true;
  private readonly counts: Record<DirtyKind, number> = {
    bad_number: 0,
    wrong_column_count: 0,
    unclosed_quote: 0,
    empty_id: 0,
  };

  constructor(private readonly file: OutFile) {}

  async begin(spec: DataSpec): Promise<void> {
    const head = {
      format: 1,
      seed: spec.seed,
      customers: spec.customers,
      rate: spec.dirty,
      kinds: DIRTY_KINDS,
      rules: DIRTY_RULES,
    };
    const text = JSON.stringify(head, null, 2);
    await this.file.write(text.slice(0, -2) + ',\n  "planted": [');
  }

  async add(rows: readonly PlantedRow[]): Promise<void> {
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) {
      text += (this.first ? '\n    ' : ',\n    ') + JSON.stringify(row);
      this.first = false;
      this.counts[row.kind] += 1;
    }
    await this.file.write(text);
  }

  async end(): Promise<void> {
    const total = Object.values(this.counts).reduce((a, b) => a + b, 0);
    await this.file.write(`\n  ],\n  "counts": ${JSON.stringify({ ...this.counts, total })}\n}\n`);
  }
}

/** Summaries for every source, from per-source values. */
export function perSourceSummary(make: (source: Source) => FileSummary): Record<Source, FileSummary> {
  return { crm: make('crm'), billing: make('billing'), product: make('product'), support: make('support') };
}
