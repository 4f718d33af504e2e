/**
 * The single-process reference: the tutorial's sequential loop, written for obviousness. The
 * tests compare the sharded pipeline against it.
 */
import { buildProfile } from './core/profile.js';
import { idsInOrder, keepRow } from './core/merge-rule.js';
import type { Customers } from './core/merge-rule.js';
import type { Profile } from './core/profile.js';
import { readRows, rowFields } from './engine/index.js';
import type { Reject } from './engine/index.js';
import { SOURCE_NAMES } from './core/schema.js';
import type { SourceName } from './core/schema.js';
import { ProfileStats, averageHealth } from './core/stats.js';
import type { Distribution } from './core/stats.js';
import { openSource, sourceLabel } from './io/source.js';

export interface ReferenceResult {
  readonly profiles: Profile[];
  readonly rejects: Reject[];
  readonly rowsRead: Record<SourceName, number>;
  readonly profiles_generated: number;
  readonly records_processed: number;
  readonly statistics: {
    readonly avg_health_score: number;
    readonly health_score_sum: number;
    readonly churn_distribution: Distribution;
    readonly expansion_distribution: Distribution;
  };
}

export async function referenceRun(data: string): Promise<ReferenceResult> {
  const customers: Customers = new Map();
  const rejects: Reject[] = [];
  const rowsRead = { crm: 0, billing: 0, product: 0, support: 0 };
  for (const source of SOURCE_NAMES) {
    for await (const ev of readRows(openSource(data, source), { file: sourceLabel(data, source), source })) {
      rowsRead[source]++;
      if (ev.kind === 'reject') {
        rejects.push(ev);
        continue;
      }
      keepRow(customers, source, ev.customerId, rowFields(ev));
    }
  }
  const profiles = idsInOrder(customers).map((id) => buildProfile(id, customers.get(id)!));
  const stats = new ProfileStats();
  for (const p of profiles) stats.add(p);
  return {
    profiles,
    rejects,
    rowsRead,
    profiles_generated: profiles.length,
    records_processed: SOURCE_NAMES.reduce((n, s) => n + rowsRead[s], 0),
    statistics: {
      avg_health_score: averageHealth(stats.healthSum, stats.profiles),
      health_score_sum: stats.healthSum,
      churn_distribution: stats.churn,
      expansion_distribution: stats.expansion,
    },
  };
}
