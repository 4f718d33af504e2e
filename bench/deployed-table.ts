/**
 * The deployed rows beside the local ones, pure: for each shard count, the local wall time, the
 * deployed wall time (as the SDK client saw it), the shards' elapsed times from the run details
 * against their own time inside the task, and the platform's share of the wall time (everything
 * that is not the longest shard's own work: process start-ups and registrations, fan-out, polling).
 */
import type { DeployedRow } from './deployed.js';
import { median } from './stats.js';

export interface DeployedFigures {
  readonly shards: number;
  /** The local case's median wall time at this shard count, when the sweep has one. */
  readonly localWallMs: number | null;
  readonly deployedWallMs: number;
  /** The longest shard's elapsed time from the run details, and its own time in the task. */
  readonly longestShardMs: number | null;
  readonly longestWorkMs: number | null;
  /** Median over shards of (elapsed from run details − own time in the task): a shard's start-up. */
  readonly shardStartUpMs: number | null;
  readonly prepareMs: number | null;
  /** Deployed wall time − the longest shard's own work, in ms and as a share of the wall time. */
  readonly platformMs: number;
  readonly platformShare: number;
}

const max = (xs: readonly number[]): number | null => (xs.length === 0 ? null : Math.max(...xs));

/** Figures of each deployed row; `localWallMs` maps a shard count to the local median wall time. */
export function deployedFigures(rows: readonly DeployedRow[], localWallMs: ReadonlyMap<number, number>): DeployedFigures[] {
  return rows.map((r) => {
    const work = max(r.shardWorkMs);
    const startUps = r.shardElapsedMs.length === r.shardWorkMs.length ? r.shardElapsedMs.map((e, i) => e - (r.shardWorkMs[i] as number)) : [];
    const platformMs = r.clientWallMs - (work ?? 0);
    return {
      shards: r.shards,
      localWallMs: localWallMs.get(r.shards) ?? null,
      deployedWallMs: r.clientWallMs,
      longestShardMs: max(r.shardElapsedMs),
      longestWorkMs: work,
      shardStartUpMs: startUps.length > 0 ? median(startUps) : null,
      prepareMs: r.prepareMs,
      platformMs,
      platformShare: r.clientWallMs > 0 ? platformMs / r.clientWallMs : 0,
    };
  });
}

export const DEPLOYED_HEADERS = [
  'shards',
  'local wall s',
  'deployed wall s',
  'deployed ÷ local',
  'prepare s',
  'longest shard s (run details)',
  'its own work s',
  'shard start-up s (median)',
  'platform share',
] as const;

const s = (ms: number | null): string => (ms === null ? '–' : (ms / 1000).toFixed(2));

/** Table cells of the figures, one row per shard count. */
export function deployedTableRows(figures: readonly DeployedFigures[]): string[][] {
  return figures.map((f) => [
    String(f.shards),
    s(f.localWallMs),
    s(f.deployedWallMs),
    f.localWallMs === null || f.localWallMs <= 0 ? '–' : `${(f.deployedWallMs / f.localWallMs).toFixed(1)}x`,
    s(f.prepareMs),
    s(f.longestShardMs),
    s(f.longestWorkMs),
    s(f.shardStartUpMs),
    `${(100 * f.platformShare).toFixed(0)}% (${s(f.platformMs)} s)`,
  ]);
}

/** Lines for the bench's text and markdown output: the deployed rows beside the local ones. */
export function deployedSection(rows: readonly DeployedRow[], local: boolean, localWallMs: ReadonlyMap<number, number>, format: (headers: readonly string[], rows: readonly (readonly string[])[]) => string): string[] {
  if (rows.length === 0) return [];
  const where = local ? 'the Render CLI\'s local dev server (render workflows dev)' : 'Render';
  return [
    `Deployed through the SDK client on ${where}, beside the local runtime (one run per shard count; platform share = deployed wall − the longest shard's own work):`,
    '',
    format(DEPLOYED_HEADERS, deployedTableRows(deployedFigures(rows, localWallMs))),
    '',
  ];
}
