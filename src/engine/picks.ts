import type { FieldValue, SourceFields } from '../core/schema.js';

/**
 * The values enrichment reads from one row (see ENRICHMENT_FIELDS), as a reusable register:
 * numbers NaN and statuses undefined when absent. Statuses are raw; the Merger normalises them.
 */
export class Picks {
  usage = NaN;
  nps = NaN;
  open = NaN;
  payment: string | undefined = undefined;
  plan: string | undefined = undefined;
  stage: string | undefined = undefined;

  clear(): void {
    this.usage = this.nps = this.open = NaN;
    this.payment = this.plan = this.stage = undefined;
  }

  /** Loads the register from a row's pick object. */
  fromFields(pick: SourceFields): this {
    this.clear();
    this.usage = asNumber(pick['usage_pct']);
    this.nps = asNumber(pick['nps_score']);
    this.open = asNumber(pick['open_tickets']);
    this.payment = asText(pick['payment_status']);
    this.plan = asText(pick['plan']);
    this.stage = asText(pick['deal_stage']);
    return this;
  }
}

const asNumber = (v: FieldValue | undefined): number => (typeof v === 'number' ? v : NaN);
const asText = (v: FieldValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
