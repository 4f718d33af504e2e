/**
 * The records of one customer, as a pure function of (seed, customer index, variant). Each
 * source draws from its own stream, and shared facts (company, contact person, email spelling)
 * come from an identity stream every source reads, so a slice of customers can be generated
 * anywhere, in any order, and still agree with every other slice.
 */
import type { GeneratorContext } from './context.js';
import { customerId } from './context.js';
import {
  ACCOUNT_STATUS,
  BILLING_ROLES,
  CSAT_TENTHS,
  DAYS_BACK,
  DEAL_STAGES,
  DEAL_VALUE,
  EMAIL_FORMATS,
  EMPLOYEE_COUNTS,
  FEATURES_USED,
  INDUSTRIES,
  MAX_OPEN_TICKETS,
  NPS,
  PAYMENT_STATUS,
  PLANS,
  RESOLUTION_TENTHS,
  SUPPORT_ROLES,
  TOTAL_SESSIONS,
  TOTAL_TICKETS,
  USAGE,
  type EmailFormat,
} from './distributions.js';
import type { Company, NamePart } from './pools.js';
import { Rng, Stream, rngFor, streamSeed } from './prng.js';
import type { BillingRecord, CrmRecord, ProductRecord, SupportRecord } from './records.js';

/** Facts every source of one customer agrees on. */
export interface Identity {
  readonly id: string;
  readonly company: Company;
  readonly format: EmailFormat;
  readonly contactFirst: NamePart;
  readonly contactLast: NamePart;
  /** The CRM contact's address: a person at the company's domain. */
  readonly contactEmail: string;
}

/** Email of a person at a company, spelled the company's way. */
export function personEmail(format: EmailFormat, first: NamePart, last: NamePart, domain: string): string {
  switch (format) {
    case 'first.last':
      return `${first.slug}.${last.slug}@${domain}`;
    case 'flast':
      return `${first.slug[0] ?? 'x'}${last.slug}@${domain}`;
    case 'first_last':
      return `${first.slug}_${last.slug}@${domain}`;
    case 'firstlast':
      return `${first.slug}${last.slug}@${domain}`;
    case 'first':
      return `${first.slug}@${domain}`;
  }
}

/** The shared facts of customer `index` (also of virtual customers ≥ N, whose rows are orphans). */
export function identityOf(ctx: GeneratorContext, index: number): Identity {
  const rng = rngFor(ctx.key, index, Stream.identity);
  const { pools } = ctx;
  const company = rng.pick(pools.companies);
  const format = rng.weighted(EMAIL_FORMATS.items, EMAIL_FORMATS.cumulative);
  const contactFirst = rng.pick(pools.firstNames);
  const contactLast = rng.pick(pools.lastNames);
  return {
    id: customerId(index, ctx.idWidth),
    company,
    format,
    contactFirst,
    contactLast,
    contactEmail: personEmail(format, contactFirst, contactLast, company.domain),
  };
}

/**
 * Stream of one source row. Variant 0 is the customer's row; variants 1.. are its duplicate rows.
 * Streams of different (source, variant) never coincide: the stream number is base + 16·variant.
 */
function sourceRng(ctx: GeneratorContext, index: number, base: number, variant: number): Rng {
  return new Rng(streamSeed(ctx.key, index, base + 16 * variant));
}

function colleagueEmail(rng: Rng, ctx: GeneratorContext, who: Identity): string {
  return personEmail(who.format, rng.pick(ctx.pools.firstNames), rng.pick(ctx.pools.lastNames), who.company.domain);
}

/** CRM row of customer `index`: the contact's email, the company, and the deal. */
export function crmRecord(ctx: GeneratorContext, index: number, who: Identity): CrmRecord {
  const rng = sourceRng(ctx, index, Stream.crm, 0);
  return {
    customer_id: who.id,
    email: who.contactEmail,
    company_name: who.company.name,
    industry: rng.pick(INDUSTRIES),
    employee_count: rng.pick(EMPLOYEE_COUNTS),
    deal_stage: rng.pick(DEAL_STAGES),
    deal_value: rng.int(DEAL_VALUE.min, DEAL_VALUE.max),
    sales_owner: rng.pick(ctx.pools.salesOwners),
    last_contact: ctx.dates.daysBefore(rng.int(DAYS_BACK.lastContact.min, DAYS_BACK.lastContact.max)),
  };
}

/** Billing row (variant 0 = the customer's row, 1.. = duplicates): plan with its MRR range. */
export function billingRecord(ctx: GeneratorContext, index: number, who: Identity, variant: number): BillingRecord {
  const rng = sourceRng(ctx, index, Stream.billing, variant);
  const tier = rng.pick(PLANS);
  const email = rng.chance(0.7) ? `${rng.pick(BILLING_ROLES)}@${who.company.domain}` : who.contactEmail;
  return {
    customer_id: who.id,
    email,
    plan: tier.plan,
    mrr: rng.int(tier.mrr.min, tier.mrr.max),
    payment_status: rng.weighted(PAYMENT_STATUS.items, PAYMENT_STATUS.cumulative),
    subscription_start: ctx.dates.daysBefore(rng.int(DAYS_BACK.subscriptionStart.min, DAYS_BACK.subscriptionStart.max)),
    last_payment: ctx.dates.daysBefore(rng.int(DAYS_BACK.lastPayment.min, DAYS_BACK.lastPayment.max)),
  };
}

/** Product row: signup at least 30 days before last activity, usage bell-shaped around 60 %. */
export function productRecord(ctx: GeneratorContext, index: number, who: Identity, variant: number): ProductRecord {
  const rng = sourceRng(ctx, index, Stream.product, variant);
  const email = rng.chance(0.5) ? who.contactEmail : colleagueEmail(rng, ctx, who);
  return {
    customer_id: who.id,
    email,
    signup_date: ctx.dates.daysBefore(rng.int(DAYS_BACK.signup.min, DAYS_BACK.signup.max)),
    last_active: ctx.dates.daysBefore(rng.int(DAYS_BACK.lastActive.min, DAYS_BACK.lastActive.max)),
    total_sessions: rng.int(TOTAL_SESSIONS.min, TOTAL_SESSIONS.max),
    features_used: rng.int(FEATURES_USED.min, FEATURES_USED.max),
    usage_pct: rng.bell(USAGE.mean, USAGE.sd, USAGE.min, USAGE.max),
    account_status: rng.weighted(ACCOUNT_STATUS.items, ACCOUNT_STATUS.cumulative),
  };
}

/** Support row: open ≤ min(3, total) tickets, no last ticket date when there were none. */
export function supportRecord(ctx: GeneratorContext, index: number, who: Identity, variant: number): SupportRecord {
  const rng = sourceRng(ctx, index, Stream.support, variant);
  const u = rng.float();
  const email =
    u < 0.35 ? who.contactEmail : u < 0.8 ? colleagueEmail(rng, ctx, who) : `${rng.pick(SUPPORT_ROLES)}@${who.company.domain}`;
  const total = rng.int(TOTAL_TICKETS.min, TOTAL_TICKETS.max);
  const open = rng.int(0, Math.min(MAX_OPEN_TICKETS, total));
  const resolution = rng.int(RESOLUTION_TENTHS.min, RESOLUTION_TENTHS.max) / 10;
  const lastTicketBack = rng.int(DAYS_BACK.lastTicket.min, DAYS_BACK.lastTicket.max);
  return {
    customer_id: who.id,
    email,
    total_tickets: total,
    open_tickets: open,
    avg_resolution_hrs: resolution,
    last_ticket_date: total === 0 ? '' : ctx.dates.daysBefore(lastTicketBack),
    nps_score: rng.int(NPS.min, NPS.max),
    csat_score: rng.int(CSAT_TENTHS.min, CSAT_TENTHS.max) / 10,
  };
}
