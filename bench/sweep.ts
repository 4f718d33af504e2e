/**
 * The measured cases of a bench run, driven by tinybench: DuckDB computing the aggregates only (at least 3 runs first and 3
 * again last, so a machine whose load drifts during the run shows it and the baseline covers the
 * whole run), then the single-process reference, one case per local shard count and optionally
 * the PostgreSQL sink, in rounds with DuckDB again (each case once per round, the order reversed
 * every other round) up to the iteration cap, a case leaving once its time budget is spent (after
 * at least one run).
 * Every iteration is a fresh process (`run-once.js`); tinybench records the duration measured
 * inside it (`overriddenDuration`), and `throws: true` makes any failure, including an answer
 * that disagrees with DuckDB's, fail the bench.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { Bench } from 'tinybench';
import { resolveWorkers } from '../src/cli/args.js';
import type { BenchOptions } from './args.js';
import type { Dataset } from './dataset.js';
import { checkAnswer, freshDir, helperCpuMs, runJob, sampleOf } from './measure.js';
import type { OkReport } from './measure.js';
import type { Answer, Job, WorkerUsage } from './run-once.js';
import type { CaseKind, CaseResult, RunSample } from './stats.js';
import { outOfRoom } from './limits.js';
import { checkDigest, digestFiles } from './profile-digest.js';
import type { ProfileDigest } from './profile-digest.js';

/** The aggregate-only DuckDB case: the lower bound, it writes no profiles. */
export const DUCKDB_AGGREGATES = 'DuckDB aggregates only (writes no profiles)';
/** The DuckDB case doing the pipeline's work: the same JSON profiles, written to a file. */
export const DUCKDB_PROFILES = 'DuckDB profiles (writes the same JSON profiles)';

/** Every .jsonl file under `dir`, recursively, sorted. */
export function jsonlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * The cases of round `round`: those whose measured time so far is under `budgetMs` (every case
 * runs at least once: pass Infinity for the first round), in the given order on even rounds and
 * reversed on odd ones, so a machine that speeds up or slows down during the sweep favours no
 * case (ABC, CBA, ABC…).
 */
export function roundPlan(names: readonly string[], round: number, spentMs: ReadonlyMap<string, number>, budgetMs: number): string[] {
  const active = names.filter((n) => (spentMs.get(n) ?? 0) < budgetMs);
  return round % 2 === 0 ? active : active.reverse();
}

/** The shard tasks a local case deals its shards to: the bench's --workers, else what `npm start` does. */
export function workersFor(shards: number, options: Pick<BenchOptions, 'workers' | 'concurrency'>): number {
  return resolveWorkers(shards, options.concurrency, options.workers);
}

/**
 * A pipeline run's worker CPU per task, e.g. `process_shard ×16 29.34 s (helper 8.70 s)`: what the
 * fan-out's pieces cost, and how much of it ran off the workers' main threads.
 */
export function cpuByTask(workers: readonly WorkerUsage[]): string {
  const by = new Map<string, WorkerUsage[]>();
  for (const w of workers) by.set(w.task, [...(by.get(w.task) ?? []), w]);
  return [...by]
    .map(([task, ws]) => {
      const helper = helperCpuMs(ws);
      const cpu = ws.reduce((n, w) => n + w.cpuMs, 0);
      return `${task} ×${ws.length} ${(cpu / 1000).toFixed(2)} s${helper !== undefined ? ` (helper ${(helper / 1000).toFixed(2)} s)` : ''}`;
    })
    .join(', ');
}

export interface SweepResult {
  readonly cases: CaseResult[];
  /** DuckDB's answer, which every other case matched. */
  readonly answer: Answer;
  /** Per-run worker usage of the local cases, for the JSON (name → runs → workers, with their task). */
  readonly workers: Record<string, WorkerUsage[][]>;
  /** PostgreSQL load counts per pg case, when measured. */
  readonly loads: Record<string, { inserted: number; updated: number; unchanged: number }[]>;
  /** PostgreSQL tables the pg cases created (the caller drops them). */
  readonly pgTables: string[];
  /** Content digest of each profile-writing case's first run; all equal, or the sweep failed. */
  readonly digests: Record<string, ProfileDigest>;
}

export interface SweepSettings {
  readonly options: BenchOptions;
  readonly dataset: Dataset;
  /** Scratch folder for pipeline outputs (emptied before each run, removed at the end). */
  readonly scratch: string;
  /** Prefix of the PostgreSQL tables of the pg cases (DATABASE_URL in the environment); none → no pg cases. */
  readonly pgTable?: string;
  readonly pgShards?: number;
  readonly log: (line: string) => void;
  /** DuckDB's memory limit for the profiles case (e.g. `6GiB`); no such case when absent. */
  readonly duckdbMemoryLimit?: string;
  /** Aggregate-only DuckDB runs before and after the rounds (default DUCKDB_MIN_ITERATIONS, or --iterations when more). */
  readonly duckdbEnds?: number;
  /** Warm-up also runs the pipeline (default true); false warms the page cache with DuckDB alone. */
  readonly warmupPipeline?: boolean;
  /** Before each run: "did not fit: ..." when the case would not fit the machine, else undefined. */
  readonly fits?: (kind: CaseKind, shards: number | undefined) => Promise<string | undefined>;
}

/** Fewest DuckDB samples per side (before and after), whatever --iterations says. */
export const DUCKDB_MIN_ITERATIONS = 3;

interface CaseSpec {
  readonly name: string;
  readonly kind: CaseKind;
  readonly shards?: number;
  readonly job: () => Promise<Job>;
  /** Where samples go (two tinybench tasks may feed one case: DuckDB first and last). */
  readonly into: string;
}

export async function runSweep(s: SweepSettings): Promise<SweepResult> {
  const { options, dataset, scratch, log } = s;
  const data = dataset.dir;
  const pipeline = (shards: number, pgTable?: string, workers = workersFor(shards, options)) => async (): Promise<Job> => ({
    kind: 'pipeline',
    data,
    out: await freshDir(join(scratch, `out-${shards}`)),
    shards,
    concurrency: options.concurrency,
    workers,
    ...(pgTable !== undefined ? { pgTable } : {}),
  });
  const duck = async (): Promise<Job> => ({ kind: 'duckdb', data });
  const specs: CaseSpec[] = [{ name: DUCKDB_AGGREGATES, kind: 'duckdb', job: duck, into: DUCKDB_AGGREGATES }];
  if (s.duckdbMemoryLimit !== undefined) {
    const memoryLimit = s.duckdbMemoryLimit;
    specs.push({
      name: DUCKDB_PROFILES,
      kind: 'duckdb-profiles',
      job: async () => ({ kind: 'duckdb-profiles', data, out: await freshDir(join(scratch, 'duckdb-profiles')), tempDir: await freshDir(join(scratch, 'duckdb-spill')), memoryLimit }),
      into: DUCKDB_PROFILES,
    });
  }
  if (options.reference) specs.push({ name: 'reference (1 process)', kind: 'reference', job: async () => ({ kind: 'reference', data }), into: 'reference (1 process)' });
  for (const n of options.shards) specs.push({ name: `local ${n} shard${n === 1 ? '' : 's'}`, kind: 'local', shards: n, job: pipeline(n), into: `local ${n} shard${n === 1 ? '' : 's'}` });
  // Side by side, the same shard counts with one task (a fresh process) per shard, where the
  // default deals them to fewer: what the grouping saves, measured in the same rounds.
  if (options.perShard) {
    for (const n of options.shards) {
      if (workersFor(n, options) < n) specs.push({ name: `local ${n} shards, a task each`, kind: 'local-each', shards: n, job: pipeline(n, undefined, n), into: `local ${n} shards, a task each` });
    }
  }
  const pgTables: string[] = [];
  if (s.pgTable !== undefined) {
    const n = s.pgShards ?? options.concurrency;
    const prefix = s.pgTable;
    // Each insert iteration loads into a table of its own (every profile inserted); the re-load
    // case runs the same input into the first one again, which must change no row.
    const insert = async (): Promise<Job> => {
      const table = `${prefix}_${pgTables.length + 1}`;
      pgTables.push(table);
      return pipeline(n, table)();
    };
    specs.push({ name: `pg insert ${n} shards`, kind: 'pg', shards: n, job: insert, into: `pg insert ${n} shards` });
    specs.push({ name: `pg re-load ${n} shards`, kind: 'pg', shards: n, job: pipeline(n, `${prefix}_1`), into: `pg re-load ${n} shards` });
  }
  specs.push({ name: `${DUCKDB_AGGREGATES} (again)`, kind: 'duckdb', job: duck, into: DUCKDB_AGGREGATES });

  // Warm-up: each measured run is a fresh process, so there is no JIT state to warm; what a
  // warm-up fills is the OS page cache (and the runtime's compiled-module cache).
  for (let i = 0; i < options.warmup; i++) {
    const withPipeline = s.warmupPipeline ?? true;
    log(`warm-up ${i + 1}/${options.warmup}: DuckDB aggregates${withPipeline ? ` and ${options.shards[0]} shard(s)` : ''} (not recorded)`);
    try {
      await runJob(await duck());
      if (withPipeline) {
        const job = await pipeline(options.shards[0] ?? 1)();
        await runJob(job);
        await rm(job.kind === 'pipeline' ? job.out : '', { recursive: true, force: true });
      }
    } catch (err) {
      if (outOfRoom(err) === undefined) throw err;
      log(`  warm-up: ${outOfRoom(err)}`);
    }
  }

  const samples = new Map<string, RunSample[]>();
  const workers: SweepResult['workers'] = {};
  const loads: SweepResult['loads'] = {};
  let answer: Answer | undefined;
  // DuckDB is cheap and is the denominator of every ratio: it gets at least DUCKDB_MIN_ITERATIONS
  // samples (no time budget) before and again after the other cases, so one load spike cannot
  // skew the baseline.
  const benchFor = (iterations: number, timeMs: number): Bench =>
    new Bench({
      name: 'customer-merge',
      iterations,
      time: timeMs,
      concurrency: 'task',
      threshold: 1,
      warmup: false,
      throws: true,
      retainSamples: true,
    });
  const duckIterations = s.duckdbEnds ?? Math.max(DUCKDB_MIN_ITERATIONS, options.iterations);
  // DuckDB runs in every round too, so each case's ratio to it compares neighbours in time.
  const duckInRound: CaseSpec = { name: `${DUCKDB_AGGREGATES} (in round)`, kind: 'duckdb', job: duck, into: DUCKDB_AGGREGATES };
  const didNotFit = new Map<string, string>();
  const digests: Record<string, ProfileDigest> = {};
  let firstDigest: string | undefined;
  const middle: CaseSpec[] = [duckInRound, ...specs.slice(1, -1)];
  /** Measured time per middle case, for its budget. */
  const spent = new Map<string, number>();
  let round: number | undefined;
  const add = (bench: Bench, spec: CaseSpec): void => {
    bench.add(spec.name, async () => {
      const skip = (why: string): { overriddenDuration: number } => {
        didNotFit.set(spec.into, why);
        spent.set(spec.name, Infinity);
        log(`  ${spec.name}: ${why}`);
        return { overriddenDuration: 0 };
      };
      if (didNotFit.has(spec.into)) return { overriddenDuration: 0 };
      const before = await s.fits?.(spec.kind, spec.shards);
      if (before !== undefined) return skip(before);
      const job = await spec.job();
      const out = job.kind === 'pipeline' || job.kind === 'duckdb-profiles' ? job.out : undefined;
      let report: OkReport;
      try {
        try {
          report = await runJob(job);
        } catch (err) {
          const why = outOfRoom(err);
          if (why === undefined) throw err;
          return skip(why);
        }
        if (answer === undefined) answer = report.answer;
        else checkAnswer(spec.name, report.answer, answer);
        // The profiles themselves, by content, once per case: every profile-writing case must agree.
        const writesFiles = out !== undefined && !(job.kind === 'pipeline' && job.pgTable !== undefined);
        if (writesFiles && digests[spec.into] === undefined) {
          const t0 = performance.now();
          const d = await digestFiles(jsonlFiles(out));
          const first = firstDigest;
          if (first !== undefined) checkDigest(spec.into, d, digests[first]!, first);
          else firstDigest = spec.into;
          digests[spec.into] = d;
          log(`    profiles ${d.profiles}, content digest ${d.digest}${first !== undefined ? ` = ${first}'s` : ''} (checked in ${((performance.now() - t0) / 1000).toFixed(1)} s, not timed)`);
          if (d.profiles !== report.answer.profiles_generated) throw new Error(`${spec.name} wrote ${d.profiles} profiles but reported ${report.answer.profiles_generated}`);
        }
      } finally {
        if (out !== undefined) await rm(out, { recursive: true, force: true });
        if (job.kind === 'duckdb-profiles') await rm(job.tempDir, { recursive: true, force: true });
      }
      const sample: RunSample = { ...sampleOf(report), ...(round !== undefined ? { round } : {}) };
      samples.set(spec.into, [...(samples.get(spec.into) ?? []), sample]);
      // DuckDB, the denominator, is cheap and runs in every round whatever the budget.
      if (spec.kind !== 'duckdb') spent.set(spec.name, (spent.get(spec.name) ?? 0) + sample.wallMs);
      if (job.kind === 'pipeline') (workers[spec.name] ??= []).push(report.workers.map((w) => ({ ...w })));
      if (report.load !== undefined) (loads[spec.name] ??= []).push({ ...report.load });
      const workerPeak = sample.workerPeakKb !== undefined ? `, largest worker ${Math.round(sample.workerPeakKb / 1024)} MiB` : '';
      const helper = sample.workerHelperCpuMs !== undefined ? ` (${(sample.workerHelperCpuMs / 1000).toFixed(2)} s of it on workers' helper threads)` : '';
      log(`  ${spec.name}: ${(sample.wallMs / 1000).toFixed(2)} s wall, ${(sample.cpuMs / 1000).toFixed(2)} s CPU${helper}, main ${Math.round(sample.mainPeakKb / 1024)} MiB${workerPeak}`);
      if (report.workers.length > 0) log(`    by task: ${cpuByTask(report.workers)}`);
      return { overriddenDuration: sample.wallMs };
    });
  };
  if (duckIterations > 0) {
    const first = benchFor(duckIterations, 0);
    add(first, specs[0]!);
    await first.run();
  }
  // The other cases run in rounds, each case once per round, so the runs a ratio compares are
  // neighbours in time (stats.pairedRatio); see roundPlan for the order and the budget.
  for (let r = 0; r < options.iterations; r++) {
    const plan = roundPlan(middle.map((c) => c.name), r, spent, r === 0 ? Infinity : options.budgetSeconds * 1000);
    // DuckDB is never out of budget: a round with nothing else left is not run.
    if (plan.every((name) => name === duckInRound.name)) break;
    round = r;
    log(`round ${r + 1}/${options.iterations}: ${plan.join(', ')}`);
    const bench = benchFor(1, 0);
    for (const name of plan) add(bench, middle.find((c) => c.name === name)!);
    await bench.run();
  }
  round = undefined;
  if (duckIterations > 0) {
    const last = benchFor(duckIterations, 0);
    add(last, specs[specs.length - 1]!);
    await last.run();
  }
  if (answer === undefined) throw new Error(`the bench measured nothing${didNotFit.size > 0 ? `: ${[...didNotFit].map(([n, w]) => `${n}: ${w}`).join('; ')}` : ''}`);
  for (const [name, runs] of Object.entries(loads)) {
    const wrong = name.startsWith('pg re-load') ? runs.find((l) => l.inserted + l.updated > 0) : runs.find((l) => l.inserted !== answer!.profiles_generated);
    if (wrong !== undefined) throw new Error(`${name}: unexpected load counts ${JSON.stringify(wrong)} for ${answer.profiles_generated} profiles`);
  }
  const cases: CaseResult[] = [];
  for (const spec of specs) {
    if (spec.into !== spec.name) continue;
    const why = didNotFit.get(spec.name);
    cases.push({ name: spec.name, kind: spec.kind, ...(spec.shards !== undefined ? { shards: spec.shards } : {}), samples: samples.get(spec.name) ?? [], ...(why !== undefined ? { didNotFit: why } : {}) });
  }
  return { cases, answer, workers, loads, pgTables, digests };
}
