import fc from 'fast-check';

/**
 * One place that sets fast-check's run count for every property suite: small in CI so `npm test`
 * stays quick, raised with `PBT_NUM_RUNS=500 npm test` for a deep local run (properties/runs.ts
 * derives the slower properties' counts and every timeout from it). A failing property prints its
 * seed and path; replay with `PBT_SEED=<seed> PBT_PATH=<path> npx vitest run properties/<file> -t "<law>"`.
 */
const numRuns = Number(process.env['PBT_NUM_RUNS'] ?? '25');
const seedText = process.env['PBT_SEED'];
const path = process.env['PBT_PATH'];
if (seedText !== undefined && !Number.isSafeInteger(Number(seedText))) {
  throw new Error(`PBT_SEED must be the whole number a failing property printed, got ${JSON.stringify(seedText)}`);
}
if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) {
  throw new Error(`PBT_PATH must be the path a failing property printed (like "0:1:3"), got ${JSON.stringify(path)}`);
}
fc.configureGlobal({
  numRuns: Number.isInteger(numRuns) && numRuns > 0 ? numRuns : 25,
  ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
  ...(path !== undefined ? { path } : {}),
});
