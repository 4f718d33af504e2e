/**
 * Turning realistic names (with accents, apostrophes, commas, quotes) into the ASCII parts of an
 * email address: `Zoë O'Hara` → `zoe`, `ohara`; `Müller, Voß und Söhne GmbH` → `muller-voss.de`.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const SPECIAL = /[ßæœøłđðþı]/g;

/** Lower-case ASCII letters and digits of `text`, other characters turned into spaces. */
export function asciiFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(SPECIAL, (ch) => SPECIAL_LETTERS[ch] ?? '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** One email-safe token for a person's name part (`D'Angelo` → `dangelo`); never empty. */
export function nameSlug(name: string, fallback: string): string {
  const slug = asciiFold(name.replace(/['’]/g, '')).replace(/ /g, '');
  return slug === '' ? fallback : slug;
}

/** Words that say what kind of company it is, not which one: left out of domains. */
const NOT_IN_DOMAIN = new Set([
  'and', 'und', 'et', 'the', 'inc', 'llc', 'ltd', 'corp', 'co', 'group', 'gruppe', 'gmbh', 'kg',
  'ag', 'ohg', 'ug', 'sa', 'sarl', 'sas', 'sem', 'eurl', 'sarl', 'snc', 'scop',
]);

/** Domain label of a company name: its first one or two distinctive words, hyphen-joined. */
export function companyLabel(name: string, fallback: string): string {
  const words = asciiFold(name.replace(/['’]/g, ''))
    .split(' ')
    .filter((w) => w !== '' && !NOT_IN_DOMAIN.has(w));
  if (words.length === 0) return fallback;
  return words.slice(0, 2).join('-');
}
