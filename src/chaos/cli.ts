#!/usr/bin/env node
/**
 * `npm run chaos -- [options]`: the chaos drill. Runs a baseline and each fault scenario, prints the
 * report, exits 0 only if every check holds; a drill that cannot run exits 1 with one line.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { failureOf, reportFailure } from '../cli/failure.js';
import { DRILL_USAGE, parseDrillArgs } from './args.js';
import { runDrill } from './drill.js';
import { formatReport } from './report.js';

/** What to do when the drill itself failed, not one of its checks. */
const DRILL_HINT = "--out DIR keeps every scenario's output to look into";

async function main(): Promise<number> {
  const args = parseDrillArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${DRILL_USAGE}\n`);
    return 0;
  }
  const data = resolve(args.data ?? (existsSync(join('data', 'crm.csv')) ? 'data' : join('src', 'testdata', 'tutorial-2000')));
  const keep = args.out !== undefined;
  const root = args.out !== undefined ? resolve(args.out) : await mkdtemp(join(tmpdir(), 'customer-merge-chaos-'));
  const report = await runDrill({
    data,
    root,
    shards: args.shards,
    concurrency: args.concurrency,
    seed: args.seed,
    failRate: args.failRate,
    target: args.target,
    hangTimeoutSeconds: args.hangTimeoutSeconds,
    retry: { maxRetries: 3, waitDurationMs: args.retryWaitMs, backoffScaling: 2 },
    scenarios: args.scenarios,
    onProgress: (text) => process.stderr.write(`chaos: ${text}\n`),
  });
  const removed = !keep && report.ok;
  if (removed) await rm(root, { recursive: true, force: true });
  const outNote = removed ? `${root} (removed; --out DIR keeps it)` : root;
  process.stdout.write(args.json ? `${JSON.stringify({ ...report, out: outNote }, null, 2)}\n` : `${formatReport(report, outNote)}\n`);
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
