/**
 * An order-independent digest of profile content, so that two implementations' profile files can
 * be compared however they split, order or format them. Each line is parsed and re-serialised
 * canonically (keys sorted at every level, numbers as JSON.stringify writes them: `250.0` and
 * `250` are the same number); the idempotency key is left out, since it hashes an
 * implementation's own text of the sources. Each canonical profile is hashed (SHA-256) and the
 * hashes are added up modulo 2^128, so the digest does not depend on line order but does on
 * every profile, duplicates included.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';

export interface ProfileDigest {
  /** Profiles (non-empty lines) seen. */
  readonly profiles: number;
  /** 32 hex digits. */
  readonly digest: string;
}

/** The field every implementation computes from its own bytes, left out of the comparison. */
export const DIGEST_IGNORES = ['idempotency_key'] as const;

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
}

/** The canonical text of one profile line (see the module comment). Throws naming the line when it is not a JSON object. */
export function canonicalProfile(line: string, where = 'profile line'): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new SyntaxError(`${where} is not JSON (${(err as Error).message}): ${JSON.stringify(line.slice(0, 120))}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TypeError(`${where} is not a JSON object: ${JSON.stringify(line.slice(0, 120))}`);
  const obj = { ...(parsed as Record<string, unknown>) };
  for (const k of DIGEST_IGNORES) delete obj[k];
  return canonical(obj);
}

const MASK = (1n << 128n) - 1n;

/** Accumulates profile lines in any order. */
export class DigestBuilder {
  private sum = 0n;
  private count = 0;

  add(line: string, where?: string): void {
    if (line.trim() === '') return;
    const h = createHash('sha256').update(canonicalProfile(line, where)).digest();
    this.sum = (this.sum + ((h.readBigUInt64BE(0) << 64n) | h.readBigUInt64BE(8))) & MASK;
    this.count++;
  }

  result(): ProfileDigest {
    return { profiles: this.count, digest: this.sum.toString(16).padStart(32, '0') };
  }
}

/** The digest of every line of the given JSON-lines files, taken together. */
export async function digestFiles(files: readonly string[]): Promise<ProfileDigest> {
  const b = new DigestBuilder();
  for (const file of files) {
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let n = 0;
    for await (const line of rl) b.add(line, `${file} line ${++n}`);
  }
  return b.result();
}

/** Throws unless two digests are equal, naming both sides. */
export function checkDigest(what: string, got: ProfileDigest, want: ProfileDigest, wantWhat: string): void {
  if (got.profiles !== want.profiles || got.digest !== want.digest) {
    throw new Error(`${what}'s profiles differ from ${wantWhat}'s: ${got.profiles} profiles, digest ${got.digest}; ${wantWhat}: ${want.profiles} profiles, digest ${want.digest}`);
  }
}
