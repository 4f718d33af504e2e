import { SOURCE_NAMES } from '../core/schema.js';
import type { RunResult } from '../tasks/contracts.js';

/** A readable summary of a run, for humans (the JSON form is `--json`). */
export function formatSummary(r: RunResult): string {
  const pct = (n: number): string => (r.profiles_generated === 0 ? '0.0' : ((100 * n) / r.profiles_generated).toFixed(1));
  const dist = (d: Record<'LOW' | 'MEDIUM' | 'HIGH', number>): string =>
    (['LOW', 'MEDIUM', 'HIGH'] as const).map((l) => `${l} ${d[l]} (${pct(d[l])}%)`).join(', ');
  const lines = [
    `merge_customer_data finished in ${(r.elapsed_ms / 1000).toFixed(2)} s (run ${r.run_id})`,
    `  profiles generated   ${r.profiles_generated}`,
    `  records processed    ${r.records_processed}`,
    `  shards processed     ${r.shards_processed}`,
    ...((r.reused_shards?.length ?? 0) > 0
      ? [`  shards reused        ${r.reused_shards?.length} of ${r.shards_processed} (finished output of an earlier run over the same input, or of an earlier attempt of their shard task; --force recomputes)`]
      : []),
    ...((r.duplicates_dropped ?? 0) > 0 ? [`  duplicates dropped   ${r.duplicates_dropped} (profiles whose idempotency_key was already written)`] : []),
    `  avg health score     ${r.statistics.avg_health_score}`,
    `  churn risk           ${dist(r.statistics.churn_distribution)}`,
    `  expansion potential  ${dist(r.statistics.expansion_distribution)}`,
    '  rows per source      read / merged / rejected / superseded duplicates',
    ...SOURCE_NAMES.map((s) => {
      const c = r.sources[s];
      return `    ${s.padEnd(18)} ${c.read} / ${c.merged} / ${c.rejected} / ${c.duplicates}`;
    }),
    `  orphans (not in CRM) ${r.orphans}`,
  ];
  const times = r.shards.map((s) => s.elapsed_ms);
  if (times.length > 0) {
    lines.push(`  shard time           min ${Math.min(...times)} ms, max ${Math.max(...times)} ms`);
  }
  if (r.load !== undefined) {
    // output_files name the table for a database sink: `postgres:customer_profiles#shard-…`.
    const table = (r.output_files[0] ?? 'postgres:?').split('#')[0];
    lines.push(`  profiles loaded into ${table} (${r.output_files.length} shards, one transaction each)`);
    lines.push(`  rows                 inserted ${r.load.inserted}, updated ${r.load.updated}, unchanged ${r.load.unchanged}`);
  } else {
    lines.push(`  profiles written to  ${r.out_dir}/profiles/ (${r.output_files.length} files)`);
  }
  if (r.rejects_report !== undefined) {
    lines.push(`  rejected rows        ${r.rejected}${r.rejected > 0 ? `, listed in ${r.out_dir}/${r.rejects_report}` : ''}`);
  } else if (r.rejects_files.length > 0) {
    lines.push(`  rejected rows in     ${r.out_dir}/rejects/ (${r.rejected} rows)`);
  }
  if (r.sample_profile !== null) {
    const s = r.sample_profile;
    lines.push(`  sample profile       ${s.customer_id}: health ${s.health_score}, churn ${s.churn_risk}, expansion ${s.expansion_potential}`);
  }
  return lines.join('\n');
}
