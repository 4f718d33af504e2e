/**
 * Profiles: the object form (`Profile`, what the tutorial calls a customer profile) and the
 * form the data path carries (`ProfileLine`: its JSON line plus the values callers branch on).
 */
import { hash } from 'node:crypto';
import { enrich } from './enrich.js';
import type { Enrichment, Level, MergedSources } from './enrich.js';
import { sideBySide } from './merge-rule.js';

/**
 * An enriched customer profile. Each source's fields stay under the source's own key, so no
 * source can clobber another's (the tutorial let Support's placeholder email overwrite CRM's).
 */
export interface Profile extends MergedSources, Enrichment {
  readonly customer_id: string;
  /** `customer_id:` + a stable hash of the source rows the profile was built from. */
  readonly idempotency_key: string;
}

/**
 * A built profile as the data path carries it: the values callers branch on and its JSON line
 * (no object tree per profile). Invariant: `json === JSON.stringify(profileOf(line))`.
 */
export interface ProfileLine extends Enrichment {
  readonly customer_id: string;
  readonly idempotency_key: string;
  /** The profile as one line of JSON (no newline), decoded from its bytes on first use. */
  readonly json: string;
  /** The line's UTF-8 bytes are `page[start..end)`, for sinks that write bytes. */
  readonly page: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/** A profile line whose bytes sit in a page shared with other lines (see Merger.profiles). */
export class Line implements ProfileLine {
  private text: string | undefined;

  constructor(
    readonly customer_id: string,
    readonly idempotency_key: string,
    readonly health_score: number,
    readonly churn_risk: Level,
    readonly expansion_potential: Level,
    readonly page: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  get json(): string {
    return (this.text ??= this.page.toString('utf8', this.start, this.end));
  }
}

/**
 * The JSON line of a built profile, kept on the profile under a non-enumerable symbol: invisible
 * to JSON.stringify, spreads and deep equality.
 */
const LINE: unique symbol = Symbol('customer-merge.profileJson');

/** Builds one profile as an object, independently of the Merger's byte assembly so each checks the other. */
export function buildProfile(customerId: string, sources: MergedSources): Profile {
  const kept = sideBySide(sources);
  const sourcesJson = JSON.stringify(kept);
  // The id stands in the key as itself; the rows are named by the first 64 bits of the SHA-1 of
  // their JSON (node's one-shot native hash, faster than one written in JS).
  const key = `${customerId}:${hash('sha1', sourcesJson, 'hex').slice(0, 16)}`;
  const e = enrich(kept);
  const profile: Profile = { customer_id: customerId, ...kept, ...e, idempotency_key: key };
  const inner = sourcesJson.length > 2 ? `,${sourcesJson.slice(1, -1)}` : '';
  Object.defineProperty(profile, LINE, {
    value: `{"customer_id":${JSON.stringify(customerId)}${inner},"health_score":${e.health_score},"churn_risk":"${e.churn_risk}","expansion_potential":"${e.expansion_potential}","idempotency_key":${JSON.stringify(key)}}`,
  });
  return profile;
}

/**
 * `JSON.stringify(profile)`, without serialising a built profile twice: the text made by
 * `buildProfile` is reused (the two are equal; merge.test.ts checks it).
 */
export function profileJson(profile: Profile): string {
  return (profile as Profile & { readonly [LINE]?: string })[LINE] ?? JSON.stringify(profile);
}

/** The data-path form of a profile object (for writing a `Profile` to a sink). */
export function profileLine(profile: Profile): ProfileLine {
  const { customer_id, idempotency_key, health_score, churn_risk, expansion_potential } = profile;
  const bytes = Buffer.from(profileJson(profile), 'utf8');
  return new Line(customer_id, idempotency_key, health_score, churn_risk, expansion_potential, bytes, 0, bytes.length);
}

/** The profile object a line stands for: `JSON.parse` of its text (numbers and strings round-trip exactly). */
export function profileOf(line: ProfileLine): Profile {
  return JSON.parse(line.json) as Profile;
}
