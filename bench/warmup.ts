#!/usr/bin/env node
/**
 * The warm-up probe: what a fresh process costs one shard. Every task run starts a fresh process
 * (Render gives it a fresh instance; the embedded runtime forks a worker), so every shard pays
 * for starting Node, loading the task code and a JIT that compiles its hot code again, and a run
 * of N shards pays it N times. This measures that price on one shard, side by side in each round:
 * one fresh process runs the shard several times in a row (its first run cold, the others warm),
 * then two fresh processes run it at once (both cores busy, as in a pipeline run). Rounds
 * alternate their order; figures are medians over rounds of per-round figures.
 *
 *   npm run build && node dist/bench/warmup.js --customers 1000000 --shards 16 --shard 5
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatHelp, parseTable, wholeNumberIn } from '../src/cli/options.js';
import { InvalidOptionError } from '../src/core/errors.js';
import { SOURCE_NAMES } from '../src/core/schema.js';
import type { ShardInput } from '../src/tasks/contracts.js';
import { partitionSource } from '../src/tasks/partition-source.js';
import { datasetKey, ensureDataset } from './dataset.js';
import { formatTable } from './stats.js';
import type { RunCost } from './warmup-child.js';
import { probe } from './warmup-probe.js';
import { roundFigures, summarizeWarmup } from './warmup-stats.js';
import type { WarmupFigures, WarmupRound } from './warmup-stats.js';

/** The probe's options. */
const WARMUP_OPTIONS = {
  customers: { type: 'string', value: 'N', help: 'customers in the dataset (.cache/datasets/<customers>-<seed>)', default: 1_000_000, parse: wholeNumberIn(1, 100_000_000) },
  seed: { type: 'string', value: 'N', help: 'generator seed', default: 1, parse: wholeNumberIn(0, Number.MAX_SAFE_INTEGER) },
  shards: { type: 'string', value: 'N', help: 'shard count the input is partitioned for', default: 16, parse: wholeNumberIn(1, 1024) },
  shard: { type: 'string', value: 'I', help: 'the shard measured', default: 0, parse: wholeNumberIn(0, 1023) },
  rounds: { type: 'string', value: 'N', help: 'rounds', default: 3, parse: wholeNumberIn(1, 50) },
  runs: { type: 'string', value: 'N', help: 'runs of the shard in the one process of a round (≥ 2)', default: 4, parse: wholeNumberIn(2, 50) },
  json: { type: 'string', value: 'FILE', help: 'also write the rounds and medians as JSON' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const;

const USAGE = formatHelp(
  'node dist/bench/warmup.js [options]   (after npm run build)',
  "What a fresh process costs one shard: start-up, and the first run's JIT warm-up against later runs\nof the same shard in the same process; and the same cold run beside a second fresh process.",
  WARMUP_OPTIONS,
);

const s = (ms: number | null): string => (ms === null ? '–' : (ms / 1000).toFixed(2));
const x = (r: number | null): string => (r === null ? '–' : `${r.toFixed(2)}x`);

/** The table's rows: a figure's name, its median, and each round's value. */
const ROWS: readonly [string, (f: WarmupFigures) => string][] = [
  ['start-up: Node + task code (CPU s)', (f) => s(f.startupCpuMs)],
  ['first run, JIT cold (CPU s)', (f) => s(f.coldCpuMs)],
  ['later runs, JIT warm (CPU s)', (f) => s(f.warmCpuMs)],
  ['JIT warm-up: cold − warm (CPU s)', (f) => s(f.warmupCpuMs)],
  ['a fresh process adds: start-up + warm-up (CPU s)', (f) => s(f.freshProcessCpuMs)],
  ['cold ÷ warm', (f) => x(f.coldOverWarm)],
  ['helper threads, cold run (CPU s)', (f) => s(f.coldHelperCpuMs)],
  ['helper threads, warm run (CPU s)', (f) => s(f.warmHelperCpuMs)],
  ['cold run beside another fresh process (CPU s)', (f) => s(f.besideCpuMs)],
  ['beside ÷ alone', (f) => x(f.besideOverAlone)],
];

async function main(argv: readonly string[]): Promise<void> {
  const v = parseTable(argv, WARMUP_OPTIONS);
  if (v.help === true) {
    console.log(USAGE);
    return;
  }
  const { customers, seed, shards, shard, rounds, runs } = v;
  if (shard >= shards) throw new InvalidOptionError(`--shard must be below --shards (${shards}), got ${shard}`);
  const spec = { customers, seed, duplicates: 0 };
  const ds = await ensureDataset(spec, undefined, (l) => console.error(l));
  const work = await mkdtemp(join(tmpdir(), 'customer-merge-warmup-'));
  try {
    const spill = join(work, 'spill');
    const out = join(work, 'out');
    await mkdir(out);
    const ctx = { run: () => Promise.reject(new Error('no fan-out in the warm-up probe')) };
    for (const source of SOURCE_NAMES) await partitionSource.func(ctx, { run_id: 'warmup', source, data: ds.dir, shard_count: shards, spill_dir: spill });
    const input: ShardInput = { run_id: 'warmup', shard_index: shard, shard_count: shards, data: ds.dir, out_dir: out, layout: { kind: 'partitioned', spill_dir: spill } };
    console.log(`warm-up probe: dataset ${datasetKey(spec)} (seed ${seed}), shard ${shard} of ${shards}, ${rounds} rounds of: one fresh process running the shard ${runs} times; two fresh processes at once running it once`);
    const done: WarmupRound[] = [];
    let profiles: number | undefined;
    const check = (costs: readonly RunCost[]): void => {
      for (const c of costs) {
        profiles ??= c.profiles;
        if (c.profiles !== profiles) throw new Error(`the shard wrote ${c.profiles} profiles in one run and ${profiles} in another: the runs did not do the same work`);
      }
    };
    for (let r = 0; r < rounds; r++) {
      const aloneRun = () => probe({ input, runs });
      const besideRuns = async () => (await Promise.all([probe({ input, runs: 1 }), probe({ input, runs: 1 })])).map((p) => p.runs[0]!);
      // Odd rounds run the pair first, so a drift of the machine does not favour one side.
      let alone: Awaited<ReturnType<typeof aloneRun>>;
      let beside: RunCost[];
      if (r % 2 === 0) {
        alone = await aloneRun();
        beside = await besideRuns();
      } else {
        beside = await besideRuns();
        alone = await aloneRun();
      }
      check(alone.runs);
      check(beside);
      done.push({ alone: { startup: alone.startup, runs: alone.runs }, beside });
      const f = roundFigures(done[r]!);
      console.log(`round ${r + 1}: start-up ${s(f.startupCpuMs)} s · cold ${s(f.coldCpuMs)} s · warm ${s(f.warmCpuMs)} s (cold ÷ warm ${x(f.coldOverWarm)}) · cold beside another ${s(f.besideCpuMs)} s (${x(f.besideOverAlone)} alone)`);
    }
    const summary = summarizeWarmup(done);
    const m = summary.median;
    console.log(`\nshard ${shard} of ${shards}: ${profiles} customers, seed ${seed}; medians over ${rounds} rounds\n`);
    console.log(formatTable(['figure', 'median', ...summary.rounds.map((_, k) => `round ${k + 1}`)], ROWS.map(([name, fig]) => [name, fig(m), ...summary.rounds.map(fig)])));
    console.log(`\nA run of ${shards} shards starts ${shards} such processes: ${shards} × ${s(m.freshProcessCpuMs)} s = ${s(shards * m.freshProcessCpuMs)} s of CPU that one process running all shards would pay about once.`);
    if (v.json !== undefined) {
      await writeFile(v.json, `${JSON.stringify({ command: `node dist/bench/warmup.js ${argv.join(' ')}`.trim(), dataset: datasetKey(spec), seed, shards, shard, profiles, runsPerProcess: runs, rounds: done, figures: summary }, null, 2)}\n`);
      console.log(`wrote ${v.json}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof InvalidOptionError ? `error: ${err.message}\n\n${USAGE}` : err);
  process.exitCode = 1;
});
