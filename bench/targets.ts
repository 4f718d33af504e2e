/**
 * The project's performance targets, evaluated on one bench run's summaries. Reported, never asserted:
 * a bench on a shared machine informs, tests check correctness.
 */
import type { CaseSummary } from './stats.js';

export interface TargetCheck {
  readonly target: string;
  /** The measured figure, or null when the run did not include what it needs. */
  readonly value: number | null;
  readonly limit: number;
  readonly unit: string;
  readonly met: boolean | null;
  /** The figure round by round, when it is a median of per-round ratios (else empty). */
  readonly rounds: readonly number[];
}

/** Worker peak must stay under Render's smallest plan; the orchestrator under half of it. */
export const WORKER_PEAK_LIMIT_MIB = 512;
export const ORCHESTRATOR_PEAK_LIMIT_MIB = 256;

function local(summaries: readonly CaseSummary[], shards: number): CaseSummary | undefined {
  return summaries.find((s) => s.kind === 'local' && s.shards === shards);
}

function check(target: string, value: number | null | undefined, limit: number, unit: string, strict = false, rounds: readonly number[] = []): TargetCheck {
  const v = value ?? null;
  return { target, value: v, limit, unit, met: v === null ? null : strict ? v < limit : v <= limit, rounds };
}

export function targetChecks(summaries: readonly CaseSummary[]): TargetCheck[] {
  const locals = summaries.filter((s) => s.kind === 'local');
  const workerPeak = locals.length === 0 ? null : Math.max(...locals.map((s) => s.workerPeakMiB ?? 0));
  const mainPeak = locals.length === 0 ? null : Math.max(...locals.map((s) => s.mainPeakMiB ?? 0));
  return [
    check('wall(10 shards) / wall(DuckDB aggregates only)', local(summaries, 10)?.xDuckdb, 2, 'x', false, local(summaries, 10)?.xDuckdbRounds),
    check('CPU(16 shards) / CPU(1 shard)', local(summaries, 16)?.cpuVsOneShard, 1.3, 'x', false, local(summaries, 16)?.cpuVsOneShardRounds),
    check('largest worker peak RSS', workerPeak, WORKER_PEAK_LIMIT_MIB, 'MiB', true),
    check('orchestrator peak RSS', mainPeak, ORCHESTRATOR_PEAK_LIMIT_MIB, 'MiB', true),
  ];
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks
    .map((c) => {
      // A median that meets the target while some round did not is said so: on a noisy machine
      // one bench run's verdict is only as good as its spread.
      const everyRound = c.rounds.every((r) => r <= c.limit);
      const verdict = c.met === null ? 'not measured in this run' : c.met ? (everyRound ? 'met' : 'met by the median, NOT in every round') : 'NOT met';
      const spread = c.rounds.length > 1 ? `, rounds ${c.rounds.map((r) => r.toFixed(2)).join(' / ')}` : '';
      const value = c.value === null ? '–' : `${c.value.toFixed(c.unit === 'x' ? 2 : 0)}${c.unit === 'x' ? 'x' : ` ${c.unit}`}`;
      const op = c.unit === 'x' ? '≤' : '<';
      return `  ${c.target.padEnd(32)} ${value.padStart(9)}  (target ${op} ${c.limit}${c.unit === 'x' ? 'x' : ` ${c.unit}`}${spread}): ${verdict}`;
    })
    .join('\n');
}
