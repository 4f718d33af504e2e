/**
 * The bench hook for the PostgreSQL sink: load a set of profiles through exactly the path a
 * shard takes (connect, prepare the table, COPY into the staging table, one upsert, COMMIT) and
 * report rows per second. Pass an array to time the load alone; a lazy iterable's own cost is
 * timed too.
 *
 * ```ts
 * const { profiles } = await referenceRun(dataDir);
 * const cold = await loadThroughput({ profiles, table: 'cm_bench', fresh: true }); // all inserted
 * const warm = await loadThroughput({ profiles, table: 'cm_bench' });              // all unchanged
 * console.log(cold.rows_per_second, warm.rows_per_second);
 * ```
 */
import { profileLine } from '../core/profile.js';
import type { Profile } from '../core/profile.js';
import { connect, openLoad, resolveTarget } from './postgres.js';
import type { LoadCounts, PostgresSinkOptions } from './postgres.js';
import { qualifiedName, targetLabel } from './postgres-schema.js';
import { DATABASE_URL_ENV, checkDatabaseUrl } from './postgres-url.js';

export interface LoadThroughputOptions extends PostgresSinkOptions {
  /** The profiles to load, sorted by customer id as a shard would write them. */
  readonly profiles: Iterable<Profile> | AsyncIterable<Profile>;
  /** Drop the target table first, so every row is an insert (default false). */
  readonly fresh?: boolean;
}

export interface LoadThroughput {
  /** `schema.table` loaded into. */
  readonly table: string;
  readonly rows: number;
  /** Bytes sent by COPY. */
  readonly bytes: number;
  /** From connect to COMMIT, in ms. */
  readonly elapsed_ms: number;
  readonly rows_per_second: number;
  readonly load: LoadCounts;
  /** sha256 of the staged COPY bytes (equal for equal profiles). */
  readonly checksum: string;
}

/** Loads `profiles` as one shard and measures it. */
export async function loadThroughput(options: LoadThroughputOptions): Promise<LoadThroughput> {
  const url = checkDatabaseUrl(options.url ?? process.env[DATABASE_URL_ENV]);
  const target = resolveTarget(options);
  if (options.fresh === true) {
    const client = await connect(url, options.connectTimeoutMs);
    try {
      await client.query(`DROP TABLE IF EXISTS ${qualifiedName(target)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const session = await openLoad({ ...options, url }, { shard_index: 0, shard_count: 1, out_dir: '-' });
  let receipt;
  try {
    for await (const p of options.profiles) await session.write(profileLine(p));
    receipt = await session.commit();
  } catch (err) {
    await session.abort();
    throw err;
  }
  const { rows, bytes, elapsedMs } = session.stats;
  return {
    table: targetLabel(target),
    rows,
    bytes,
    elapsed_ms: Math.round(elapsedMs),
    rows_per_second: elapsedMs > 0 ? Math.round((rows * 1000) / elapsedMs) : 0,
    load: receipt.load ?? { inserted: 0, updated: 0, unchanged: 0 },
    checksum: receipt.checksum,
  };
}
