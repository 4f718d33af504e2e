import { join } from 'node:path';
import { Merger, profileOf } from '../core/merge.js';
import type { ProfileLine } from '../core/merge.js';
import type { Reject } from '../core/rows.js';
import { SOURCE_NAMES } from '../core/schema.js';
import { ProfileStats } from '../core/stats.js';
import { openAtomic } from '../io/atomic.js';
import type { AtomicWriter } from '../io/atomic.js';
import type { ShardRowSource } from '../io/shard-rows.js';
import { zeroSourceCounts } from './aggregate.js';
import type { ShardInput, ShardResult, SourceCounts } from './contracts.js';
import { rejectsFile } from './output.js';
import { filesSink } from '../sinks/files.js';
import type { ProfileSink, SinkReceipt } from '../sinks/sink.js';
import type { SourceName } from '../core/schema.js';
import { uniqueByKey } from './dedupe.js';

/** Moments of a shard's work that callers observe (structured logs), without changing it. */
export interface ShardHooks {
  /** All input rows of the shard are read and merged; rows per source, before any output is written. */
  inputLoaded?(rows: Record<SourceName, { readonly read: number; readonly rejected: number }>): void;
}

/**
 * The work of one shard, independent of how its rows arrive: merge the rows it owns, enrich,
 * write profiles sorted by customer id atomically, write its rejects, count everything.
 * Conservation holds per source: read = merged + rejected.
 */
export async function runShard(input: ShardInput, rows: ShardRowSource, sink: ProfileSink = filesSink, hooks: ShardHooks = {}): Promise<ShardResult> {
  const t0 = performance.now();
  const merger = new Merger();
  const rejected = { crm: 0, billing: 0, product: 0, support: 0 };
  let rejects: AtomicWriter | undefined;
  const rejFile = rejectsFile(input);
  try {
    for (const source of SOURCE_NAMES) {
      for await (const batch of rows.rows(source, merger)) {
        for (const ev of batch) {
          if (ev.kind === 'row') {
            merger.add(ev);
          } else {
            rejected[source]++;
            rejects ??= await openAtomic(join(input.out_dir, rejFile));
            await rejects.write(`${JSON.stringify(rejectRecord(ev))}\n`);
          }
        }
      }
    }
    if (hooks.inputLoaded !== undefined) {
      const merged = merger.counts().merged;
      const loaded = { crm: { read: 0, rejected: 0 }, billing: { read: 0, rejected: 0 }, product: { read: 0, rejected: 0 }, support: { read: 0, rejected: 0 } };
      for (const s of SOURCE_NAMES) loaded[s] = { read: merged[s] + rejected[s], rejected: rejected[s] };
      hooks.inputLoaded(loaded);
    }
    const stats = new ProfileStats<ProfileLine>();
    const drops = { dropped: 0 };
    const out = await sink.open(input);
    let receipt: SinkReceipt;
    try {
      for (const p of uniqueByKey(merger.profiles(), drops)) {
        stats.add(p);
        const w = out.write(p);
        if (w !== undefined) await w;
      }
      receipt = await out.commit();
    } catch (err) {
      await out.abort();
      throw err;
    }
    if (rejects !== undefined) await rejects.commit();
    const counts = merger.counts();
    const sources = zeroSourceCounts();
    for (const s of SOURCE_NAMES) {
      const c: SourceCounts = {
        read: counts.merged[s] + rejected[s],
        merged: counts.merged[s],
        rejected: rejected[s],
        duplicates: counts.duplicates[s],
      };
      sources[s] = c;
    }
    return {
      shard_index: input.shard_index,
      shard_count: input.shard_count,
      profiles: stats.profiles,
      sources,
      orphans: counts.orphans,
      health_score_sum: stats.healthSum,
      churn_distribution: stats.churn,
      expansion_distribution: stats.expansion,
      sample_profile: stats.sample === null ? null : profileOf(stats.sample),
      output_file: receipt.output_file,
      checksum: receipt.checksum,
      ...(receipt.load !== undefined ? { load: receipt.load } : {}),
      rejects_file: rejects === undefined ? null : rejFile,
      duplicates_dropped: drops.dropped,
      elapsed_ms: Math.round(performance.now() - t0),
    };
  } catch (err) {
    await rejects?.abort();
    throw err;
  }
}

/** A line of the rejects report. */
export interface RejectRecord {
  readonly source: string;
  readonly file: string;
  readonly line: number;
  readonly field: string | null;
  readonly reason: string;
  readonly raw: string;
}

function rejectRecord(r: Reject): RejectRecord {
  return { source: r.source, file: r.file, line: r.line, field: r.field ?? null, reason: r.reason, raw: r.raw };
}
