/**
 * The bench's arithmetic, pure: medians and spreads of samples, ratios to the DuckDB baseline
 * measured in the same run (the only figures stable on a shared machine; taken round by round
 * where the sweep ran in rounds), speed-ups against the one-shard run, rows per second, and the
 * summary rows the table, the JSON and the chart share.
 */

/** One measured run of a case. */
export interface RunSample {
  /** Wall time of the run, start to result, in ms. */
  readonly wallMs: number;
  /** CPU of every process of the run (orchestrator + all workers), in ms. */
  readonly cpuMs: number;
  /** Peak RSS of the process that ran the case (for the pipeline: the orchestrator), KiB. */
  readonly mainPeakKb: number;
  /** Peak RSS of the largest worker, KiB (undefined when the case has no workers). */
  readonly workerPeakKb?: number;
  /**
   * CPU the workers spent off their main thread, ms: V8's optimising compiler and GC helpers,
   * libuv's file I/O (undefined when the workers did not report their main thread's share).
   */
  readonly workerHelperCpuMs?: number;
  /**
   * The sweep's round the run belonged to (each round runs every case once, one after another):
   * runs of one round are neighbours in time, so their ratios see the same machine.
   */
  readonly round?: number;
}

/**
 * `duckdb`: DuckDB computing the aggregates only (writes no profiles: the lower bound);
 * `duckdb-profiles`: DuckDB merging, enriching and writing the same JSON profiles (like with like);
 * `local`: the embedded runtime as `npm start` runs it (shards dealt to the bench's workers);
 * `local-each`: the same with one task per shard (as on Render), compared with `local`'s one shard.
 */
export type CaseKind = 'duckdb' | 'duckdb-profiles' | 'reference' | 'local' | 'local-each' | 'deployed' | 'pg';

export interface CaseResult {
  readonly name: string;
  readonly kind: CaseKind;
  /** Shard count (local and deployed cases). */
  readonly shards?: number;
  readonly samples: readonly RunSample[];
  /** Set when the case was not run, or stopped, because it would not fit (or ran out of) memory or disk. */
  readonly didNotFit?: string;
}

export interface CaseSummary {
  readonly name: string;
  readonly kind: CaseKind;
  readonly shards: number | null;
  readonly iterations: number;
  readonly wallMedianMs: number;
  readonly wallMinMs: number;
  readonly wallMaxMs: number;
  /** (max − min) / median, in percent: how noisy the case was. */
  readonly spreadPct: number;
  /**
   * Wall time ÷ DuckDB's wall time in the same run: the median of the per-round ratios when the
   * case ran in rounds with DuckDB (see `pairedRatio`), else the ratio of the medians.
   */
  readonly xDuckdb: number | null;
  /** The per-round ratios behind `xDuckdb` (empty when the case did not run in rounds with DuckDB). */
  readonly xDuckdbRounds: readonly number[];
  /** Wall time ÷ the DuckDB-profiles case's (same work), paired by round like `xDuckdb`; null without that case. */
  readonly xDuckdbProfiles: number | null;
  /** Wall time of the same kind's one-shard case ÷ this one's (local and deployed), paired likewise. */
  readonly speedup: number | null;
  readonly rowsPerSec: number;
  readonly cpuMedianMs: number | null;
  /**
   * CPU ÷ CPU of the same kind's one-shard case: the median over rounds of the ratio of the two
   * runs of each round (see `pairedRatio`), else the ratio of the medians.
   */
  readonly cpuVsOneShard: number | null;
  /** The per-round ratios behind `cpuVsOneShard` (empty when not paired). */
  readonly cpuVsOneShardRounds: readonly number[];
  readonly mainPeakMiB: number | null;
  readonly workerPeakMiB: number | null;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** a ÷ b, or null when either is missing or b is not positive. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || !(b > 0)) return null;
  return a / b;
}

/**
 * The median over rounds of `a`'s value ÷ `b`'s value in that round, for the rounds both have a
 * sample in; null when they share none. On a machine whose speed drifts (other tenants, steal
 * time), runs of one round see about the same machine, so the ratio of neighbours is steadier
 * than the ratio of medians taken over different moments.
 */
export function pairedRatio(a: readonly RunSample[], b: readonly RunSample[], value: (s: RunSample) => number): number | null {
  const ratios = pairedRatios(a, b, value);
  return ratios.length === 0 ? null : median(ratios);
}

/** The per-round ratios `pairedRatio` takes the median of, in round order. */
export function pairedRatios(a: readonly RunSample[], b: readonly RunSample[], value: (s: RunSample) => number): number[] {
  const ratios: { round: number; r: number }[] = [];
  for (const x of a) {
    if (x.round === undefined) continue;
    const y = b.find((s) => s.round === x.round);
    const r = y === undefined ? null : ratio(value(x), value(y));
    if (r !== null) ratios.push({ round: x.round, r });
  }
  return ratios.sort((p, q) => p.round - q.round).map((p) => p.r);
}

function peakMiB(values: readonly (number | undefined)[]): number | null {
  const known = values.filter((v): v is number => v !== undefined && v > 0);
  return known.length === 0 ? null : Math.max(...known) / 1024;
}

/**
 * Summarises every case. `rows` is the dataset's data-row count (for rows/s). The baseline is the
 * `duckdb` case; speed-ups and CPU ratios compare each local (or deployed) case with the one-shard
 * case of the same kind, when the sweep has one.
 */
export function summarize(cases: readonly CaseResult[], rows: number): CaseSummary[] {
  const med = (c: CaseResult | undefined): number | null => (c === undefined || c.samples.length === 0 ? null : median(c.samples.map((s) => s.wallMs)));
  const cpuMed = (c: CaseResult | undefined): number | null => {
    const cpu = c?.samples.map((s) => s.cpuMs).filter((v) => v > 0) ?? [];
    return cpu.length === 0 ? null : median(cpu);
  };
  const duckCase = cases.find((c) => c.kind === 'duckdb');
  const duck = med(duckCase);
  const duckProfilesCase = cases.find((c) => c.kind === 'duckdb-profiles');
  const duckProfiles = med(duckProfilesCase);
  const wallOf = (x: RunSample): number => x.wallMs;
  const cpuOf = (x: RunSample): number => x.cpuMs;
  const withCpu = (xs: readonly RunSample[]): RunSample[] => xs.filter((x) => x.cpuMs > 0);
  return cases
    .filter((c) => c.samples.length > 0)
    .map((c) => {
      const walls = c.samples.map((s) => s.wallMs);
      const wall = median(walls);
      const oneKind = c.kind === 'local-each' ? 'local' : c.kind;
      const one = cases.find((o) => o.kind === oneKind && o.shards === 1);
      const hasShards = c.kind === 'local' || c.kind === 'local-each' || c.kind === 'deployed' || c.kind === 'pg';
      const cpu = cpuMed(c);
      return {
        name: c.name,
        kind: c.kind,
        shards: c.shards ?? null,
        iterations: c.samples.length,
        wallMedianMs: wall,
        wallMinMs: Math.min(...walls),
        wallMaxMs: Math.max(...walls),
        spreadPct: wall > 0 ? (100 * (Math.max(...walls) - Math.min(...walls))) / wall : 0,
        xDuckdb: pairedRatio(c.samples, duckCase?.samples ?? [], wallOf) ?? ratio(wall, duck),
        xDuckdbRounds: pairedRatios(c.samples, duckCase?.samples ?? [], wallOf),
        xDuckdbProfiles: duckProfilesCase === undefined ? null : (pairedRatio(c.samples, duckProfilesCase.samples, wallOf) ?? ratio(wall, duckProfiles)),
        speedup: hasShards ? (pairedRatio(one?.samples ?? [], c.samples, wallOf) ?? ratio(med(one), wall)) : null,
        rowsPerSec: wall > 0 ? rows / (wall / 1000) : 0,
        cpuMedianMs: cpu,
        cpuVsOneShard: !hasShards ? null : (pairedRatio(withCpu(c.samples), withCpu(one?.samples ?? []), cpuOf) ?? ratio(cpu, cpuMed(one))),
        cpuVsOneShardRounds: hasShards ? pairedRatios(withCpu(c.samples), withCpu(one?.samples ?? []), cpuOf) : [],
        mainPeakMiB: peakMiB(c.samples.map((s) => s.mainPeakKb)),
        workerPeakMiB: peakMiB(c.samples.map((s) => s.workerPeakKb)),
      };
    });
}

const fixed = (v: number | null, digits: number, suffix = ''): string => (v === null ? '–' : `${v.toFixed(digits)}${suffix}`);

/** Rows/s in a short human form: 812k, 1.25M. */
export function humanRate(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e3) return `${Math.round(v / 1e3)}k`;
  return `${Math.round(v)}`;
}

export const TABLE_HEADERS = [
  'case',
  'n',
  'wall s (median)',
  'min–max s',
  '× DuckDB aggregates',
  '× DuckDB profiles',
  'speed-up',
  'rows/s',
  'CPU s',
  'CPU × 1 shard',
  'worker peak MiB',
  'main peak MiB',
] as const;

/** One table row per case, as text cells in the order of `TABLE_HEADERS`. */
export function tableRows(summaries: readonly CaseSummary[]): string[][] {
  return summaries.map((s) => [
    s.name,
    String(s.iterations),
    fixed(s.wallMedianMs / 1000, 2),
    `${(s.wallMinMs / 1000).toFixed(2)}–${(s.wallMaxMs / 1000).toFixed(2)}`,
    fixed(s.xDuckdb, 2, 'x'),
    fixed(s.xDuckdbProfiles, 2, 'x'),
    fixed(s.speedup, 2, 'x'),
    humanRate(s.rowsPerSec),
    fixed(s.cpuMedianMs === null ? null : s.cpuMedianMs / 1000, 2),
    fixed(s.cpuVsOneShard, 2, 'x'),
    fixed(s.workerPeakMiB, 0),
    fixed(s.mainPeakMiB, 0),
  ]);
}

/** Table rows (as `tableRows`) for the cases that did not run because they would not fit: the reason in the wall column. */
export function didNotFitRows(cases: readonly CaseResult[]): string[][] {
  return cases.filter((c) => c.didNotFit !== undefined && c.samples.length === 0).map((c) => TABLE_HEADERS.map((_, i) => (i === 0 ? c.name : i === 1 ? '0' : i === 2 ? (c.didNotFit ?? '') : '–')));
}

/** A plain-text table with aligned columns (numbers right-aligned). */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[], head = false): string =>
    cells.map((c, i) => (i === 0 || head ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(headers, true), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(r))].join('\n');
}

/** The same table as GitHub markdown (for the README). */
export function formatMarkdown(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `|${headers.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
