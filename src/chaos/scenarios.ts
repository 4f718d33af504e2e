/**
 * The drill's scenarios: which environment arms which fault and which failed attempts must follow,
 * computed with the shard task's own `faultFor`, so seeded failures are predicted exactly.
 */
import { faultFor, faultPlanFromEnv } from '../faults/faults.js';
import type { FaultKind } from '../faults/faults.js';

export const SCENARIO_NAMES = ['fail-shard', 'fail-rate', 'crash', 'hang', 'kill-resume'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A failed attempt the drill must see: shard, attempt number and how the failure shows. */
export interface ExpectedFailure {
  readonly shard: number;
  readonly attempt: number;
  readonly kind: FaultKind;
}

export interface ScenarioSpec {
  readonly name: ScenarioName;
  readonly title: string;
  /** CHAOS_* variables for the workers (all of them set, empty when unused, so none leaks in from the caller). */
  readonly env: Readonly<Record<string, string>>;
  readonly expected: readonly ExpectedFailure[];
  /** Why the scenario cannot pass as configured (e.g. a seed that fails every attempt of a shard). */
  readonly invalid?: string;
}

export interface ScenarioParams {
  readonly shards: number;
  /** The shard the targeted faults hit. */
  readonly target: number;
  readonly failRate: number;
  readonly seed: number;
  /** Attempts a shard gets (maxRetries + 1). */
  readonly maxAttempts: number;
}

const CLEAR: Readonly<Record<string, string>> = {
  CHAOS_FAIL_SHARD: '',
  CHAOS_FAIL_RATE: '',
  CHAOS_SEED: '',
  CHAOS_CRASH_SHARD: '',
  CHAOS_HANG_SHARD: '',
};

/** Environment of a fault-free run: every CHAOS_* variable set empty. */
export const NO_CHAOS_ENV = CLEAR;

/** The spec of one scenario under `p`. */
export function scenarioSpec(name: ScenarioName, p: ScenarioParams): ScenarioSpec {
  const k = String(p.target);
  switch (name) {
    case 'fail-shard':
      return { name, title: `shard ${k} fails on its first attempt`, env: { ...CLEAR, CHAOS_FAIL_SHARD: k }, expected: [{ shard: p.target, attempt: 1, kind: 'fail' }] };
    case 'crash':
      return { name, title: `shard ${k}'s worker dies mid-shard (process.exit) on its first attempt`, env: { ...CLEAR, CHAOS_CRASH_SHARD: k }, expected: [{ shard: p.target, attempt: 1, kind: 'crash' }] };
    case 'hang':
      return { name, title: `shard ${k} hangs on its first attempt until its timeout`, env: { ...CLEAR, CHAOS_HANG_SHARD: k }, expected: [{ shard: p.target, attempt: 1, kind: 'hang' }] };
    case 'kill-resume':
      return { name, title: 'the whole run is SIGKILLed midway, then run again with resume', env: CLEAR, expected: [] };
    case 'fail-rate': {
      const env = { ...CLEAR, CHAOS_FAIL_RATE: String(p.failRate), CHAOS_SEED: String(p.seed) };
      const plan = faultPlanFromEnv(env);
      const expected: ExpectedFailure[] = [];
      let invalid: string | undefined;
      for (let shard = 0; shard < p.shards; shard++) {
        let attempt = 1;
        while (attempt <= p.maxAttempts && faultFor(plan, shard, attempt) === 'fail') expected.push({ shard, attempt: attempt++, kind: 'fail' });
        if (attempt > p.maxAttempts) invalid ??= `seed ${p.seed} at rate ${p.failRate} fails all ${p.maxAttempts} attempts of shard ${shard}: pick another --seed`;
      }
      return {
        name,
        title: `${Math.round(p.failRate * 100)}% of attempts fail (seed ${p.seed}: ${expected.length} failure(s) predicted)`,
        env,
        expected,
        ...(invalid !== undefined ? { invalid } : {}),
      };
    }
  }
}

/** Whether a runtime error message is the mark of fault `kind`. */
export function showsFault(kind: FaultKind, error: string): boolean {
  switch (kind) {
    case 'fail':
      return error.includes('chaos: injected failure');
    case 'crash':
      return /exited before finishing \(exit code 75\)/.test(error);
    case 'hang':
      return error.includes('timed out');
  }
}
