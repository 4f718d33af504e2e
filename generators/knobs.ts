/**
 * Per-customer decisions of the realism knobs: is the customer in billing/product/support, how
 * many duplicate rows, is an orphan row emitted next to it. Draws come from the customer's own
 * `knobs` stream, always the same number in the same order whatever the settings, so a knob only
 * adds or removes rows: every row present is identical to the same row of the default output.
 */
import { SIDE_SOURCES, type SideSource } from './columns.js';
import type { GeneratorContext } from './context.js';
import { Stream, rngFor } from './prng.js';

/** What the knobs decided for one (customer, side source). */
export interface KnobDecision {
  readonly present: boolean;
  /** Duplicate rows after the customer's row (0 when absent). */
  readonly extras: number;
  /** Emit one orphan row (id not in CRM) after this customer's rows. */
  readonly orphan: boolean;
}

const PLAIN: KnobDecision = { present: true, extras: 0, orphan: false };
const PLAIN_ALL: Readonly<Record<SideSource, KnobDecision>> = { billing: PLAIN, product: PLAIN, support: PLAIN };

/** Decisions for customer `index` in each side source. */
export function knobsFor(ctx: GeneratorContext, index: number): Readonly<Record<SideSource, KnobDecision>> {
  const { coverage, duplicates, orphans } = ctx.spec;
  if (coverage.billing === 1 && coverage.product === 1 && coverage.support === 1 && duplicates === 0 && orphans === 0) {
    return PLAIN_ALL;
  }
  const rng = rngFor(ctx.key, index, Stream.knobs);
  const whole = Math.floor(duplicates);
  const fraction = duplicates - whole;
  const out = {} as Record<SideSource, KnobDecision>;
  for (const source of SIDE_SOURCES) {
    const uCoverage = rng.float();
    const uDuplicate = rng.float();
    const uOrphan = rng.float();
    const present = uCoverage < coverage[source];
    out[source] = {
      present,
      extras: present ? whole + (uDuplicate < fraction ? 1 : 0) : 0,
      orphan: uOrphan < orphans,
    };
  }
  return out;
}

/**
 * Index of the virtual customer whose row is the orphan next to customer `index`: N + index, so
 * orphan ids run from N + 1 up and are never CRM ids; the same orphan id may appear in several
 * side sources (a customer missing from CRM but billed and active), at most once per source.
 */
export function orphanIndex(ctx: GeneratorContext, index: number): number {
  return ctx.spec.customers + index;
}
