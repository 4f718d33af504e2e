/**
 * The size sweep: the same cases (DuckDB aggregates, DuckDB profiles, the pipeline at each shard
 * count) at every dataset size, each size on its cached dataset (generated once per size and
 * seed). Before a case runs its memory and disk needs are estimated (limits.ts); a case that
 * would not fit, or that runs out of memory or disk, is recorded as "did not fit", not a crash.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import type { BenchOptions } from './args.js';
import { defaultCacheRoot, ensureDataset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { CSV_BYTES_PER_CUSTOMER, estimateNeed, fitVerdict, outOfRoom, roomAt } from './limits.js';
import type { ProfileDigest } from './profile-digest.js';
import type { SizeCase } from './size-report.js';
import { summarize } from './stats.js';
import type { CaseResult, CaseSummary } from './stats.js';
import { DUCKDB_AGGREGATES, DUCKDB_PROFILES, runSweep } from './sweep.js';
import type { Answer } from './run-once.js';

export interface SizeRun {
  readonly customers: number;
  readonly dataset?: Dataset;
  readonly answer?: Answer;
  readonly digests: Record<string, ProfileDigest>;
  readonly cases: CaseResult[];
  readonly summary: CaseSummary[];
  readonly load: { readonly start: number[]; readonly end: number[] };
  /** Set when no case could run at this size (e.g. no room for the dataset). */
  readonly didNotFit?: string;
}

export interface SizeSweepSettings {
  readonly options: BenchOptions;
  /** Parent of each size's scratch folder (outputs, DuckDB's spill files). */
  readonly scratchRoot: string;
  readonly duckdbMemoryLimit: string;
  readonly log: (line: string) => void;
  readonly cacheRoot?: string;
  /** Called after each size with the runs so far (the report is rewritten, so a later failure keeps the sizes done). */
  readonly onSize?: (runs: readonly SizeRun[]) => Promise<void>;
}

const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

/** The case names every size runs, in table order (for rows of a size where nothing ran). */
export function plannedCases(options: Pick<BenchOptions, 'shards'>): { name: string; kind: CaseResult['kind']; shards: number | null }[] {
  return [
    { name: DUCKDB_AGGREGATES, kind: 'duckdb', shards: null },
    { name: DUCKDB_PROFILES, kind: 'duckdb-profiles', shards: null },
    ...options.shards.map((n) => ({ name: `local ${n} shard${n === 1 ? '' : 's'}`, kind: 'local' as const, shards: n })),
  ];
}

export async function runSizeSweep(s: SizeSweepSettings): Promise<SizeRun[]> {
  const runs: SizeRun[] = [];
  const cacheRoot = s.cacheRoot ?? defaultCacheRoot();
  for (const customers of s.options.sizes) {
    const start = load();
    s.log(`size ${customers.toLocaleString('en-US')} customers (seed ${s.options.seed}), load average ${start.join(' ')}`);
    const options: BenchOptions = { ...s.options, customers, reference: false, components: false };
    const scratch = join(s.scratchRoot, `size-${customers}`);
    await mkdir(scratch, { recursive: true });
    await mkdir(cacheRoot, { recursive: true });
    const genRoom = await roomAt(dirname(join(cacheRoot, 'x')));
    const noData = fitVerdict({ memBytes: 0, diskBytes: CSV_BYTES_PER_CUSTOMER * customers }, genRoom);
    if (noData !== undefined) {
      s.log(`  dataset: ${noData}`);
      runs.push({ customers, digests: {}, cases: [], summary: [], load: { start, end: load() }, didNotFit: `${noData} (the dataset)` });
      continue;
    }
    try {
      const dataset = await ensureDataset({ customers, seed: options.seed, duplicates: options.duplicates }, cacheRoot, s.log);
      s.log(`  dataset ${dataset.dir}: ${dataset.rows} rows, ${(dataset.bytes / 2 ** 20).toFixed(1)} MiB (seed ${dataset.seed})`);
      const fits = async (kind: CaseResult['kind']): Promise<string | undefined> =>
        fitVerdict(estimateNeed(kind, customers, { concurrency: options.concurrency, duckdbMemoryLimit: s.duckdbMemoryLimit }), await roomAt(scratch));
      // A dataset generated just now is in the page cache already: no warm-up run needed.
      const warm = dataset.generated ? { ...options, warmup: 0 } : options;
      if (dataset.generated && options.warmup > 0) s.log('  warm-up skipped: the dataset was just written, so it is in the page cache');
      const sweep = await runSweep({ options: warm, dataset, scratch, log: s.log, duckdbMemoryLimit: s.duckdbMemoryLimit, duckdbEnds: 0, warmupPipeline: false, fits });
      runs.push({ customers, dataset, answer: sweep.answer, digests: sweep.digests, cases: sweep.cases, summary: summarize(sweep.cases, dataset.rows), load: { start, end: load() } });
    } catch (err) {
      const why = outOfRoom(err);
      if (why === undefined) throw err;
      s.log(`  ${why}`);
      runs.push({ customers, digests: {}, cases: [], summary: [], load: { start, end: load() }, didNotFit: why });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    await s.onSize?.(runs);
  }
  return runs;
}

/** The report's rows: every planned case at every size, measured or with the reason it did not fit. */
export function sizeCases(runs: readonly SizeRun[], options: Pick<BenchOptions, 'shards'>): SizeCase[] {
  const rows: SizeCase[] = [];
  for (const run of runs) {
    for (const plan of plannedCases(options)) {
      const c = run.cases.find((x) => x.name === plan.name);
      const summary = run.summary.find((x) => x.name === plan.name);
      const why = c?.didNotFit ?? run.didNotFit;
      rows.push({ customers: run.customers, name: plan.name, kind: plan.kind, shards: plan.shards, ...(summary !== undefined ? { summary } : {}), ...(summary === undefined && why !== undefined ? { didNotFit: why } : {}) });
    }
  }
  return rows;
}
