/**
 * The size sweep's report, pure: one row per case and dataset size (wall, CPU, peak memory per
 * process, time per customer, ratios to both DuckDB baselines), the growth exponent of time and
 * memory between consecutive sizes (log(ratio of values) / log(ratio of sizes): 0 is flat, 1 is
 * linear), a verdict on where memory stays flat and where it grows, as markdown and JSON.
 */
import type { CaseKind, CaseSummary } from './stats.js';
import { formatMarkdown } from './stats.js';

/** One case at one size, as measured (or why it was not). */
export interface SizeCase {
  readonly customers: number;
  readonly name: string;
  readonly kind: CaseKind;
  readonly shards: number | null;
  /** The summary when the case ran. */
  readonly summary?: CaseSummary;
  /** "did not fit: ..." when it did not run or ran out of memory or disk. */
  readonly didNotFit?: string;
}

/** What each kind of case does, for the table and the chart's legend. */
export function caseDoes(kind: CaseKind, shards: number | null): string {
  switch (kind) {
    case 'duckdb':
      return 'DuckDB: merge and aggregates only, writes no profiles (lower bound)';
    case 'duckdb-profiles':
      return 'DuckDB: merges, enriches, writes the same JSON profiles (like with like)';
    case 'local':
    case 'local-each':
      return `customer-merge: merges, enriches, writes JSON profiles and the result (${shards ?? 1} shard${shards === 1 ? '' : 's'})`;
    case 'reference':
      return 'customer-merge in one process, no runtime (profiles in memory)';
    default:
      return kind;
  }
}

/** Peak RSS of the largest process of a case (orchestrator or any worker), MiB. */
export function peakMiB(s: CaseSummary): number | null {
  const xs = [s.mainPeakMiB, s.workerPeakMiB].filter((v): v is number => v !== null);
  return xs.length === 0 ? null : Math.max(...xs);
}

/** log(b / a) / log(sizeB / sizeA): how a value grows with size (null when either value is missing). */
export function growthExponent(sizeA: number, a: number | null, sizeB: number, b: number | null): number | null {
  if (a === null || b === null || !(a > 0) || !(b > 0) || !(sizeA > 0) || sizeB === sizeA) return null;
  return Math.log(b / a) / Math.log(sizeB / sizeA);
}

/** How memory behaves for a growth exponent: flat below 0.25, linear from 0.75. */
export function memoryVerdict(exponent: number | null): string {
  if (exponent === null) return 'not measured';
  if (exponent < 0.25) return 'flat';
  if (exponent < 0.75) return 'grows, less than linearly';
  return 'grows about linearly';
}

export interface Growth {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly wallExponent: number | null;
  readonly memExponent: number | null;
  readonly memory: string;
}

/** Growth between consecutive sizes for every case measured at both. */
export function growthOf(rows: readonly SizeCase[]): Growth[] {
  const names = [...new Set(rows.map((r) => r.name))];
  const sizes = [...new Set(rows.map((r) => r.customers))].sort((a, b) => a - b);
  const out: Growth[] = [];
  for (const name of names) {
    for (let i = 1; i < sizes.length; i++) {
      const a = rows.find((r) => r.name === name && r.customers === sizes[i - 1])?.summary;
      const b = rows.find((r) => r.name === name && r.customers === sizes[i])?.summary;
      if (a === undefined || b === undefined) continue;
      const memExponent = growthExponent(sizes[i - 1]!, peakMiB(a), sizes[i]!, peakMiB(b));
      out.push({ name, from: sizes[i - 1]!, to: sizes[i]!, wallExponent: growthExponent(sizes[i - 1]!, a.wallMedianMs, sizes[i]!, b.wallMedianMs), memExponent, memory: memoryVerdict(memExponent) });
    }
  }
  return out;
}

const f = (v: number | null | undefined, digits: number, suffix = ''): string => (v === null || v === undefined ? '–' : `${v.toFixed(digits)}${suffix}`);
const n = (v: number): string => v.toLocaleString('en-US');

export const SIZE_HEADERS = ['customers', 'case', 'what it does', 'n', 'wall s', 'CPU s', 'µs / customer', 'peak MiB (largest process)', 'main MiB', 'largest worker MiB', '× DuckDB aggregates', '× DuckDB profiles'] as const;

/** Table rows in SIZE_HEADERS order; a case that did not fit says so in the wall column. */
export function sizeRows(rows: readonly SizeCase[]): string[][] {
  return rows.map((r) => {
    const s = r.summary;
    const head = [n(r.customers), r.name, caseDoes(r.kind, r.shards)];
    if (s === undefined) return [...head, '0', r.didNotFit ?? 'not run', '–', '–', '–', '–', '–', '–', '–'];
    return [
      ...head,
      String(s.iterations),
      f(s.wallMedianMs / 1000, 2),
      f(s.cpuMedianMs === null ? null : s.cpuMedianMs / 1000, 2),
      f((s.wallMedianMs * 1000) / r.customers, 2),
      f(peakMiB(s), 0),
      f(s.mainPeakMiB, 0),
      f(s.workerPeakMiB, 0),
      f(s.xDuckdb, 2, 'x'),
      f(s.xDuckdbProfiles, 2, 'x'),
    ];
  });
}

/** Sentences: which cases keep memory flat over the sweep and which grow, with the exponents. */
export function memoryStory(growth: readonly Growth[]): string[] {
  const names = [...new Set(growth.map((g) => g.name))];
  return names.map((name) => {
    const gs = growth.filter((g) => g.name === name);
    const parts = gs.map((g) => `${n(g.from)}→${n(g.to)}: memory exponent ${f(g.memExponent, 2)} (${g.memory}), time exponent ${f(g.wallExponent, 2)}`);
    const all = gs.map((g) => g.memory);
    const overall = all.every((m) => m === 'flat') ? 'memory stays flat' : all.some((m) => m === 'flat') ? 'memory is flat over part of the range and grows over the rest' : 'memory grows with the data';
    return `- ${name}: ${overall}; ${parts.join('; ')}`;
  });
}

export interface SizeReportInput {
  readonly command: string;
  readonly title: string;
  readonly seed: number;
  readonly rows: readonly SizeCase[];
  /** Load average (1, 5, 15 min) when each size started and ended. */
  readonly load: readonly { readonly customers: number; readonly start: readonly number[]; readonly end: readonly number[] }[];
  readonly cores: number;
  /** Extra lines (checks, notes) placed after the tables. */
  readonly notes?: readonly string[];
}

/** The markdown report. */
export function sizeMarkdown(input: SizeReportInput): string {
  const growth = growthOf(input.rows);
  const loadLines = input.load.map((l) => `- ${n(l.customers)} customers: load average ${l.start.join(' / ')} at start, ${l.end.join(' / ')} at end (1 / 5 / 15 min, ${input.cores} cores)`);
  return [
    `Command: \`${input.command}\``,
    '',
    input.title,
    '',
    formatMarkdown(SIZE_HEADERS, sizeRows(input.rows)),
    '',
    'Growth between sizes (exponent = log(value ratio) / log(size ratio): 0 flat, 1 linear; memory = the largest process):',
    '',
    formatMarkdown(['case', 'from', 'to', 'time exponent', 'memory exponent', 'memory'], growth.map((g) => [g.name, n(g.from), n(g.to), f(g.wallExponent, 2), f(g.memExponent, 2), g.memory])),
    '',
    ...memoryStory(growth),
    '',
    `Load during the run (seed ${input.seed}):`,
    '',
    ...loadLines,
    '',
    ...(input.notes ?? []),
    '',
  ].join('\n');
}
