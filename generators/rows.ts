/**
 * The public, pure view of what the generator writes: `customerRows` for one customer's records
 * and `emittedRows` for every (clean) row written next to a customer, orphans included. The
 * chunk writer uses `emittedRows` itself, so a parse-back test that compares files against these
 * functions checks the real output path.
 */
import type { SideSource, Source } from './columns.js';
import { makeContext, type GeneratorContext } from './context.js';
import { billingRecord, crmRecord, identityOf, productRecord, supportRecord, type Identity } from './customer.js';
import { knobsFor, orphanIndex } from './knobs.js';
import type { BillingRecord, CrmRecord, ProductRecord, SourceRecords, SupportRecord } from './records.js';
import { GeneratorOptionError } from './errors.js';
import { normaliseSpec, type RealismOptions } from './spec.js';

/** Options of `customerRows`; the defaults are the CLI's. */
export interface RowOptions extends Omit<RealismOptions, 'dirty'> {
  /** Dataset size: sets the id width and orphan ids. Default: index + 1. */
  readonly customers?: number;
  readonly referenceDate?: string;
}

/** Records of one customer, each source's rows in file order (empty when not covered). */
export interface CustomerRows {
  readonly index: number;
  readonly id: string;
  readonly crm: CrmRecord;
  readonly billing: readonly BillingRecord[];
  readonly product: readonly ProductRecord[];
  readonly support: readonly SupportRecord[];
}

/** Clean rows written right after customer `index`'s position in each file, in order. */
export type EmittedRows = { readonly [S in Source]: ReadonlyArray<SourceRecords[S]> };

type SideBuilder<S extends SideSource> = (
  ctx: GeneratorContext,
  index: number,
  who: Identity,
  variant: number,
) => SourceRecords[S];

const SIDE_BUILDERS: { readonly [S in SideSource]: SideBuilder<S> } = {
  billing: billingRecord,
  product: productRecord,
  support: supportRecord,
};

/** The row variant 0 of a source for customer `index` (what a planted row corrupts). */
export function primaryRecord<S extends Source>(ctx: GeneratorContext, source: S, index: number): SourceRecords[S] {
  const who = identityOf(ctx, index);
  if (source === 'crm') return crmRecord(ctx, index, who) as SourceRecords[S];
  return SIDE_BUILDERS[source as SideSource](ctx, index, who, 0) as SourceRecords[S];
}

function sideRows<S extends SideSource>(
  ctx: GeneratorContext,
  source: S,
  index: number,
  who: Identity,
  present: boolean,
  extras: number,
): Array<SourceRecords[S]> {
  if (!present) return [];
  const build = SIDE_BUILDERS[source] as SideBuilder<S>;
  const rows = [build(ctx, index, who, 0)];
  for (let variant = 1; variant <= extras; variant++) rows.push(build(ctx, index, who, variant));
  return rows;
}

function ownRows(ctx: GeneratorContext, index: number, knobs: ReturnType<typeof knobsFor>): CustomerRows {
  const who = identityOf(ctx, index);
  return {
    index,
    id: who.id,
    crm: crmRecord(ctx, index, who),
    billing: sideRows(ctx, 'billing', index, who, knobs.billing.present, knobs.billing.extras),
    product: sideRows(ctx, 'product', index, who, knobs.product.present, knobs.product.extras),
    support: sideRows(ctx, 'support', index, who, knobs.support.present, knobs.support.extras),
  };
}

/** Customer `index`'s own rows (no orphans) under a context. */
export function customerRowsIn(ctx: GeneratorContext, index: number): CustomerRows {
  return ownRows(ctx, index, knobsFor(ctx, index));
}

/** Every clean row written at customer `index`'s position: its own rows, then any orphan row. */
export function emittedRowsIn(ctx: GeneratorContext, index: number): EmittedRows {
  const knobs = knobsFor(ctx, index);
  const own = ownRows(ctx, index, knobs);
  if (!knobs.billing.orphan && !knobs.product.orphan && !knobs.support.orphan) {
    return { crm: [own.crm], billing: own.billing, product: own.product, support: own.support };
  }
  const ghost = orphanIndex(ctx, index);
  const ghostWho = identityOf(ctx, ghost);
  const withOrphan = <S extends SideSource>(source: S, rows: ReadonlyArray<SourceRecords[S]>) =>
    knobs[source].orphan ? [...rows, (SIDE_BUILDERS[source] as SideBuilder<S>)(ctx, ghost, ghostWho, 0)] : rows;
  return {
    crm: [own.crm],
    billing: withOrphan('billing', own.billing),
    product: withOrphan('product', own.product),
    support: withOrphan('support', own.support),
  };
}

function contextFor(seed: number, index: number, options: RowOptions): GeneratorContext {
  const spec = normaliseSpec({ ...options, seed, customers: options.customers ?? index + 1 });
  if (!Number.isSafeInteger(index) || index < 0 || index >= spec.customers) {
    throw new GeneratorOptionError('index', index, `a customer index in 0..${spec.customers - 1}`);
  }
  return makeContext(spec);
}

/**
 * The exact records of customer `index` (0-based; id `cust_` + index + 1) in a dataset generated
 * with `seed` and `options`: what a parse-back of the files must find for this id.
 */
export function customerRows(seed: number, index: number, options: RowOptions = {}): CustomerRows {
  return customerRowsIn(contextFor(seed, index, options), index);
}

/** Every clean row the generator writes at customer `index`'s position, orphans included. */
export function emittedRows(seed: number, index: number, options: RowOptions = {}): EmittedRows {
  return emittedRowsIn(contextFor(seed, index, options), index);
}
