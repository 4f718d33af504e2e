import type { SourceFields, SourceName } from './schema.js';

export type Level = 'LOW' | 'MEDIUM' | 'HIGH';

/** The sources a profile was merged from; a customer missing from a source lacks that key. */
export interface MergedSources {
  readonly crm?: SourceFields;
  readonly billing?: SourceFields;
  readonly product?: SourceFields;
  readonly support?: SourceFields;
}

export interface Enrichment {
  readonly health_score: number;
  readonly churn_risk: Level;
  readonly expansion_potential: Level;
}

/**
 * Lower-cases and turns spaces and hyphens into underscores, so "Past Due", "past_due" and
 * "PAST-DUE" compare equal (an exact compare would silently skip the penalty).
 */
export function normalizeStatus(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase().replace(/[\s-]+/g, '_') : '';
}

/**
 * The only fields `enrich` reads, per source. Rows carry these typed beside their JSON text, so
 * enrichment never needs the whole record back (see SourceRow.pick).
 */
export const ENRICHMENT_FIELDS: Readonly<Record<SourceName, readonly string[]>> = {
  crm: ['deal_stage'],
  billing: ['payment_status', 'plan'],
  product: ['usage_pct'],
  support: ['nps_score', 'open_tickets'],
};

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

const PAYMENT_TROUBLE = new Set(['past_due', 'failed']);
const SMALL_PLANS = new Set(['starter', 'free', 'basic']);
const MID_PLANS = new Set(['business', 'professional']);

/**
 * The tutorial's enrichment rules (README "Enrichment"): missing usage counts as 50, missing NPS
 * and open tickets are skipped. Pure, which is what makes sharding invisible in the output.
 */
export function enrich(sources: MergedSources): Enrichment {
  return score(
    num(sources.product?.['usage_pct']),
    num(sources.support?.['nps_score']),
    num(sources.support?.['open_tickets']),
    normalizeStatus(sources.billing?.['payment_status']),
    normalizeStatus(sources.billing?.['plan']),
    normalizeStatus(sources.crm?.['deal_stage']),
  );
}

/** `enrich` over its inputs alone (numbers undefined when absent, statuses normalised or ''), for the Merger. */
export function score(usagePct: number | undefined, nps: number | undefined, open: number | undefined, payment: string, plan: string, stage: string): Enrichment {
  const usage = usagePct ?? 50;
  const paymentTrouble = PAYMENT_TROUBLE.has(payment);

  let health = 50;
  if (usage >= 80) health += 20;
  else if (usage >= 60) health += 10;
  else if (usage < 30) health -= 10;
  if (payment === 'active') health += 15;
  else if (paymentTrouble) health -= 15;
  if (nps !== undefined) {
    if (nps >= 9) health += 10;
    else if (nps >= 7) health += 5;
    else if (nps <= 5) health -= 10;
  }
  if (open !== undefined) {
    if (open === 0) health += 5;
    else if (open > 3) health -= 5;
  }
  health = Math.max(0, Math.min(100, health));

  let churn = 0;
  if (usage < 30) churn += 3;
  else if (usage < 50) churn += 1;
  if (paymentTrouble) churn += 3;
  if (nps !== undefined && nps <= 6) churn += 2;
  if (open !== undefined && open > 3) churn += 1;

  let expansion = 0;
  if (usage >= 80) expansion += 3;
  else if (usage >= 60) expansion += 1;
  if (SMALL_PLANS.has(plan)) expansion += 2;
  else if (MID_PLANS.has(plan)) expansion += 1;
  if (nps !== undefined && nps >= 9) expansion += 2;
  if (stage === 'enterprise') expansion += 1;

  return { health_score: health, churn_risk: level(churn), expansion_potential: level(expansion) };
}

function level(points: number): Level {
  return points >= 5 ? 'HIGH' : points >= 2 ? 'MEDIUM' : 'LOW';
}
