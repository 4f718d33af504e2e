import { averageHealth, emptyDistribution } from '../core/stats.js';
import { compareIds } from '../core/merge-rule.js';
import type { Profile } from '../core/profile.js';
import { SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import type { RunResult, ShardResult, SourceCounts } from './contracts.js';
import { zeroSourceCounts } from './shard/source-counts.js';

function addCounts(a: SourceCounts, b: SourceCounts): SourceCounts {
  return { read: a.read + b.read, merged: a.merged + b.merged, rejected: a.rejected + b.rejected, duplicates: a.duplicates + b.duplicates };
}

/**
 * Combines shard results into the run's result. Commutative: shards are ordered by index first,
 * so the result does not depend on the order in which shards finished.
 */
export function aggregate(
  runId: string,
  outDir: string,
  results: readonly ShardResult[],
  elapsedMs: number,
): RunResult {
  const sorted = [...results].sort((a, b) => a.shard_index - b.shard_index);
  const sources = zeroSourceCounts();
  const churn = emptyDistribution();
  const expansion = emptyDistribution();
  let profiles = 0;
  let healthSum = 0;
  let orphans = 0;
  let sample: Profile | null = null;
  for (const r of sorted) {
    profiles += r.profiles;
    healthSum += r.health_score_sum;
    orphans += r.orphans;
    for (const l of ['LOW', 'MEDIUM', 'HIGH'] as const) {
      churn[l] += r.churn_distribution[l];
      expansion[l] += r.expansion_distribution[l];
    }
    for (const s of SOURCE_NAMES) sources[s] = addCounts(sources[s], r.sources[s]);
    if (r.sample_profile !== null && (sample === null || compareIds(r.sample_profile.customer_id, sample.customer_id) < 0)) {
      sample = r.sample_profile;
    }
  }
  const loads = sorted.flatMap((r) => (r.load === undefined ? [] : [r.load]));
  const load =
    loads.length === 0
      ? undefined
      : loads.reduce((a, b) => ({ inserted: a.inserted + b.inserted, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged }));
  const read = SOURCE_NAMES.reduce((n, s) => n + sources[s].read, 0);
  const rejected = SOURCE_NAMES.reduce((n, s) => n + sources[s].rejected, 0);
  return {
    run_id: runId,
    profiles_generated: profiles,
    records_processed: read,
    shards_processed: sorted.length,
    sample_profile: sample,
    statistics: {
      avg_health_score: averageHealth(healthSum, profiles),
      health_score_sum: healthSum,
      churn_distribution: churn,
      expansion_distribution: expansion,
    },
    sources,
    orphans,
    rejected,
    out_dir: outDir,
    output_files: sorted.map((r) => r.output_file),
    rejects_files: sorted.flatMap((r) => (r.rejects_file === null ? [] : [r.rejects_file])),
    shards: sorted.map((r) => ({ shard_index: r.shard_index, profiles: r.profiles, elapsed_ms: r.elapsed_ms, checksum: r.checksum })),
    ...(load !== undefined ? { load } : {}),
    elapsed_ms: elapsedMs,
  };
}
