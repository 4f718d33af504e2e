#!/usr/bin/env node
/**
 * `npm run chaos -- [options]`: the chaos drill. Runs a fault-free baseline and then each fault
 * scenario on the embedded runtime, prints the report, and exits 0 only if every check of every
 * scenario holds (1 otherwise). A drill that cannot run (a refused option, no data) exits 1 with
 * one line on stderr and, with --json, the failure object on stdout (src/cli/failure.ts).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidOptionError } from '../core/errors.js';
import { failureOf, reportFailure } from '../cli/failure.js';
import { assertShardCount } from '../core/shard.js';
import { parseOptions } from '../cli/options.js';
import { runDrill } from './drill.js';
import { formatReport } from './report.js';
import { SCENARIO_NAMES } from './scenarios.js';
import type { ScenarioName } from './scenarios.js';

const DRILL_USAGE = `Usage: npm run chaos -- [options]

Runs the pipeline under injected faults and proves recovery: a fault-free baseline, then
fail-shard, fail-rate, crash, hang and kill-resume, each checked against the baseline.

  --data DIR            source CSVs          [data/, or src/testdata/tutorial-2000 when data/ is empty]
  --shards N            shard count                                   [10]
  --concurrency N       shards running at once                        [CPU count]
  --seed S              seed of the failure rate and of the kill point [1]
  --fail-rate R         fraction of attempts failing in fail-rate     [0.3]
  --shard K             shard hit by fail-shard, crash and hang       [3, or the last shard]
  --hang-timeout S      process_shard timeout in the hang scenario    [5]
  --retry-wait-ms MS    first retry wait in the drill (task: 2000)    [50]
  --scenarios LIST      comma-separated subset of ${SCENARIO_NAMES.join(',')}
  --out DIR             keep every scenario's output under DIR        [a temporary folder, removed on success]
  --json                print the report as JSON
  -h, --help            this text`;

/** What to do when the drill itself failed, not one of its checks. */
const DRILL_HINT = "--out DIR keeps every scenario's output to look into";

function num(name: string, text: string | undefined, fallback: number, min: number, max: number, whole = true): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
    throw new InvalidOptionError(`--${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

async function main(): Promise<number> {
  const values = parseOptions(process.argv.slice(2), {
    data: { type: 'string' },
    shards: { type: 'string' },
    concurrency: { type: 'string' },
    seed: { type: 'string' },
    'fail-rate': { type: 'string' },
    shard: { type: 'string' },
    'hang-timeout': { type: 'string' },
    'retry-wait-ms': { type: 'string' },
    scenarios: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    process.stdout.write(`${DRILL_USAGE}\n`);
    return 0;
  }
  const shards = num('shards', values.shards, 10, 1, 1024);
  assertShardCount(shards, '--shards');
  const scenarios = (values.scenarios ?? SCENARIO_NAMES.join(',')).split(',').map((s) => s.trim());
  for (const s of scenarios) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(s)) throw new InvalidOptionError(`--scenarios: unknown scenario ${JSON.stringify(s)} (known: ${SCENARIO_NAMES.join(', ')})`);
  }
  const data = resolve(values.data ?? (existsSync(join('data', 'crm.csv')) ? 'data' : join('src', 'testdata', 'tutorial-2000')));
  const keep = values.out !== undefined;
  const root = keep ? resolve(values.out!) : await mkdtemp(join(tmpdir(), 'customer-merge-chaos-'));
  const report = await runDrill({
    data,
    root,
    shards,
    concurrency: num('concurrency', values.concurrency, availableParallelism(), 1, 256),
    seed: num('seed', values.seed, 1, 0, Number.MAX_SAFE_INTEGER),
    failRate: num('fail-rate', values['fail-rate'], 0.3, 0, 0.9, false),
    target: num('shard', values.shard, Math.min(3, shards - 1), 0, shards - 1),
    hangTimeoutSeconds: num('hang-timeout', values['hang-timeout'], 5, 1, 600),
    retry: { maxRetries: 3, waitDurationMs: num('retry-wait-ms', values['retry-wait-ms'], 50, 0, 60_000), backoffScaling: 2 },
    scenarios: scenarios as ScenarioName[],
    onProgress: (text) => process.stderr.write(`chaos: ${text}\n`),
  });
  const removed = !keep && report.ok;
  if (removed) await rm(root, { recursive: true, force: true });
  const outNote = removed ? `${root} (removed; --out DIR keeps it)` : root;
  process.stdout.write(values.json === true ? `${JSON.stringify({ ...report, out: outNote }, null, 2)}\n` : `${formatReport(report, outNote)}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportFailure('customer-merge chaos', failureOf(err, DRILL_HINT), process.argv.slice(2));
  },
);
