/** The drill's evidence, read from disk: customers in the input and output, output bytes, leftover temp files. */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { rowFields } from '../engine/index.js';
import { SOURCE_NAMES } from '../core/schema.js';
import { scanShardRows } from '../io/row-source.js';
import { fileSha256 } from '../tasks/shard/manifest.js';
import type { RunResult } from '../tasks/contracts.js';

/** What the input holds: its customers, and the personal values that must never reach a log. */
export interface InputFacts {
  /** Every customer id with at least one accepted row in some source. */
  readonly customers: ReadonlySet<string>;
  /** Emails, company names, sales owners: strings that no log line may contain. */
  readonly personal: readonly string[];
}

const PERSONAL_COLUMNS = ['email', 'company_name', 'sales_owner'];

/** Reads the four sources with the pipeline's own row reader (one shard of one: every row). */
export async function readInputFacts(data: string): Promise<InputFacts> {
  const customers = new Set<string>();
  const personal = new Set<string>();
  const rows = scanShardRows(data, 0, 1);
  for (const source of SOURCE_NAMES) {
    for await (const batch of rows.rows(source)) {
      for (const ev of batch) {
        if (ev.kind !== 'row') continue;
        customers.add(ev.customerId);
        const fields = rowFields(ev);
        for (const col of PERSONAL_COLUMNS) {
          const v = fields[col];
          if (typeof v === 'string' && v.length >= 4) personal.add(v);
        }
      }
    }
  }
  return { customers, personal: [...personal] };
}

/** How often each customer id occurs in a run's output files. */
export async function outputCensus(result: Pick<RunResult, 'out_dir' | 'output_files'>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const file of result.output_files) {
    const lines = createInterface({ input: createReadStream(join(result.out_dir, file)), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      const id = (JSON.parse(line) as { customer_id: string }).customer_id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

/** Exactly-once check: input customers missing from the output, present twice or more, or not in the input. */
export interface OnceCheck {
  readonly customers: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly unexpected: number;
}

export function checkExactlyOnce(input: ReadonlySet<string>, census: ReadonlyMap<string, number>): OnceCheck {
  let missing = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const id of input) {
    const n = census.get(id) ?? 0;
    if (n === 0) missing++;
    else if (n > 1) duplicated++;
  }
  for (const id of census.keys()) if (!input.has(id)) unexpected++;
  return { customers: input.size, missing, duplicated, unexpected };
}

export function onceHolds(c: OnceCheck): boolean {
  return c.missing === 0 && c.duplicated === 0 && c.unexpected === 0;
}

/**
 * sha256 of every data file by path relative to out_dir (`profiles/`, `rejects/`, the rejects
 * report); manifests, attempt markers and temp files are left out.
 */
export async function outputTree(outDir: string): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  const top = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  const paths = [
    ...top.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => join(outDir, e.name)),
    ...(await listFiles(join(outDir, 'profiles'))),
    ...(await listFiles(join(outDir, 'rejects'))),
  ];
  for (const path of paths) {
    if (/\.tmp-[^/]*$/.test(path)) continue;
    const sum = await fileSha256(path);
    if (sum !== undefined) tree.set(relative(outDir, path), sum);
  }
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Paths (relative) that differ between two output trees: missing, extra or with other bytes. */
export function treeDifferences(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>): string[] {
  const diffs: string[] = [];
  for (const [path, sum] of expected) {
    const got = actual.get(path);
    if (got === undefined) diffs.push(`${path} missing`);
    else if (got !== sum) diffs.push(`${path} differs`);
  }
  for (const path of actual.keys()) if (!expected.has(path)) diffs.push(`${path} unexpected`);
  return diffs;
}

/** Temporary files (`*.tmp-*`) anywhere under out_dir: a finished run must leave none. */
export async function leftoverTemps(outDir: string): Promise<string[]> {
  return (await listFiles(outDir)).filter((p) => /\.tmp-[^/]*$/.test(p)).map((p) => relative(outDir, p));
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The parts of a RunResult a fault must not change: everything but timings, paths, run id and reuse. */
export function comparableResult(r: RunResult): unknown {
  const { elapsed_ms: _e, out_dir: _o, run_id: _r, reused_shards: _u, shards, ...rest } = r;
  return { ...rest, shards: shards.map(({ elapsed_ms: _s, ...s }) => s) };
}
