import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { CsvParser, headerOf, leadingId, malformedHeader, shardOfBytes } from '../engine/index.js';
import type { CsvSink } from '../engine/index.js';
import { InvalidOptionError, SourceFileError } from '../core/errors.js';
import { SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { assertShardCount } from '../core/routing.js';
import { ownerShard } from '../io/row-source.js';
import { SliceWriter } from '../io/slice-writer.js';
import { onStorage } from '../io/storage.js';
import { openSource, sourceLabel } from '../io/source.js';
import { spillDoneKey, spillDoneMarker, spillFile, spillKey, writeRejectedLine, writeSliceHeader } from '../io/spill.js';
import { openOutArea } from '../io/out-area.js';
import { checkStoreLocation, headStoreSource, isStoreLocation } from '../io/source-store.js';
import { SourceCheck } from '../io/source-check.js';
import type { SourceRead } from '../io/source-check.js';
import type { ObjectInfo } from '../io/store/index.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import { PARTITION_SOURCE_OPTIONS } from './options.js';

/** Input of `partition_source`: one source to split into per-shard slices. */
export interface PartitionInput {
  readonly run_id: string;
  readonly source: SourceName;
  readonly data: string;
  readonly shard_count: number;
  readonly spill_dir: string;
}

/** Output of `partition_source`: records (rows and malformed lines) per slice. */
export interface PartitionResult {
  readonly source: SourceName;
  readonly shard_count: number;
  readonly records: number;
  readonly slices: number[];
  readonly bytes: number;
  readonly reused: boolean;
  readonly elapsed_ms: number;
  /**
   * For store data: the size, sha256 and entity tag of the object the slices were split from
   * (the split checks and hashes the whole source, as `prepare_run` does for local data).
   */
  readonly source_read?: SourceRead;
}

/**
 * `partition_source(ctx, input)`: reads one source file once and routes each record, by its
 * customer id, to its shard's slice. Only record boundaries and the id are decoded here; the
 * shard parses and types its own slice. Malformed lines are routed like the scan path routes
 * them (by their leading id, else shard 0) with their reason, so each is reported exactly once.
 * Slices are published atomically and a completion marker is written last, so a retried or
 * re-run partition either reuses complete slices or rewrites them. A spill area in a store is
 * written in a staging folder, then each slice is uploaded and the marker last.
 *
 * With store data (`s3://…`) it also hashes the source and checks it is UTF-8 as it splits
 * (failing with `prepare_run`'s message), returns its sha256 for the run's input digest, and
 * reuses slices only when the object's size and entity tag are those the marker records.
 */
export const partitionSource = defineTask(PARTITION_SOURCE_OPTIONS, (_ctx: TaskContext, input: PartitionInput): Promise<PartitionResult> => partitionOne(input));

/** The work of `partition_source` for one source, also what `partition_sources` runs for each source of its group. */
export async function partitionOne(input: PartitionInput): Promise<PartitionResult> {
  const valid = validatePartitionInput(input);
  const version = isStoreLocation(valid.data) ? await headStoreSource(valid.data, valid.source) : undefined;
  return isStoreLocation(valid.spill_dir) ? partitionToStore(valid, version) : partitionLocal(valid, version);
}

/** Whether a completion marker's slices were split from the object as it is now (store data). */
function sameSource(done: PartitionResult, version: ObjectInfo | undefined): boolean {
  if (version === undefined) return true;
  return done.source_read !== undefined && done.source_read.bytes === version.size && done.source_read.etag === version.etag;
}

/** Uploads at once when publishing a source's slices to a store. */
const UPLOADS = 4;

/**
 * partition_source with a spill area in a store: reuses the source's slices when its marker is
 * there (for this shard count) and every slice exists; otherwise splits into a staging folder,
 * uploads the slices, then the marker.
 */
async function partitionToStore(input: PartitionInput, version: ObjectInfo | undefined): Promise<PartitionResult> {
  const t0 = performance.now();
  const { source, shard_count: n } = input;
  const area = await openOutArea(input.spill_dir);
  try {
    const text = await area.readText(spillDoneKey(source));
    if (text !== undefined) {
      const done = JSON.parse(text) as PartitionResult;
      const keys = done.slices.map((_, i) => spillKey(source, i));
      if (done.shard_count === n && sameSource(done, version) && (await Promise.all(keys.map((k) => area.exists(k)))).every(Boolean)) {
        return { ...done, reused: true, elapsed_ms: Math.round(performance.now() - t0) };
      }
      // The marker goes first, so no slice being replaced is ever taken as complete.
      await area.remove(spillDoneKey(source));
    }
    const result = await partitionLocal({ ...input, spill_dir: area.dir }, version);
    await area.publish(Array.from({ length: n }, (_, i) => spillKey(source, i)), UPLOADS);
    await area.publish([spillDoneKey(source)]);
    return { ...result, elapsed_ms: Math.round(performance.now() - t0) };
  } finally {
    await area.close();
  }
}

async function partitionLocal(input: PartitionInput, version: ObjectInfo | undefined): Promise<PartitionResult> {
  const t0 = performance.now();
  const { source, data, spill_dir: dir } = input;
  const n = input.shard_count;
  const marker = spillDoneMarker(dir, source);
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, 'utf8')) as PartitionResult;
    if (done.shard_count === n && sameSource(done, version) && done.slices.every((_, i) => existsSync(spillFile(dir, source, i)))) {
      return { ...done, reused: true, elapsed_ms: Math.round(performance.now() - t0) };
    }
  }
  const file = sourceLabel(data, source);
  const parser = new CsvParser();
  const writers: SliceWriter[] = [];
  let idIndex = -1;
  let records = 0;
  const check = version !== undefined ? new SourceCheck(data, source) : undefined;
  let read: SourceRead | undefined;
  const sink: CsvSink = {
    // The common record: routed on its id's bytes and copied, with nothing decoded.
    plain(buf, start, end, idStart, idEnd, line) {
      records++;
      writers[shardOfBytes(buf, idStart, idEnd, n)]!.record(line, buf, start, end);
    },
    record(fields, line, buf, start, end) {
      if (idIndex < 0) {
        const header = headerOf(file, fields);
        idIndex = header.indexOf('customer_id');
        parser.expectFields(header.length);
        const raw = buf.subarray(start, end);
        for (const w of writers) writeSliceHeader(w, raw);
        parser.routeOnly(idIndex);
        return;
      }
      records++;
      const id = fields[idIndex]?.trim();
      writers[ownerShard(id === '' ? undefined : id, n)]!.record(line, buf, start, end);
    },
    malformed(line, reason, raw) {
      if (idIndex < 0) throw malformedHeader(file, line, reason, raw);
      records++;
      writeRejectedLine(writers[ownerShard(leadingId(raw), n)]!, line, reason, raw);
    },
  };
  try {
    for (let i = 0; i < n; i++) writers.push(new SliceWriter(spillFile(dir, source, i)));
    for await (const chunk of openSource(data, source)) {
      await check?.push(chunk);
      parser.push(chunk, sink);
    }
    read = await check?.end(version?.etag);
    if (read !== undefined && read.bytes !== version?.size) throw new Error(`${file} changed while it was split (${version?.size} bytes when it was looked up, ${read.bytes} read); the retry splits it again`);
    parser.end(sink);
    if (idIndex < 0) throw new SourceFileError(file, 'is empty (no header line)');
    for (const w of writers) w.close();
  } catch (err) {
    for (const w of writers) w.abandon();
    throw err;
  }
  const result: PartitionResult = {
    source,
    shard_count: n,
    records,
    slices: writers.map((w) => w.records),
    bytes: writers.reduce((s, w) => s + w.bytes, 0),
    reused: false,
    elapsed_ms: Math.round(performance.now() - t0),
    ...(read !== undefined ? { source_read: read } : {}),
  };
  const text = JSON.stringify(result);
  try {
    onStorage(marker, () => writeFileSync(`${marker}.tmp`, text), Buffer.byteLength(text));
    renameSync(`${marker}.tmp`, marker);
  } catch (err) {
    rmSync(`${marker}.tmp`, { force: true });
    throw err;
  }
  return result;
}

function validatePartitionInput(input: PartitionInput): PartitionInput {
  if (typeof input !== 'object' || input === null) throw new InvalidOptionError(`PartitionInput must be an object, got ${JSON.stringify(input)}`);
  if (!(SOURCE_NAMES as readonly string[]).includes(input.source)) {
    throw new InvalidOptionError(`PartitionInput.source must be one of ${SOURCE_NAMES.join(', ')}, got ${JSON.stringify(input.source)}`);
  }
  assertShardCount(input.shard_count, 'PartitionInput.shard_count');
  for (const key of ['data', 'spill_dir', 'run_id'] as const) {
    if (typeof input[key] !== 'string' || input[key] === '') {
      throw new InvalidOptionError(`PartitionInput.${key} must be a non-empty string, got ${JSON.stringify(input[key])}`);
    }
  }
  checkStoreLocation(input.spill_dir, 'PartitionInput.spill_dir');
  return input;
}
