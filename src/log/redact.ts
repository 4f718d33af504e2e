/**
 * Keeps personal data out of logs: every string passes through `scrubText` and fields named like
 * personal data are dropped. Logs carry counts, not customer ids.
 */

const EMAIL = /[^\s@"'<>,;:()[\]]+@[^\s@"'<>,;:()[\]]+\.[A-Za-z]{2,}/g;

/** Field names never written to a log line, whatever their value. */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  'email',
  'company_name',
  'name',
  'first_name',
  'last_name',
  'sales_owner',
  'profile',
  'sample_profile',
  'raw',
]);

const MAX_TEXT = 500;

/** Replaces anything shaped like an email address with `<email>` and caps the length. */
export function scrubText(text: string): string {
  // The email pattern backtracks quadratically over long runs without '@': scrub only what can
  // be shown (plus room for an address that straddles the cut, which the final cut drops).
  const head = text.length > MAX_TEXT + 256 ? text.slice(0, MAX_TEXT + 256) : text;
  const clean = head.replace(EMAIL, '<email>');
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

/** A log-safe copy of `fields`: personal fields dropped, strings scrubbed, nested objects too. */
export function scrubFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (PERSONAL_FIELDS.has(k) || v === undefined) continue;
    out[k] = scrubValue(v, 0);
  }
  return out;
}

function scrubValue(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (v instanceof Error) return errorFields(v);
  if (typeof v !== 'object' || v === null) return v;
  if (depth > 3) return '[nested]';
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => scrubValue(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (PERSONAL_FIELDS.has(k) || x === undefined) continue;
    out[k] = scrubValue(x, depth + 1);
  }
  return out;
}

/**
 * What a log line says about an error: its class (as `type`: a field called `name` would be
 * dropped as personal data), code, retryability and first line, scrubbed.
 */
export function errorFields(err: unknown): { type: string; message: string; code?: string; retryable?: boolean } {
  const e = err instanceof Error ? err : new Error(String(err));
  const extra = e as Error & { code?: unknown; retryable?: unknown };
  return {
    type: e.name,
    message: scrubText(e.message.split('\n')[0] ?? ''),
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
    ...(typeof extra.retryable === 'boolean' ? { retryable: extra.retryable } : {}),
  };
}
