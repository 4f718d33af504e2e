#!/usr/bin/env node
/**
 * `npm run bench -- [options]`: the shard-count benchmark (with a list of sizes, the size sweep:
 * size-main.ts). Generates (or reuses) the dataset, measures DuckDB (aggregates only, and writing
 * the same profiles), the single-process reference and the local pipeline at each shard count
 * side by side, optionally the PostgreSQL sink and the deployed workflow, then the component
 * rates; prints the table and writes bench/results/<name>.{json,md,svg}. Progress goes to stderr,
 * the table and the paths to stdout. Exit code 1 with the reason on any failure.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_USAGE, parseBenchArgs } from './args.js';
import type { BenchOptions } from './args.js';
import { buildChartSvg } from './chart.js';
import { componentRates } from './components.js';
import type { ComponentRate } from './components.js';
import { datasetKey, defaultCacheRoot, ensureDataset, projectRoot } from './dataset.js';
import type { Dataset } from './dataset.js';
import { deployedSweep } from './deployed.js';
import type { DeployedSweepResult } from './deployed.js';
import { deployedSection } from './deployed-table.js';
import { machineFacts } from './machine.js';
import type { MachineFacts } from './machine.js';
import { TABLE_HEADERS, formatMarkdown, formatTable, humanRate, summarize, tableRows } from './stats.js';
import type { CaseResult, CaseSummary } from './stats.js';
import { runSweep } from './sweep.js';
import type { SweepResult } from './sweep.js';
import { formatTargets, targetChecks } from './targets.js';
import { dropPgTables, pgReady } from './pg.js';
import { duckdbMemoryLimit } from './baselines/duckdb-profiles.js';
import { estimateNeed, fitVerdict, roomAt } from './limits.js';
import { sizeMain } from './size-main.js';
import { storeMain } from './store-main.js';
import { didNotFitRows } from './stats.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Deployed rows as bench cases, so they share the table, the JSON and the chart. */
function deployedCases(d: DeployedSweepResult): CaseResult[] {
  if ('skipped' in d) return [];
  return d.rows.map((r) => ({
    name: `${d.local ? 'Render dev server' : 'Render'} ${r.shards} shard${r.shards === 1 ? '' : 's'}`,
    kind: 'deployed' as const,
    shards: r.shards,
    // Wall time as the client saw it; billed compute ≈ the sum of the shards' elapsed times,
    // where local runs put CPU.
    samples: [{ wallMs: r.clientWallMs, cpuMs: r.shardElapsedMs.reduce((a, b) => a + b, 0), mainPeakKb: 0 }],
  }));
}

/**
 * The PostgreSQL load rate: profiles per second end to end, and for the load itself (the pg run's
 * wall time minus the files run's at the same shard count, when the sweep has one).
 */
function pgLines(summary: readonly CaseSummary[], sweep: SweepResult): string[] {
  const lines: string[] = [];
  const profiles = sweep.answer.profiles_generated;
  for (const s of summary.filter((c) => c.kind === 'pg')) {
    const files = summary.find((c) => c.kind === 'local' && c.shards === s.shards);
    const extra = files === undefined ? null : s.wallMedianMs - files.wallMedianMs;
    const load = sweep.loads[s.name]?.[0];
    const counts = load === undefined ? '' : ` (inserted ${load.inserted}, updated ${load.updated}, unchanged ${load.unchanged})`;
    const own = extra !== null && extra > 0 ? `; ${(extra / 1000).toFixed(2)} s more than the files sink → ${humanRate(profiles / (extra / 1000))} profiles/s for the load itself` : '';
    lines.push(`${s.name}: ${humanRate(profiles / (s.wallMedianMs / 1000))} profiles/s end to end${counts}${own}`);
  }
  if (lines.length > 0) lines.push('');
  return lines;
}

export interface BenchReport {
  readonly version: 1;
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineFacts;
  readonly loadAverageAtEnd: readonly number[];
  /** DuckDB's memory limit in the profiles baseline. */
  readonly duckdbMemoryLimit: string;
  /** Content digest of each profile-writing case (all equal). */
  readonly digests: SweepResult['digests'];
  readonly dataset: Omit<Dataset, 'dir'> & { readonly key: string; readonly dir: string };
  readonly options: BenchOptions;
  readonly answer: SweepResult['answer'];
  readonly cases: CaseResult[];
  readonly summary: CaseSummary[];
  readonly targets: ReturnType<typeof targetChecks>;
  readonly workers: SweepResult['workers'];
  readonly pg: { readonly loads: SweepResult['loads'] } | { readonly skipped: string };
  readonly components: ComponentRate[] | null;
  readonly deployed: DeployedSweepResult;
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchArgs(argv, process.env);
  if (options.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  if (options.store) return storeMain(argv, options, log);
  if (options.sizes.length > 1) return sizeMain(argv, options, log);
  const memoryLimit = duckdbMemoryLimit();
  const startedAt = new Date().toISOString();
  const root = projectRoot();
  const machine = machineFacts(root);
  log(`customer-merge bench: ${options.customers} customers, seed ${options.seed}, shards ${options.shards.join(',')}, ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`);
  const dataset = await ensureDataset({ customers: options.customers, seed: options.seed, duplicates: options.duplicates }, defaultCacheRoot(), log);
  log(`dataset ${dataset.dir}: ${dataset.rows} rows, ${(dataset.bytes / 2 ** 20).toFixed(1)} MiB (seed ${dataset.seed})`);
  log(`local cases: concurrency ${options.concurrency}, shards dealt to ${options.workers === 'shards' ? 'one process_shard task each' : options.workers === null ? `min(shards, ${options.concurrency}) shard tasks, as npm start` : `at most ${options.workers} shard tasks`}`);

  let pgTable: string | undefined;
  let pgSkip: string | undefined;
  if (options.pg) {
    const ready = await pgReady();
    if (ready.ok) pgTable = `bench_profiles_${process.pid}`;
    else pgSkip = `PostgreSQL load skipped: ${ready.reason}`;
  } else {
    pgSkip = 'PostgreSQL load not measured (use --pg, or set DATABASE_URL)';
  }
  if (pgSkip !== undefined) log(pgSkip);

  const scratch = join(tmpdir(), `customer-merge-bench-${process.pid}`);
  await mkdir(scratch, { recursive: true });
  const fits = async (kind: CaseResult['kind']): Promise<string | undefined> =>
    fitVerdict(estimateNeed(kind, options.customers, { concurrency: options.concurrency, duckdbMemoryLimit: memoryLimit }), await roomAt(scratch));
  let sweep: SweepResult;
  try {
    sweep = await runSweep({ options, dataset, scratch, log, duckdbMemoryLimit: memoryLimit, fits, ...(pgTable !== undefined ? { pgTable } : {}) });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  if (sweep.pgTables.length > 0) await dropPgTables(sweep.pgTables);

  let components: ComponentRate[] | null = null;
  if (options.components) {
    log('components (in memory, one process):');
    components = await componentRates(dataset.dir, { log });
  }

  // Locally the dev server's shards share this disk: a fresh folder, so no shard reuses another
  // run's output; in a bucket, a fresh prefix under the one asked for, for the same reason.
  const inBucket = /^s3:/i.test(options.deployedOut);
  const deployedOut = inBucket ? `${options.deployedOut.replace(/\/+$/, '')}/bench-${startedAt.replace(/[^0-9]/g, '').slice(0, 14)}` : options.local ? join(tmpdir(), `customer-merge-deployed-${process.pid}`) : options.deployedOut;
  let deployed: DeployedSweepResult = { skipped: 'deployed sweep not requested (--deployed, with RENDER_API_KEY and RENDER_WORKFLOW_SLUG set, or --local)' };
  try {
    if (options.deployed) {
      deployed = await deployedSweep({ shardCounts: [...options.shards], data: options.deployedData ?? dataset.dir, local: options.local, answer: sweep.answer, log, outDir: deployedOut });
    }
  } finally {
    if (options.local && !inBucket) await rm(deployedOut, { recursive: true, force: true });
  }
  if ('skipped' in deployed) log(deployed.skipped);

  const cases = [...sweep.cases, ...deployedCases(deployed)];
  const summary = summarize(cases, dataset.rows);
  const targets = targetChecks(summary);
  const rows = [...tableRows(summary), ...didNotFitRows(cases)];
  const title = `${options.customers.toLocaleString('en-US')} customers (seed ${options.seed}${options.duplicates > 0 ? `, duplicates ${options.duplicates}` : ''}), ${dataset.rows.toLocaleString('en-US')} rows, ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}`;
  const localWall = new Map(summary.filter((c) => c.kind === 'local' && c.shards !== null).map((c) => [c.shards as number, c.wallMedianMs]));
  const deployedLines = (format: typeof formatTable): string[] => ('rows' in deployed ? deployedSection(deployed.rows, deployed.local, localWall, format) : []);
  const loadEnd = machineFacts(root).loadAverage;
  const busy = `load average ${machine.loadAverage[0]} at start, ${loadEnd[0]} at end, on ${machine.availableParallelism} cores${(machine.loadAverage[0] ?? 0) > machine.availableParallelism ? ' (a busy machine: read the ratios, not the seconds)' : ''}`;
  const digestNames = Object.keys(sweep.digests);
  const checked = `every run's aggregate equal to DuckDB's; profile contents equal by digest (${digestNames.length > 0 ? sweep.digests[digestNames[0]!]!.digest : '–'}) for ${digestNames.join(', ') || 'no case'}; DuckDB profiles under memory_limit ${memoryLimit}`;
  const out: string[] = [title, busy, checked, '', formatTable(TABLE_HEADERS, rows), '', ...deployedLines(formatTable)];
  if (components !== null) {
    out.push('components (rows or profiles per second, one core, in memory):');
    for (const c of components) out.push(`  ${c.component.padEnd(26)} ${humanRate(c.perSecond).padStart(7)} ${c.unit}/s  (${c.usPerItem.toFixed(2)} µs each)`);
    out.push('');
  }
  for (const line of pgLines(summary, sweep)) out.push(line);
  out.push('performance targets (informational):', formatTargets(targets), '');
  process.stdout.write(`${out.join('\n')}\n`);

  const dir = join(root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const report: BenchReport = {
    version: 1,
    command: ['npm run bench --', ...argv].join(' ').replace(/ --$/, ''),
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    loadAverageAtEnd: loadEnd,
    duckdbMemoryLimit: memoryLimit,
    digests: sweep.digests,
    dataset: { ...dataset, key: datasetKey(dataset), dir: dataset.dir.startsWith(root) ? dataset.dir.slice(root.length + 1) : dataset.dir },
    options,
    answer: sweep.answer,
    cases,
    summary,
    targets,
    workers: sweep.workers,
    pg: pgTable !== undefined ? { loads: sweep.loads } : { skipped: pgSkip ?? '' },
    components,
    deployed,
  };
  const local = summary.filter((s) => s.kind === 'local').map((s) => ({ shards: s.shards ?? 0, wallMs: s.wallMedianMs }));
  const remote = summary.filter((s) => s.kind === 'deployed').map((s) => ({ shards: s.shards ?? 0, wallMs: s.wallMedianMs }));
  const duck = summary.find((s) => s.kind === 'duckdb');
  const duckProfiles = summary.find((s) => s.kind === 'duckdb-profiles');
  const ref = summary.find((s) => s.kind === 'reference');
  const svg = buildChartSvg({
    title: 'customer-merge: wall time and speed-up vs shard count',
    subtitle: title,
    local,
    ...(remote.length > 0 ? { deployed: remote, ...('rows' in deployed && deployed.local ? { deployedLabel: 'Render dev server' } : {}) } : {}),
    ...(duck !== undefined ? { duckdbMs: duck.wallMedianMs } : {}),
    ...(duckProfiles !== undefined ? { duckdbProfilesMs: duckProfiles.wallMedianMs } : {}),
    ...(ref !== undefined ? { referenceMs: ref.wallMedianMs } : {}),
  });
  const mdComponents =
    components === null
      ? []
      : ['Components (one core, in memory):', '', formatMarkdown(['component', 'rate', 'µs each'], components.map((c) => [c.component, `${humanRate(c.perSecond)} ${c.unit}/s`, c.usPerItem.toFixed(2)])), ''];
  const md = [
    `Command: \`${report.command}\``,
    '',
    title,
    busy,
    checked,
    '',
    formatMarkdown(TABLE_HEADERS, rows),
    '',
    ...deployedLines(formatMarkdown),
    ...mdComponents,
    ...pgLines(summary, sweep),
    'Performance targets (informational):',
    '',
    '```',
    formatTargets(targets),
    '```',
    '',
  ].join('\n');
  const base = join(dir, options.name);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, md);
  await writeFile(`${base}.svg`, svg);
  process.stdout.write(`wrote ${base}.json, ${base}.md and ${base}.svg (PNG not produced: no renderer without a dependency)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`bench: ${message}\n`);
    process.exitCode = 1;
  },
);
