import { compareIds } from './merge-rule.js';
import type { Enrichment, Level } from './enrich.js';

/** Profiles per risk level. */
export type Distribution = Record<Level, number>;

export function emptyDistribution(): Distribution {
  return { LOW: 0, MEDIUM: 0, HIGH: 0 };
}

/** Running statistics over profiles, the same whether fed by one shard or the whole dataset. */
export class ProfileStats<P extends Enrichment & { readonly customer_id: string } = Enrichment & { readonly customer_id: string }> {
  profiles = 0;
  healthSum = 0;
  readonly churn = emptyDistribution();
  readonly expansion = emptyDistribution();
  /** The profile with the smallest customer id seen. */
  sample: P | null = null;

  add(p: P): void {
    this.profiles++;
    this.healthSum += p.health_score;
    this.churn[p.churn_risk]++;
    this.expansion[p.expansion_potential]++;
    if (this.sample === null || compareIds(p.customer_id, this.sample.customer_id) < 0) this.sample = p;
  }
}

/** Average health score with one decimal, as the tutorial reports it. */
export function averageHealth(sum: number, profiles: number): number {
  return profiles === 0 ? 0 : Math.round((sum / profiles) * 10) / 10;
}

