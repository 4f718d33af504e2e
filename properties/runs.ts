import fc from 'fast-check';

/**
 * Run counts and time budgets of the property suites, derived from the one global `numRuns` that
 * `properties/setup.ts` sets (100 by default, `PBT_NUM_RUNS` for a deep run). Properties whose run
 * costs milliseconds (pure functions, tiny in-process runs) take all of it; properties that run
 * the pipeline on temp folders a quarter; those that spawn processes a twentieth. Every test's
 * timeout grows with its run count, and fast-check is told to stop a little before vitest would:
 * an interrupted property fails (setup.ts sets markInterruptAsFailure), reporting the runs done,
 * its seed and the smallest counterexample found, instead of vanishing in a bare vitest timeout.
 */

/** The global run count (setup.ts has already applied `PBT_NUM_RUNS`): for properties whose run costs milliseconds. */
export function baseRuns(): number {
  return fc.readConfigureGlobal().numRuns ?? 100;
}

/** For properties whose every run writes and runs the pipeline over temp folders: a quarter of the base, at least 3. */
export function pipelineRuns(): number {
  return Math.max(3, Math.floor(baseRuns() / 4));
}

/** For properties whose every run spawns child processes: a twentieth of the base, at least 3. */
export function slowRuns(): number {
  return Math.max(3, Math.floor(baseRuns() / 20));
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
