/**
 * What the warm-up probe's rounds say (pure, tested): the price of a fresh process for one shard,
 * as figures measured side by side in one round and reduced to medians over rounds.
 *
 * Per round: `alone` is one fresh process that ran the shard several times in a row (its first
 * run cold, the others warm) after reporting its start-up; `beside` are the first runs of two
 * fresh processes started at once on the same shard (both cores busy, as in a pipeline run).
 */
import type { ProcessUsage } from '../src/runtime/events.js';
import type { RunCost } from './warmup-child.js';
import { median, ratio } from './stats.js';

export interface WarmupRound {
  readonly alone: { readonly startup: ProcessUsage; readonly runs: readonly RunCost[] };
  readonly beside: readonly RunCost[];
}

/** One round's figures (CPU in ms), or the medians of several rounds' figures. */
export interface WarmupFigures {
  /** Starting Node and loading the task code, before the first byte of input. */
  readonly startupCpuMs: number;
  /** The shard's first run in a fresh process (its JIT cold), alone on the machine. */
  readonly coldCpuMs: number;
  /** The same shard once the process has run it before (median of the later runs). */
  readonly warmCpuMs: number;
  /** coldCpuMs − warmCpuMs: what the JIT's warm-up adds to the first run. */
  readonly warmupCpuMs: number;
  /** startupCpuMs + warmupCpuMs: what a fresh process adds to the shard's work. */
  readonly freshProcessCpuMs: number;
  /** coldCpuMs ÷ warmCpuMs. */
  readonly coldOverWarm: number;
  /** Helper-thread share of the cold run and of a warm run (compiler, GC helpers), ms. */
  readonly coldHelperCpuMs: number | null;
  readonly warmHelperCpuMs: number | null;
  /** The cold run beside another fresh process (median of the two), and its ratio to alone. */
  readonly besideCpuMs: number | null;
  readonly besideOverAlone: number | null;
}

/** A round's figures; throws when the alone process did not make at least two runs. */
export function roundFigures(round: WarmupRound): WarmupFigures {
  const runs = round.alone.runs;
  if (runs.length < 2) throw new RangeError(`a warm-up round needs at least 2 runs in one process (one cold, one warm), got ${runs.length}`);
  const cold = runs[0]!;
  const later = runs.slice(1);
  const warmCpuMs = median(later.map((r) => r.cpuMs));
  const warmHelpers = later.flatMap((r) => (r.mainThreadCpuMs === null ? [] : [r.cpuMs - r.mainThreadCpuMs]));
  const besideCpuMs = round.beside.length === 0 ? null : median(round.beside.map((r) => r.cpuMs));
  return {
    startupCpuMs: round.alone.startup.cpuMs,
    coldCpuMs: cold.cpuMs,
    warmCpuMs,
    warmupCpuMs: cold.cpuMs - warmCpuMs,
    freshProcessCpuMs: round.alone.startup.cpuMs + cold.cpuMs - warmCpuMs,
    coldOverWarm: ratio(cold.cpuMs, warmCpuMs) ?? Number.NaN,
    coldHelperCpuMs: cold.mainThreadCpuMs === null ? null : cold.cpuMs - cold.mainThreadCpuMs,
    warmHelperCpuMs: warmHelpers.length === later.length ? median(warmHelpers) : null,
    besideCpuMs,
    besideOverAlone: ratio(besideCpuMs, cold.cpuMs),
  };
}

/** Each figure's median over the rounds (ratios too: the median of the per-round ratios). */
export function summarizeWarmup(rounds: readonly WarmupRound[]): { readonly rounds: readonly WarmupFigures[]; readonly median: WarmupFigures } {
  if (rounds.length === 0) throw new RangeError('no warm-up rounds to summarise');
  const figures = rounds.map(roundFigures);
  const med = (pick: (f: WarmupFigures) => number | null): number | null => {
    const xs = figures.map(pick).filter((x): x is number => x !== null);
    return xs.length === figures.length ? median(xs) : null;
  };
  return {
    rounds: figures,
    median: {
      startupCpuMs: med((f) => f.startupCpuMs)!,
      coldCpuMs: med((f) => f.coldCpuMs)!,
      warmCpuMs: med((f) => f.warmCpuMs)!,
      warmupCpuMs: med((f) => f.warmupCpuMs)!,
      freshProcessCpuMs: med((f) => f.freshProcessCpuMs)!,
      coldOverWarm: med((f) => f.coldOverWarm)!,
      coldHelperCpuMs: med((f) => f.coldHelperCpuMs),
      warmHelperCpuMs: med((f) => f.warmHelperCpuMs),
      besideCpuMs: med((f) => f.besideCpuMs),
      besideOverAlone: med((f) => f.besideOverAlone),
    },
  };
}
