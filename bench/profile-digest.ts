/**
 * An order-independent digest of profile content, so that two implementations' profile files can
 * be compared however they split or order them. Each line is first brought to one notation: the
 * idempotency key is removed (it hashes an implementation's own text of the sources) and whole
 * numbers lose a trailing `.0` (DuckDB writes `250.0` where the pipeline writes `250`). Key order
 * is compared as written: both writers lay a profile out as the pipeline does (customer_id, the
 * sources in CRM, Billing, Product, Support order with each source's columns in file order, then
 * health_score, churn_risk, expansion_potential). Each line's SHA-1 is added up modulo 2^128, so the
 * digest ignores line order but not any profile, duplicates included. Large files are digested by
 * two worker threads over byte ranges (the sum does not care which thread saw which line).
 */
import { hash } from 'node:crypto';
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { compiledPath } from '../src/runtime/compiled.js';

export interface ProfileDigest {
  /** Profiles (non-empty lines) seen. */
  readonly profiles: number;
  /** 32 hex digits. */
  readonly digest: string;
}

const KEY_RE = /,"idempotency_key":"(?:[^"\\]|\\.)*"(?=\}$)/;
const WHOLE_RE = /(?<!\\)":(-?\d+)\.0(?=[,}])/g;

/** The canonical text of one profile line: no idempotency key, whole numbers without `.0`. Throws naming the line when it is not a JSON object's text. */
export function canonicalProfile(line: string, where = 'profile line'): string {
  if (!line.startsWith('{') || !line.endsWith('}')) throw new SyntaxError(`${where} is not a JSON object: ${JSON.stringify(line.slice(0, 120))}`);
  return line.replace(KEY_RE, '').replace(WHOLE_RE, '":$1');
}

const MASK = (1n << 128n) - 1n;

/** Accumulates profile lines in any order. */
export class DigestBuilder {
  sum = 0n;
  count = 0;

  add(line: string, where?: string): void {
    if (line.trim() === '') return;
    this.sum = (this.sum + BigInt(`0x${hash('sha1', canonicalProfile(line, where), 'hex').slice(0, 32)}`)) & MASK;
    this.count++;
  }

  merge(other: { readonly sum: bigint; readonly count: number }): void {
    this.sum = (this.sum + other.sum) & MASK;
    this.count += other.count;
  }

  result(): ProfileDigest {
    return { profiles: this.count, digest: this.sum.toString(16).padStart(32, '0') };
  }
}

/** One piece of work: the lines of `file` that start in [start, end). */
export interface Range {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** Digests the lines starting in a byte range (a line that starts before `start` belongs to the range before). */
export function digestRange(r: Range, b = new DigestBuilder()): DigestBuilder {
  const fd = openSync(r.file, 'r');
  try {
    const size = fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(8 * 2 ** 20);
    // `buf[0..have)` holds the file from byte `base`; lines are cut at newline bytes.
    let base = r.start;
    let have = 0;
    // Mid-line at `start`: that line belongs to the range before, so the first cut line is skipped.
    let first = false;
    if (r.start > 0) {
      const one = Buffer.alloc(1);
      readSync(fd, one, 0, 1, r.start - 1);
      first = one[0] !== 10;
    }
    for (;;) {
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const n = base + have < size ? readSync(fd, buf, have, Math.min(buf.length - have, size - base - have), base + have) : 0;
      const eof = n <= 0;
      have += Math.max(0, n);
      let i = 0;
      for (;;) {
        const nl = buf.indexOf(10, i);
        if (nl < 0 || nl >= have) break;
        const starts = base + i;
        if (first) first = false;
        else {
          if (starts >= r.end) return b;
          b.add(buf.toString('utf8', i, nl), `${r.file} at byte ${starts}`);
        }
        i = nl + 1;
      }
      if (eof) {
        if (i < have && !first && base + i < r.end) b.add(buf.toString('utf8', i, have), `${r.file} at byte ${base + i}`);
        return b;
      }
      buf.copy(buf, 0, i, have);
      base += i;
      have -= i;
    }
  } finally {
    closeSync(fd);
  }
}

/** Splits files into about `parts` byte ranges per file (at least 64 MiB each). */
export function ranges(files: readonly { readonly file: string; readonly size: number }[], parts: number): Range[] {
  const out: Range[] = [];
  for (const f of files) {
    const k = Math.max(1, Math.min(parts, Math.floor(f.size / (64 * 2 ** 20))));
    for (let i = 0; i < k; i++) out.push({ file: f.file, start: Math.floor((f.size * i) / k), end: i === k - 1 ? f.size : Math.floor((f.size * (i + 1)) / k) });
  }
  return out;
}

/** The digest of every line of the given JSON-lines files, taken together (two threads for large files). */
export async function digestFiles(files: readonly string[], threads = 2): Promise<ProfileDigest> {
  const sized = files.map((file) => {
    const fd = openSync(file, 'r');
    try {
      return { file, size: fstatSync(fd).size };
    } finally {
      closeSync(fd);
    }
  });
  const total = sized.reduce((n, f) => n + f.size, 0);
  const b = new DigestBuilder();
  if (threads <= 1 || total < 128 * 2 ** 20) {
    for (const f of sized) digestRange({ file: f.file, start: 0, end: f.size }, b);
    return b.result();
  }
  const work = ranges(sized, threads);
  const entry = compiledPath(import.meta.url, 'digest-worker.js');
  const run = (batch: Range[]): Promise<{ sum: bigint; count: number }> =>
    new Promise((resolve, reject) => {
      const w = new Worker(entry, { workerData: batch });
      w.once('message', (m: { sum: string; count: number } | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve({ sum: BigInt(`0x${m.sum}`), count: m.count })));
      w.once('error', reject);
    });
  const batches = Array.from({ length: threads }, (_, i) => work.filter((_, j) => j % threads === i)).filter((x) => x.length > 0);
  for (const part of await Promise.all(batches.map(run))) b.merge(part);
  return b.result();
}

/** Throws unless two digests are equal, naming both sides. */
export function checkDigest(what: string, got: ProfileDigest, want: ProfileDigest, wantWhat: string): void {
  if (got.profiles !== want.profiles || got.digest !== want.digest) {
    throw new Error(`${what}'s profiles differ from ${wantWhat}'s: ${got.profiles} profiles, digest ${got.digest}; ${wantWhat}: ${want.profiles} profiles, digest ${want.digest}`);
  }
}
