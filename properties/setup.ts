import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * One place that configures fast-check for every property suite: the run count (100 by default,
 * `PBT_NUM_RUNS=500 npm test` for a deep local run; properties/runs.ts derives the slower
 * properties' counts and every timeout from it), an interrupted property fails instead of passing
 * on fewer runs, and every property prints `property "<name>" passed after N of M runs, seed S`. A
 * failing property prints its seed and path; replay with
 * `PBT_SEED=<seed> PBT_PATH=<path> npx vitest run properties/<file> -t "<law>"`.
 */
const DEFAULT_RUNS = 100;
const numRuns = Number(process.env['PBT_NUM_RUNS'] ?? String(DEFAULT_RUNS));
const seedText = process.env['PBT_SEED'];
const path = process.env['PBT_PATH'];
if (!Number.isInteger(numRuns) || numRuns <= 0) {
  throw new Error(`PBT_NUM_RUNS must be a positive whole number, got ${JSON.stringify(process.env['PBT_NUM_RUNS'])}`);
}
if (seedText !== undefined && !Number.isSafeInteger(Number(seedText))) {
  throw new Error(`PBT_SEED must be the whole number a failing property printed, got ${JSON.stringify(seedText)}`);
}
if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) {
  throw new Error(`PBT_PATH must be the path a failing property printed (like "0:1:3"), got ${JSON.stringify(path)}`);
}

/** Says how many runs a property made and with which seed; throws fast-check's own report when it failed. */
function report(out: fc.RunDetails<unknown>): void {
  const name = (expect.getState().currentTestName ?? '(unnamed property)').replace(/ \(with seed=-?\d+\)$/, '');
  if (out.failed) throw new Error(fc.defaultReportMessage(out) ?? `property "${name}" failed, seed ${out.seed}`, { cause: out.errorInstance });
  const asked = out.runConfiguration.numRuns ?? numRuns;
  console.log(`property "${name}" passed after ${out.numRuns} of ${asked} runs, seed ${out.seed}`);
}

fc.configureGlobal({
  numRuns,
  markInterruptAsFailure: true,
  reporter: report,
  ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
  ...(path !== undefined ? { path } : {}),
});
