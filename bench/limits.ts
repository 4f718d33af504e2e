/**
 * Whether a bench case fits this machine: an estimate made before the case runs (memory and disk
 * it would need against what is free), and the reading of a failure that means it did not fit
 * (out of memory, a full disk). Either way the case is reported as "did not fit: ...", never as a
 * crash. The estimate is deliberately rough and generous; the coefficients are per customer of the
 * tutorial's data shape (see docs/performance.md for the measurements behind them).
 */
import { statfs } from 'node:fs/promises';
import { freemem } from 'node:os';
import type { CaseKind } from './stats.js';

/** Bytes of JSON profile per customer (about 866 MB at a million customers). */
export const PROFILE_BYTES_PER_CUSTOMER = 900;
/** Bytes of the four CSVs per customer (about 3.4 GB at ten million). */
export const CSV_BYTES_PER_CUSTOMER = 350;
/** DuckDB's aggregate query, in memory without a limit: peak bytes per customer (9.2 GB at ten million). */
export const DUCKDB_AGGREGATE_BYTES_PER_CUSTOMER = 1000;
const MiB = 2 ** 20;
const GiB = 2 ** 30;

export interface Room {
  /** Memory the case may use, bytes (os.freemem: what the kernel counts as available). */
  readonly freeMemBytes: number;
  /** Free disk where the case writes (scratch folder), bytes. */
  readonly freeDiskBytes: number;
}

export interface CaseNeed {
  readonly memBytes: number;
  readonly diskBytes: number;
}

/** Parses a DuckDB size (`6GiB`, `4000MB`) into bytes. */
export function sizeBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(text.trim());
  if (m === null) throw new RangeError(`not a size such as 6GiB or 4000MB: ${JSON.stringify(text)}`);
  const unit = m[2]!.toLowerCase();
  const pow = { kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 }[unit]!;
  return Number(m[1]) * pow;
}

/** Rough memory and disk a case needs at `customers` customers (with `concurrency` shards at once, DuckDB's memory limit). */
export function estimateNeed(kind: CaseKind, customers: number, opts: { readonly concurrency: number; readonly duckdbMemoryLimit: string }): CaseNeed {
  const profiles = PROFILE_BYTES_PER_CUSTOMER * customers;
  const csv = CSV_BYTES_PER_CUSTOMER * customers;
  switch (kind) {
    case 'duckdb':
      return { memBytes: DUCKDB_AGGREGATE_BYTES_PER_CUSTOMER * customers + 300 * MiB, diskBytes: 0 };
    case 'duckdb-profiles':
      // Held to its limit, it spills the rest: profiles out, and up to the data again in spill files.
      return { memBytes: Math.min(sizeBytes(opts.duckdbMemoryLimit), 1000 * customers + 300 * MiB) + 300 * MiB, diskBytes: profiles + csv * 2 };
    case 'reference':
      // One process holding every profile's text.
      return { memBytes: 2 * profiles + 300 * MiB, diskBytes: 0 };
    default:
      // Shards stream: a few hundred MiB per process at any size; partitions of the data plus profiles on disk.
      return { memBytes: (opts.concurrency + 1) * 500 * MiB, diskBytes: profiles + csv };
  }
}

const gib = (b: number): string => `${(b / GiB).toFixed(1)} GiB`;

/** "did not fit: ..." when `need` exceeds `room`, else undefined. */
export function fitVerdict(need: CaseNeed, room: Room): string | undefined {
  const why: string[] = [];
  if (need.memBytes > room.freeMemBytes) why.push(`needs about ${gib(need.memBytes)} of memory, ${gib(room.freeMemBytes)} free`);
  if (need.diskBytes > room.freeDiskBytes) why.push(`needs about ${gib(need.diskBytes)} of disk, ${gib(room.freeDiskBytes)} free`);
  return why.length === 0 ? undefined : `did not fit: ${why.join('; ')}`;
}

/** Free memory now and free disk under `dir`. */
export async function roomAt(dir: string): Promise<Room> {
  const fs = await statfs(dir);
  return { freeMemBytes: freemem(), freeDiskBytes: fs.bavail * fs.bsize };
}

/**
 * "did not fit: ..." when a failed run's error says it ran out of memory or disk (DuckDB's "Out
 * of Memory Error", V8's heap limit, ENOMEM, ENOSPC, a process killed by SIGKILL as the kernel's
 * OOM killer does), else undefined: any other failure is a real error.
 */
export function outOfRoom(err: unknown): string | undefined {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split('\n').find((l) => /out of memory|ENOMEM|heap limit|ENOSPC|no space left|SIGKILL/i.test(l)) ?? '';
  if (/ENOSPC|no space left/i.test(text)) return `did not fit: disk full (${first.trim().slice(0, 200)})`;
  if (/out of memory|ENOMEM|heap limit|Allocation failed/i.test(text)) return `did not fit: out of memory (${first.trim().slice(0, 200)})`;
  if (/signal SIGKILL/.test(text)) return `did not fit: killed by SIGKILL, as the kernel's out-of-memory killer does (${first.trim().slice(0, 200)})`;
  return undefined;
}
