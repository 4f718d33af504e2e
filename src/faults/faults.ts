/**
 * Fault injection (what the chaos drill arms), from variables the shard task reads per attempt:
 * - `CHAOS_FAIL_SHARD=k[,k…]`: shard k throws a retryable error on its first attempt;
 * - `CHAOS_FAIL_RATE=r`, `CHAOS_SEED=s`: each attempt fails with probability r, seeded;
 * - `CHAOS_CRASH_SHARD=k[,k…]`: shard k's process exits (code 75) mid-output on its first attempt;
 * - `CHAOS_HANG_SHARD=k[,k…]`: shard k hangs there until the runtime's timeout.
 * First attempts come from the attempt markers; when the attempt is unknown nothing fires, so
 * a drill never becomes an outage.
 */
import { InvalidOptionError, PipelineError } from '../core/errors.js';
import { hash64 } from '../core/hash.js';
import type { ProfileSink, SinkSession } from '../sinks/sink.js';

export type FaultKind = 'fail' | 'crash' | 'hang';

/** The faults an environment asks for. */
export interface FaultPlan {
  readonly failShards: ReadonlySet<number>;
  readonly crashShards: ReadonlySet<number>;
  readonly hangShards: ReadonlySet<number>;
  /** Probability in [0, 1] that any attempt fails. */
  readonly failRate: number;
  readonly seed: number;
}

/** Exit code of a worker crashed on purpose (EX_TEMPFAIL). */
export const CRASH_EXIT_CODE = 75;

export const NO_FAULTS: FaultPlan = { failShards: new Set(), crashShards: new Set(), hangShards: new Set(), failRate: 0, seed: 0 };

/** The CHAOS_* variable names, for tools that pass them on. */
export const CHAOS_VARS = ['CHAOS_FAIL_SHARD', 'CHAOS_FAIL_RATE', 'CHAOS_SEED', 'CHAOS_CRASH_SHARD', 'CHAOS_HANG_SHARD'] as const;

/** Reads the plan from the environment; a malformed value is a permanent error naming the variable. */
export function faultPlanFromEnv(env: Readonly<Record<string, string | undefined>>): FaultPlan {
  const rateText = env['CHAOS_FAIL_RATE'];
  const failRate = rateText === undefined || rateText.trim() === '' ? 0 : Number(rateText);
  if (!Number.isFinite(failRate) || failRate < 0 || failRate > 1) {
    throw new InvalidOptionError(`CHAOS_FAIL_RATE must be a number from 0 to 1, got ${JSON.stringify(rateText)}`);
  }
  const seedText = env['CHAOS_SEED'];
  const seed = seedText === undefined || seedText.trim() === '' ? 1 : Number(seedText);
  if (!Number.isSafeInteger(seed)) throw new InvalidOptionError(`CHAOS_SEED must be a whole number, got ${JSON.stringify(seedText)}`);
  return {
    failShards: shardList(env, 'CHAOS_FAIL_SHARD'),
    crashShards: shardList(env, 'CHAOS_CRASH_SHARD'),
    hangShards: shardList(env, 'CHAOS_HANG_SHARD'),
    failRate,
    seed,
  };
}

function shardList(env: Readonly<Record<string, string | undefined>>, name: string): Set<number> {
  const text = env[name];
  if (text === undefined || text.trim() === '') return new Set();
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const t = part.trim();
    if (!/^\d+$/.test(t)) throw new InvalidOptionError(`${name} must be shard indexes like "3" or "1,4", got ${JSON.stringify(text)}`);
    out.add(Number(t));
  }
  return out;
}

/** Whether any fault is armed (worth a warning in the logs: never leave these set in production). */
export function isArmed(plan: FaultPlan): boolean {
  return plan.failShards.size + plan.crashShards.size + plan.hangShards.size > 0 || plan.failRate > 0;
}

/** A number in [0, 1) fixed by (seed, shard, attempt): the same on every machine and every run. */
export function chance(seed: number, shard: number, attempt: number): number {
  return parseInt(hash64(`chaos:${seed}:${shard}:${attempt}`).slice(0, 13), 16) / 2 ** 52;
}

/** The fault this attempt of this shard suffers, if any. Crash beats hang beats fail. */
export function faultFor(plan: FaultPlan, shard: number, attempt: number | undefined): FaultKind | null {
  if (attempt === undefined) return null;
  if (attempt === 1) {
    if (plan.crashShards.has(shard)) return 'crash';
    if (plan.hangShards.has(shard)) return 'hang';
    if (plan.failShards.has(shard)) return 'fail';
  }
  if (plan.failRate > 0 && chance(plan.seed, shard, attempt) < plan.failRate) return 'fail';
  return null;
}

/** The error an injected failure throws: retryable, and says it was injected. */
export class InjectedFaultError extends PipelineError {
  constructor(shard: number, attempt: number) {
    super('CHAOS_FAULT', `chaos: injected failure of shard ${shard} on attempt ${attempt}`, true);
  }
}

/**
 * Wraps a sink so `fault` strikes after the input is merged and writing has begun, before commit:
 * where a real failure does most damage. `onFire` runs just before; no fault, sink unchanged.
 */
export function injectFault(
  sink: ProfileSink,
  fault: FaultKind | null,
  where: { readonly shard: number; readonly attempt: number },
  onFire: (kind: FaultKind) => void,
): ProfileSink {
  if (fault === null) return sink;
  let struck = false;
  const strike = async (): Promise<void> => {
    if (struck) return;
    struck = true;
    onFire(fault);
    if (fault === 'crash') process.exit(CRASH_EXIT_CODE);
    if (fault === 'hang') {
      // Keep the event loop alive: an empty loop would let the process exit instead of hanging.
      setInterval(() => {}, 60_000);
      await new Promise<never>(() => {});
    }
    throw new InjectedFaultError(where.shard, where.attempt);
  };
  return {
    async open(input) {
      const inner = await sink.open(input);
      let written = 0;
      const session: SinkSession = {
        async write(p) {
          await inner.write(p);
          if (++written === 2) await strike();
        },
        async commit() {
          await strike();
          return inner.commit();
        },
        abort: () => inner.abort(),
      };
      return session;
    },
  };
}

/**
 * The sink an attempt writes through under the faults `env` arms; logs `chaos_armed` when any
 * fault variable is set and `chaos_fault` just before a fault strikes.
 */
export function sinkUnderChaos(
  sink: ProfileSink,
  env: Readonly<Record<string, string | undefined>>,
  shard: number,
  attempt: number | undefined,
  log: { warn(event: string, fields?: Readonly<Record<string, unknown>>): void },
): ProfileSink {
  const plan = faultPlanFromEnv(env);
  if (!isArmed(plan)) return sink;
  const fault = faultFor(plan, shard, attempt);
  log.warn('chaos_armed', { fault: fault ?? 'none', ...(attempt === undefined ? { note: 'attempt unknown: no fault fires' } : {}) });
  return injectFault(sink, fault, { shard, attempt: attempt ?? 0 }, (kind) => log.warn('chaos_fault', { fault: kind }));
}
