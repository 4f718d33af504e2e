#!/usr/bin/env node
/**
 * Where a run's time goes, under V8's sampling CPU profiler, in this process:
 * - `--mode run` (default): the whole `merge_customer_data` run on the in-process runtime (every
 *   task, whatever data path the tasks use: partitioning, spills, scans), so nothing is missed;
 * - `--mode shard`: one shard's `runShard` over the scanning data path (`scanShardRows`).
 * Every sample is attributed to the nearest project function on its stack, grouped by file and by
 * phase (read/parse, type, route, merge, enrich, key, write, gc). Builtins (JSON.stringify, Map
 * lookups, Buffer work) count for the project code that called them, so "write" includes the
 * stringify. Inline runs have no process isolation, so this is a profile, not a timing.
 *
 *   npm run build && node dist/bench/profile.js --customers 100000 --shards 10
 *   node dist/bench/profile.js --data path/to/csvs --mode shard --shards 10 --shard 3 --json /tmp/prof.json
 *
 * For before/after comparisons of a data-path change: same dataset, same shard, compare the tables.
 */
import { Session } from 'node:inspector/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { scanShardRows } from '../src/io/row-source.js';
import { InlineRuntime } from '../src/runtime/inline.js';
import { mergeCustomerData } from '../src/tasks/merge-customer-data.js';
import { runShard } from '../src/tasks/shard/work.js';
import { ensureDataset } from './dataset.js';
import { attribute } from './profile-attribution.js';
import type { CpuProfile } from './profile-attribution.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      customers: { type: 'string' },
      seed: { type: 'string' },
      shards: { type: 'string' },
      shard: { type: 'string' },
      top: { type: 'string' },
      json: { type: 'string' },
      mode: { type: 'string' },
    },
    strict: true,
  });
  // The tasks' structured logs would drown the report; warnings and errors still show.
  process.env['LOG_LEVEL'] ??= 'warn';
  const mode = values.mode ?? 'run';
  if (mode !== 'run' && mode !== 'shard') throw new Error(`--mode must be run or shard, got ${JSON.stringify(mode)}`);
  const shards = Number(values.shards ?? (mode === 'run' ? '10' : '1'));
  const shard = Number(values.shard ?? '0');
  if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(shard) || shard < 0 || shard >= shards) {
    throw new Error(`--shards must be ≥ 1 and --shard in 0..shards-1, got --shards ${values.shards} --shard ${values.shard}`);
  }
  const data =
    values.data ??
    (await ensureDataset({ customers: Number(values.customers ?? '100000'), seed: Number(values.seed ?? '1'), duplicates: 0 }, undefined, (l) => process.stderr.write(`${l}\n`))).dir;
  const out = await mkdtemp(join(tmpdir(), 'customer-merge-profile-'));
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  const input = { run_id: 'profile', shard_index: shard, shard_count: shards, data, out_dir: out };
  const t0 = performance.now();
  await session.post('Profiler.start');
  let profiles: number;
  let read: number;
  let profile: CpuProfile;
  try {
    if (mode === 'run') {
      const r = await new InlineRuntime().run(mergeCustomerData, { data, out_dir: out, shards, max_rejects: 0 });
      profiles = r.profiles_generated;
      read = r.records_processed;
    } else {
      const r = await runShard(input, scanShardRows(data, shard, shards));
      profiles = r.profiles;
      read = Object.values(r.sources).reduce((n, c) => n + c.read, 0);
    }
  } finally {
    profile = (await session.post('Profiler.stop')).profile as unknown as CpuProfile;
    session.disconnect();
    await rm(out, { recursive: true, force: true });
  }
  const wallMs = performance.now() - t0;
  const report = attribute(profile);
  const top = Number(values.top ?? '12');
  const what = mode === 'run' ? `whole run, ${shards} shards, in-process` : `shard ${shard} of ${shards}`;
  const lines = [
    `${what} on ${data}: ${profiles} profiles from ${read} rows, ${(wallMs / 1000).toFixed(2)} s wall, ${(report.totalMs / 1000).toFixed(2)} s sampled`,
    '',
    'by phase (self time, builtins counted for their project caller):',
    ...report.phases.filter((p) => p.pct >= 0.1).map((p) => `  ${p.name.padEnd(26)} ${(p.ms / 1000).toFixed(2).padStart(7)} s  ${p.pct.toFixed(1).padStart(5)} %`),
    '',
    'by file:',
    ...report.files.slice(0, top).map((f) => `  ${f.name.padEnd(40)} ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.pct.toFixed(1).padStart(5)} %`),
    '',
    'top functions (self time, builtins on their own):',
    ...report.functions.slice(0, top).map((f) => `  ${f.name.padEnd(56)} ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.pct.toFixed(1).padStart(5)} %`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json !== undefined) {
    await writeFile(values.json, `${JSON.stringify({ mode, data, shards, shard, wallMs, profiles, rows: read, ...report }, null, 2)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`profile: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
