import fc from 'fast-check';

/**
 * Run counts and time budgets of the property suites, derived from the one global `numRuns` that
 * `properties/setup.ts` sets (25 in CI, `PBT_NUM_RUNS` for a deep run). Properties that spawn
 * processes or run big inputs take a fraction of it. Every test's timeout grows with its run
 * count, and fast-check is told to stop a little before vitest would: a failure found by then is
 * still reported with its seed, path and the smallest counterexample shrinking reached, instead of
 * vanishing in a bare vitest timeout.
 */

/** The global run count (setup.ts has already applied `PBT_NUM_RUNS`). */
export function baseRuns(): number {
  return fc.readConfigureGlobal().numRuns ?? 25;
}

/** For properties whose every run spawns child processes: a fifth of the base, at least 3. */
export function slowRuns(): number {
  return Math.max(3, Math.floor(baseRuns() / 5));
}

export interface Budget {
  /** Passed as the second argument of `test.prop`. */
  readonly params: { readonly numRuns: number; readonly interruptAfterTimeLimit: number };
  /** Passed as the vitest timeout of the test. */
  readonly timeout: number;
}

/**
 * The budget of a property of `runs` runs costing up to `msPerRun` each: room for the runs, for
 * shrinking a failure (each shrink step is one more run) and a fixed start-up allowance.
 */
export function budget(runs: number, msPerRun: number): Budget {
  const timeout = 40_000 + 4 * runs * msPerRun;
  return { params: { numRuns: runs, interruptAfterTimeLimit: timeout - 15_000 }, timeout };
}
