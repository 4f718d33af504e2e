import fc from 'fast-check';

/**
 * One place that sets fast-check's run count for every property suite: small in CI so `npm test`
 * stays quick, raised with `PBT_NUM_RUNS=1000 npm test` for a deep local run. A failing property
 * prints its seed and path; replay with `PBT_SEED=<seed> PBT_PATH=<path>`.
 */
const numRuns = Number(process.env['PBT_NUM_RUNS'] ?? '25');
const seedText = process.env['PBT_SEED'];
const path = process.env['PBT_PATH'];
fc.configureGlobal({
  numRuns: Number.isFinite(numRuns) && numRuns > 0 ? numRuns : 25,
  ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
  ...(path !== undefined ? { path } : {}),
});
