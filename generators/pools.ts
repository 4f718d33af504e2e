/**
 * Value pools built once per seed from `@faker-js/faker`, then picked from by the per-customer
 * PRNG. Faker's per-call cost is paid a few thousand times per process instead of millions of
 * times, and output stays realistic: faker's own names and
 * companies, with German and French entries so that non-ASCII letters appear, faker's
 * "X, Y and Z" companies so that commas appear, and a few `The "…" …` names so that quotes do.
 *
 * Invariant: `poolsFor(seed)` is a pure function of the seed and the installed faker version
 * (dedicated, seeded `Faker` instances; the shared global `faker` is never touched).
 */
import type { Faker } from '@faker-js/faker';
import { faker as fakerDE } from '@faker-js/faker/locale/de';
import { faker as fakerEN } from '@faker-js/faker/locale/en';
import { faker as fakerFR } from '@faker-js/faker/locale/fr';
import { Stream, mix32, seedKey, streamSeed } from './prng.js';
import { companyLabel, nameSlug } from './text.js';

/** A person's name part with its email-safe slug. */
export interface NamePart {
  readonly name: string;
  readonly slug: string;
}

/** A company and the domain its people's email addresses use. */
export interface Company {
  readonly name: string;
  readonly domain: string;
}

/** Everything faker contributes to a dataset, fixed per seed. */
export interface Pools {
  readonly firstNames: readonly NamePart[];
  readonly lastNames: readonly NamePart[];
  readonly companies: readonly Company[];
  readonly salesOwners: readonly string[];
}

/** Pool sizes: large enough for variety (1M first×last pairs), small enough to build quickly. */
export const POOL_SIZES = { firstNames: 1024, lastNames: 1024, companies: 4096, salesOwners: 48 } as const;

type Locale = 'en' | 'de' | 'fr';

type FakerClass = new (options: { locale: Faker['rawDefinitions'] }) => Faker;
const TEMPLATES: Readonly<Record<Locale, Faker>> = { en: fakerEN, de: fakerDE, fr: fakerFR };

/**
 * A fresh faker with a locale's definitions (de and fr fall back to en, then base), seeded.
 * Built from the per-locale entry points' instances because importing `Faker` from the package
 * root loads every locale into each worker thread; the shared instances are only read.
 */
function makeFaker(locale: Locale, seed32: number): Faker {
  const template = TEMPLATES[locale];
  const FakerOf = template.constructor as FakerClass;
  const faker = new FakerOf({ locale: template.rawDefinitions });
  faker.seed(seed32);
  return faker;
}

/** Share of each pool drawn from each locale (the rest is English). */
const LOCALE_CUTS = { de: 0.1, fr: 0.05 } as const;

function localeAt(position: number, size: number): Locale {
  const share = position / size;
  if (share < LOCALE_CUTS.de) return 'de';
  if (share < LOCALE_CUTS.de + LOCALE_CUTS.fr) return 'fr';
  return 'en';
}

const EN_TLDS = ['com', 'com', 'com', 'com', 'io', 'co', 'net', 'ai'] as const;
const TLD: Readonly<Record<Locale, readonly string[]>> = { en: EN_TLDS, de: ['de', 'de', 'com'], fr: ['fr', 'fr', 'com'] };
const QUOTED_SHARE = 0.03;

function capitalise(word: string): string {
  return word
    .split(' ')
    .map((w) => (w === '' ? w : (w[0] as string).toUpperCase() + w.slice(1)))
    .join(' ');
}

function buildPools(seed: number): Pools {
  const key = mix32(streamSeed(seedKey(seed), 0, Stream.pools));
  const fakers: Record<Locale, Faker> = {
    en: makeFaker('en', key),
    de: makeFaker('de', mix32(key + 1)),
    fr: makeFaker('fr', mix32(key + 2)),
  };

  const firstNames: NamePart[] = [];
  for (let k = 0; k < POOL_SIZES.firstNames; k++) {
    const name = fakers[localeAt(k, POOL_SIZES.firstNames)].person.firstName();
    firstNames.push({ name, slug: nameSlug(name, `user${k}`) });
  }
  const lastNames: NamePart[] = [];
  for (let k = 0; k < POOL_SIZES.lastNames; k++) {
    const name = fakers[localeAt(k, POOL_SIZES.lastNames)].person.lastName();
    lastNames.push({ name, slug: nameSlug(name, `staff${k}`) });
  }

  const companies: Company[] = [];
  const quotedFrom = Math.floor(POOL_SIZES.companies * (1 - QUOTED_SHARE));
  for (let k = 0; k < POOL_SIZES.companies; k++) {
    const locale = localeAt(k, POOL_SIZES.companies);
    const faker = fakers[locale];
    const name =
      k >= quotedFrom
        ? `The "${capitalise(faker.company.buzzAdjective())}" ${capitalise(faker.company.buzzNoun())}`
        : faker.company.name();
    const domain = `${companyLabel(name, `company${k}`)}.${faker.helpers.arrayElement(TLD[locale])}`;
    companies.push({ name, domain });
  }

  const salesOwners: string[] = [];
  for (let k = 0; k < POOL_SIZES.salesOwners; k++) {
    salesOwners.push(`${fakers.en.person.firstName()} ${fakers.en.person.lastName()}`);
  }
  return { firstNames, lastNames, companies, salesOwners };
}

const cache = new Map<number, Pools>();
const CACHE_LIMIT = 8;

/** The pools of `seed`, built on first use and kept for the few most recent seeds. */
export function poolsFor(seed: number): Pools {
  let pools = cache.get(seed);
  if (pools === undefined) {
    pools = buildPools(seed);
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(seed, pools);
  }
  return pools;
}
