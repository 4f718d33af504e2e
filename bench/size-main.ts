/**
 * `npm run bench -- --customers A,B,...`: runs the size sweep, prints its table and writes
 * bench/results/<name>.{json,md,svg} (report: size-report.ts, chart: size-chart.ts).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from './args.js';
import { duckdbMemoryLimit } from './baselines/duckdb-profiles.js';
import { projectRoot } from './dataset.js';
import { machineFacts } from './machine.js';
import { buildSizeChartSvg } from './size-chart.js';
import { SIZE_HEADERS, caseDoes, growthOf, memoryStory, peakMiB, sizeMarkdown, sizeRows } from './size-report.js';
import { runSizeSweep, sizeCases } from './size-sweep.js';
import type { SizeRun } from './size-sweep.js';
import { formatTable } from './stats.js';

export async function sizeMain(argv: readonly string[], options: BenchOptions, log: (line: string) => void): Promise<number> {
  const startedAt = new Date().toISOString();
  const root = projectRoot();
  const machine = machineFacts(root);
  const memoryLimit = duckdbMemoryLimit();
  const command = ['npm run bench --', ...argv].join(' ').replace(/ --$/, '');
  log(`customer-merge size sweep: customers ${options.sizes.join(',')}, seed ${options.seed}, shards ${options.shards.join(',')}, ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}; DuckDB profiles memory limit ${memoryLimit}`);
  const scratchRoot = join(tmpdir(), `customer-merge-sizes-${process.pid}`);
  const write = (runs: readonly SizeRun[], final: boolean): Promise<void> => writeReport({ argv, options, runs, startedAt, machine, memoryLimit, command, final });
  let runs: SizeRun[];
  try {
    runs = await runSizeSweep({ options, scratchRoot, duckdbMemoryLimit: memoryLimit, log, onSize: (r) => write(r, false) });
  } finally {
    await rm(scratchRoot, { recursive: true, force: true });
  }
  await write(runs, true);
  return 0;
}

interface WriteInput {
  readonly argv: readonly string[];
  readonly options: BenchOptions;
  readonly runs: readonly SizeRun[];
  readonly startedAt: string;
  readonly machine: ReturnType<typeof machineFacts>;
  readonly memoryLimit: string;
  readonly command: string;
  /** False while sizes remain: the files are rewritten after each size, the table printed at the end. */
  readonly final: boolean;
}

/** Writes bench/results/<name>.{json,md,svg} for the runs so far (and prints the table when final). */
async function writeReport({ options, runs, startedAt, machine, memoryLimit, command, final }: WriteInput): Promise<void> {
  const root = projectRoot();
  const rows = sizeCases(runs, options);
  const title = `customer-merge size sweep: ${options.sizes.map((n) => n.toLocaleString('en-US')).join(', ')} customers (seed ${options.seed}${options.duplicates > 0 ? `, duplicates ${options.duplicates}` : ''}), shards ${options.shards.join(', ')}, concurrency ${options.concurrency}, ${machine.cpuCount} × ${machine.cpuModel}, ${Math.round(machine.totalMemMiB / 1024)} GiB, Node ${machine.node}`;
  const checks = runs.map((r) => {
    const names = Object.keys(r.digests);
    const d = names.length > 0 ? r.digests[names[0]!] : undefined;
    if (r.didNotFit !== undefined) return `- ${r.customers.toLocaleString('en-US')}: ${r.didNotFit}`;
    return `- ${r.customers.toLocaleString('en-US')} customers: every run's aggregate (profiles, records, health sum, both distributions) equal to the first run's${r.answer !== undefined ? ` (${r.answer.profiles_generated.toLocaleString('en-US')} profiles, ${r.answer.records_processed.toLocaleString('en-US')} records)` : ''}; profile contents equal by digest (${d?.digest ?? '–'}) for ${names.join(', ')}`;
  });
  const notes = [
    ...(final ? [] : [`Partial: sizes done so far ${runs.map((r) => r.customers.toLocaleString('en-US')).join(', ')} (the run had not finished when this was written).`, '']),
    'Checks (a disagreement fails the bench):',
    '',
    ...checks,
    '',
    `Peak memory is each process's own peak RSS (VmHWM), measured in a fresh process per run: for DuckDB the process running it, for the pipeline the orchestrator ("main") and the largest worker. DuckDB profiles runs under SET memory_limit = '${memoryLimit}' (BENCH_DUCKDB_MEMORY) and spills to a temp directory; the aggregate-only query runs with DuckDB's default limit (80% of RAM). µs / customer = wall time ÷ customers.`,
  ];
  const loadRows = runs.map((r) => ({ customers: r.customers, start: r.load.start, end: r.load.end }));
  const md = sizeMarkdown({ command, title, seed: options.seed, rows, load: loadRows, cores: machine.availableParallelism, notes });
  const growth = growthOf(rows);
  const text = [title, '', formatTable(SIZE_HEADERS, sizeRows(rows)), '', ...memoryStory(growth), '', ...loadRows.map((l) => `load average at ${l.customers.toLocaleString('en-US')}: ${l.start.join(' ')} → ${l.end.join(' ')}`), ''];
  if (final) process.stdout.write(`${text.join('\n')}\n`);
  const label = (name: string): string => {
    const r = rows.find((x) => x.name === name)!;
    return `${name}: ${caseDoes(r.kind, r.shards)}`;
  };
  const names = [...new Set(rows.map((r) => r.name))];
  const series = (value: (r: (typeof rows)[number]) => number | null) =>
    names.map((name) => ({
      label: label(name),
      points: rows.filter((r) => r.name === name).flatMap((r) => {
        const v = value(r);
        return v === null ? [] : [{ customers: r.customers, value: v }];
      }),
    }));
  const svg = buildSizeChartSvg({
    title: 'customer-merge vs DuckDB: wall time and peak memory against data size',
    subtitle: `seed ${options.seed}, ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}; log scales; DuckDB profiles memory limit ${memoryLimit}`,
    wall: series((r) => (r.summary === undefined ? null : r.summary.wallMedianMs / 1000)),
    memory: series((r) => (r.summary === undefined ? null : peakMiB(r.summary))),
  });
  const report = {
    version: 1,
    kind: 'size-sweep',
    command,
    startedAt,
    finishedAt: final ? new Date().toISOString() : null,
    sizesDone: runs.map((r) => r.customers),
    machine,
    options,
    duckdbMemoryLimit: memoryLimit,
    load: loadRows,
    rows,
    growth,
    runs: runs.map((r) => ({ ...r, dataset: r.dataset === undefined ? undefined : { ...r.dataset, dir: r.dataset.dir.startsWith(root) ? r.dataset.dir.slice(root.length + 1) : r.dataset.dir } })),
  };
  const dir = join(root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const base = join(dir, options.name);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, md);
  await writeFile(`${base}.svg`, svg);
  if (final) process.stdout.write(`wrote ${base}.json, ${base}.md and ${base}.svg\n`);
  else process.stderr.write(`wrote ${base}.json, .md and .svg for ${runs.map((r) => r.customers).join(', ')} customers so far\n`);
}
