import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { getLogger } from '../../log/logger.js';
import type { EventLog } from '../../log/logger.js';
import { errorFields } from '../../log/redact.js';
import { claimAttempt } from './attempt.js';
import type { ShardInput, ShardResult } from '../contracts.js';
import { OUTPUT_VERSION, MANIFEST_VERSION, readManifest, writeManifest } from './manifest.js';
import { manifestFile, profilesFile, rejectsFile } from '../../io/output-names.js';
import { openOutArea } from '../../io/out-area.js';
import type { OutArea } from '../../io/out-area.js';

/** Whether a shard writes files under out_dir (manifests and reuse apply only then). */
export function writesFiles(input: Pick<ShardInput, 'sink'>): boolean {
  return input.sink === undefined || input.sink.kind === 'files';
}

/**
 * A reusable finished shard: a manifest of this version naming the same input digest and shard,
 * whose files under their final names hash to its checksums. Else the reason to recompute.
 */
export async function findReusableShard(input: ShardInput, area?: OutArea): Promise<{ readonly result: ShardResult } | { readonly reason: string }> {
  if (input.input_digest === undefined) return { reason: 'no input digest' };
  if (area === undefined) {
    const own = await openOutArea(input.out_dir);
    try {
      return await findReusableShard(input, own);
    } finally {
      await own.close();
    }
  }
  const m = await readManifest(area, input);
  if ('problem' in m) return { reason: m.problem };
  if (m.manifest_version !== MANIFEST_VERSION) return { reason: `manifest version ${m.manifest_version}, expected ${MANIFEST_VERSION}` };
  if (m.output_version !== OUTPUT_VERSION) return { reason: `output version ${m.output_version}, expected ${OUTPUT_VERSION}` };
  if (m.input_digest !== input.input_digest) return { reason: 'manifest is for another input digest' };
  if (m.shard_index !== input.shard_index || m.shard_count !== input.shard_count) return { reason: 'manifest is for another shard' };
  if (m.output_file !== profilesFile(input)) return { reason: 'manifest names another output file' };
  const sum = await area.sha256(m.output_file);
  if (sum === undefined) return { reason: 'output file missing' };
  if (sum !== m.checksum) return { reason: 'output file checksum differs from the manifest' };
  if (m.rejects_file !== null) {
    if (m.rejects_file !== rejectsFile(input)) return { reason: 'manifest names another rejects file' };
    const rsum = await area.sha256(m.rejects_file);
    if (rsum === undefined) return { reason: 'rejects file missing' };
    if (rsum !== m.rejects_checksum) return { reason: 'rejects file checksum differs from the manifest' };
  }
  return { result: m.result };
}

/** Removes `.tmp-*` files a dead attempt of this shard left behind (never taken as complete); returns how many. */
export async function removeStaleTemps(input: ShardInput): Promise<number> {
  let removed = 0;
  for (const rel of [profilesFile(input), rejectsFile(input), manifestFile(input)]) {
    const path = join(input.out_dir, rel);
    let names: string[];
    try {
      names = await readdir(dirname(path));
    } catch {
      continue;
    }
    const prefix = `${basename(path)}.tmp-`;
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      await rm(join(dirname(path), name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** What the computing part of a shard gets from `runShardIdempotently`. */
export interface ShardAttempt {
  /** This attempt's number (1 for the first), or undefined when it cannot be known. */
  readonly attempt: number | undefined;
  /** The shard's logger: run_id, task, shard and attempt on every line. */
  readonly log: EventLog;
  /**
   * The local folder to write the shard's files in: out_dir itself, or, for a store out_dir, a
   * staging folder whose files are published once the shard is done.
   */
  readonly outDir: string;
}

/**
 * One attempt of `process_shard`, safe to repeat: number it, clear stale temps, reuse a finished
 * shard or run `compute`, write the manifest after the output is committed, log each step.
 * Failures are logged and rethrown unchanged. Store out_dirs publish the manifest last.
 */
export async function runShardIdempotently(
  input: ShardInput,
  compute: (attempt: ShardAttempt) => Promise<ShardResult>,
): Promise<ShardResult> {
  const t0 = performance.now();
  const elapsed = (): number => Math.round(performance.now() - t0);
  let log = getLogger({ run_id: input.run_id, task: 'process_shard', shard: input.shard_index });
  let area: OutArea | undefined;
  try {
    area = await openOutArea(input.out_dir);
    const attempt = await claimAttempt(input, area);
    log = log.child({ attempt });
    const files = writesFiles(input);
    const resume = input.resume !== false;
    log.info('shard_started', {
      shard_count: input.shard_count,
      ...(input.input_digest !== undefined ? { input_digest: input.input_digest.slice(0, 12) } : {}),
      resume,
    });
    if (files && !area.staged) {
      const removed = await removeStaleTemps(input);
      if (removed > 0) log.info('stale_temp_removed', { files: removed });
    }
    if (files && resume && input.input_digest !== undefined) {
      const found = await findReusableShard(input, area);
      if ('result' in found) {
        const result: ShardResult = { ...found.result, reused: true, elapsed_ms: elapsed() };
        log.info('shard_reused', { profiles: result.profiles, elapsed_ms: result.elapsed_ms });
        return result;
      }
      log.debug('shard_not_reused', { reason: found.reason });
    }
    const computed = await compute({ attempt, log, outDir: area.dir });
    const result: ShardResult = {
      ...computed,
      ...(input.input_digest !== undefined ? { input_digest: input.input_digest } : {}),
    };
    // Rejects are files whatever the sink; profiles only with the file sink.
    if (area.staged) await area.publish([...(files ? [result.output_file] : []), ...(result.rejects_file !== null ? [result.rejects_file] : [])]);
    if (files && input.input_digest !== undefined) {
      if (result.rejects_file === null) await area.remove(rejectsFile(input));
      await writeManifest(area.dir, { ...result, input_digest: input.input_digest });
      await area.publish([manifestFile(input)]);
    }
    log.info('shard_completed', {
      profiles: result.profiles,
      rows: Object.fromEntries(Object.entries(result.sources).map(([s, c]) => [s, { read: c.read, rejected: c.rejected }])),
      duplicates_dropped: result.duplicates_dropped ?? 0,
      elapsed_ms: elapsed(),
    });
    return result;
  } catch (err) {
    log.error('shard_failed', { error: errorFields(err), elapsed_ms: elapsed() });
    throw err;
  } finally {
    await area?.close();
  }
}
