/**
 * An interrupted run followed by a re-run ends with exactly the output of an uninterrupted run,
 * wherever the interruption falls. Property-style: for each seed, a seeded PRNG picks the moment
 * to SIGKILL the whole run (the CLI and its workers, as a process group) anywhere from its start
 * to past its usual end; the run is then resumed. Needs `npm run build` (the CLI runs from dist/).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InlineRuntime } from '../runtime/inline.js';
import type { RunResult } from '../tasks/contracts.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import { findReusableShard } from '../tasks/shard/resume.js';
import { runAndKill } from './kill.js';
import { NO_CHAOS_ENV } from './scenarios.js';
import { writeSmallFixture, tempDirs } from '../testing/small-fixture.js';
import { checkExactlyOnce, comparableResult, leftoverTemps, onceHolds, outputCensus, outputTree, readInputFacts } from './verify.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const SHARDS = 6;
/** Seeds whose kill points fall at about 1%, 32%, 55% and 102% of a run; KILL_SEEDS=1,2,3 tries others. */
const SEEDS = (process.env['KILL_SEEDS'] ?? '7,12,10,4').split(',').map(Number);

/** mulberry32: a tiny seeded PRNG, so a failing seed replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let data: string;
let baseline: RunResult;
let baselineTree: Map<string, string>;
let customers: ReadonlySet<string>;
/** How long an uninterrupted CLI run takes here, to spread kill points over it. */
let fullRunMs: number;

beforeAll(async () => {
  data = await writeSmallFixture(await dirs.make('cm-kill-data-'), 300);
  baseline = await new InlineRuntime().run(mergeCustomerData, { data, out_dir: await dirs.make('cm-kill-base-'), shards: SHARDS });
  baselineTree = await outputTree(baseline.out_dir);
  customers = (await readInputFacts(data)).customers;
  const full = await runAndKill({ data, outDir: await dirs.make('cm-kill-full-'), shards: SHARDS, concurrency: 2, afterManifests: SHARDS + 1, extraDelayMs: 0, env: { ...NO_CHAOS_ENV, LOG_LEVEL: 'silent' } });
  expect(full.exitCode, full.stderr).toBe(0);
  fullRunMs = full.elapsedMs;
}, 120_000);

describe('kill the whole run at a random point, then resume (property, seeded)', () => {
  it.each(SEEDS)('seed %i: the resumed run ends with exactly the output of an uninterrupted run', async (seed) => {
    const delay = Math.floor(prng(seed)() * fullRunMs * 1.1);
    const out = await dirs.make(`cm-kill-${seed}-`);
    const kill = await runAndKill({ data, outDir: out, shards: SHARDS, concurrency: 2, afterManifests: 0, extraDelayMs: delay, env: { ...NO_CHAOS_ENV, LOG_LEVEL: 'silent' } });
    const complete: number[] = [];
    for (let i = 0; i < SHARDS; i++) {
      const found = await findReusableShard({ run_id: 'x', shard_index: i, shard_count: SHARDS, data, out_dir: out, input_digest: baseline.input_digest! });
      if ('result' in found) complete.push(i);
    }
    const temps = (await leftoverTemps(out)).length;
    const why = `seed ${seed}: kill after ${delay} ms of a ~${fullRunMs} ms run (killed: ${kill.killed}; complete shards [${complete.join(',')}], ${temps} temp file(s))`;
    const resumed = await new InlineRuntime().run(mergeCustomerData, { data, out_dir: out, shards: SHARDS });
    expect(resumed.reused_shards, `${why}: reuses exactly the shards complete at the kill`).toEqual(complete);
    expect(Object.fromEntries(await outputTree(out)), `${why}: same files, same bytes`).toEqual(Object.fromEntries(baselineTree));
    expect(comparableResult(resumed), why).toStrictEqual(comparableResult(baseline));
    expect(onceHolds(checkExactlyOnce(customers, await outputCensus(resumed))), `${why}: every customer once`).toBe(true);
    expect(await leftoverTemps(out), `${why}: no temporary file left`).toEqual([]);
  });
});
