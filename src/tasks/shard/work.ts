import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MergerMemory, zeroCounts } from '../../engine/index.js';
import type { Reject } from '../../engine/index.js';
import { profileOf } from '../../core/profile.js';
import type { ProfileLine } from '../../core/profile.js';
import { SOURCE_NAMES } from '../../core/schema.js';
import { ProfileStats } from '../../core/stats.js';
import { openAtomic } from '../../io/atomic.js';
import type { AtomicWriter } from '../../io/atomic.js';
import type { ShardRowSource } from '../../io/row-source.js';
import { zeroSourceCounts } from './source-counts.js';
import type { ShardInput, ShardResult, SourceCounts } from '../contracts.js';
import { rejectsFile } from '../../io/output-names.js';
import { filesSink } from '../../sinks/files.js';
import type { ProfileSink, SinkReceipt, SinkSession } from '../../sinks/sink.js';
import type { SourceName } from '../../core/schema.js';
import { uniqueByKey } from './dedupe.js';
import { mergeRejectFiles } from './rejects-report.js';
import { planRanges } from './ranges.js';

/** Moments of a shard's work that callers observe (structured logs), without changing it. */
export interface ShardHooks {
  /** All the shard's rows are read (rows per source); with several passes, after the last pass reads. */
  inputLoaded?(rows: Record<SourceName, { readonly read: number; readonly rejected: number }>): void;
  /** The shard needs `passes` passes over id ranges to stay within its memory budget. */
  passesPlanned?(passes: number): void;
}

export interface ShardWorkOptions {
  /** Memory a worker may use (bytes); a larger shard is processed in id-range passes. Default: no limit. */
  readonly memoryBudgetBytes?: number;
  /** Exactly this many passes, whatever the budget (for tests and measurements). */
  readonly passes?: number;
}

/**
 * One shard's work, however its rows arrive: merge, enrich, write profiles sorted by id and the
 * rejects, count. Per source, read = merged + rejected. Over budget: id-range passes, same bytes.
 */
export async function runShard(
  input: ShardInput,
  rows: ShardRowSource,
  sink: ProfileSink = filesSink,
  hooks: ShardHooks = {},
  options: ShardWorkOptions = {},
): Promise<ShardResult> {
  const t0 = performance.now();
  const ranges = await planRanges(rows, options.memoryBudgetBytes ?? Infinity, options.passes);
  hooks.passesPlanned?.(ranges.length);
  const rejected = zeroCounts();
  const merged = zeroCounts();
  const duplicates = zeroCounts();
  let orphans = 0;
  const rejFile = rejectsFile(input);
  const rejPath = join(input.out_dir, rejFile);
  // One pass writes its rejects in (source, line) order straight to the shard's file; several
  // passes each write a part in that order, merged at the end.
  const parts: { path: string; writer: AtomicWriter | undefined }[] = ranges.map((_, k) => ({
    path: ranges.length === 1 ? rejPath : `${rejPath}.part-${k}`,
    writer: undefined,
  }));
  let rejects: AtomicWriter | undefined;
  const stats = new ProfileStats<ProfileLine>();
  const drops = { dropped: 0 };
  let out: SinkSession | undefined;
  const memory = spareMemory ?? new MergerMemory();
  spareMemory = undefined;
  try {
    for (const [k, range] of ranges.entries()) {
      // Each pass reuses the memory of the one before: its profiles are written, its rows done with.
      const merger = memory.fresh();
      const part = parts[k]!;
      for (const source of SOURCE_NAMES) {
        for await (const batch of rows.rows(source, merger, range)) {
          for (const ev of batch) {
            if (ev.kind === 'row') {
              merger.add(ev);
            } else {
              rejected[source]++;
              part.writer ??= await openAtomic(part.path);
              await part.writer.write(`${JSON.stringify(rejectRecord(ev))}\n`);
            }
          }
        }
      }
      const counts = merger.counts();
      for (const s of SOURCE_NAMES) {
        merged[s] += counts.merged[s];
        duplicates[s] += counts.duplicates[s];
      }
      orphans += counts.orphans;
      if (k === ranges.length - 1 && hooks.inputLoaded !== undefined) {
        const loaded = { crm: { read: 0, rejected: 0 }, billing: { read: 0, rejected: 0 }, product: { read: 0, rejected: 0 }, support: { read: 0, rejected: 0 } };
        for (const s of SOURCE_NAMES) loaded[s] = { read: merged[s] + rejected[s], rejected: rejected[s] };
        hooks.inputLoaded(loaded);
      }
      out ??= await sink.open(input);
      for (const p of uniqueByKey(merger.profiles(), drops)) {
        stats.add(p);
        const w = out.write(p);
        if (w !== undefined) await w;
      }
    }
    // Every plan has at least one pass, so the session is open; a failed commit is aborted below.
    const receipt: SinkReceipt = await out!.commit();
    out = undefined;
    if (ranges.length === 1) {
      rejects = parts[0]!.writer;
    } else if (parts.some((p) => p.writer !== undefined)) {
      for (const p of parts) await p.writer?.commit();
      rejects = await openAtomic(rejPath);
      await mergeRejectFiles(parts.filter((p) => p.writer !== undefined).map((p) => p.path), rejects, zeroCounts());
    }
    if (rejects !== undefined) await rejects.commit();
    const sources = zeroSourceCounts();
    for (const s of SOURCE_NAMES) {
      const c: SourceCounts = { read: merged[s] + rejected[s], merged: merged[s], rejected: rejected[s], duplicates: duplicates[s] };
      sources[s] = c;
    }
    return {
      shard_index: input.shard_index,
      shard_count: input.shard_count,
      profiles: stats.profiles,
      sources,
      orphans,
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
    await out?.abort();
    await rejects?.abort();
    for (const p of parts) await p.writer?.abort();
    throw err;
  } finally {
    if (ranges.length > 1) for (const p of parts) await rm(p.path, { force: true });
    // Nothing refers to the rows now: profiles were assembled into pages of their own.
    memory.release();
    spareMemory = memory;
  }
}

/**
 * The row memory of the shard this process finished last, reused by the next shard of a group
 * instead of a fresh arena (docs/engine-notes.md). One shard holds it at a time.
 */
let spareMemory: MergerMemory | undefined;

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
