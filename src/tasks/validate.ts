import { InvalidOptionError } from '../core/errors.js';
import { assertShardCount } from '../core/routing.js';
import { checkStoreLocation } from '../io/source-store.js';
import type { RunInput, ShardInput } from './contracts.js';

/**
 * Checks a task input at the boundary, so a hand-made input (a negative shard index, a missing
 * path) fails with a clear, permanent error instead of a crash deep inside.
 */
export function validateShardInput(input: unknown): ShardInput {
  const o = asObject(input, 'ShardInput');
  assertShardCount(o['shard_count'], 'ShardInput.shard_count');
  const count = o['shard_count'];
  const index = o['shard_index'];
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new InvalidOptionError(`ShardInput.shard_index must be a whole number from 0 to ${count - 1}, got ${JSON.stringify(index)}`);
  }
  return {
    run_id: str(o, 'run_id', 'ShardInput'),
    shard_index: index,
    shard_count: count,
    data: str(o, 'data', 'ShardInput'),
    out_dir: outDir(o, 'ShardInput'),
    ...layoutField(o),
    ...hardeningFields(o, 'ShardInput'),
  };
}

/** The optional data-path layout of a ShardInput, checked. */
function layoutField(o: Record<string, unknown>): Pick<ShardInput, 'layout'> {
  const layout = o['layout'];
  if (layout === undefined) return {};
  const l = asObject(layout, 'ShardInput.layout');
  if (l['kind'] === 'scan') {
    const bytes = l['source_bytes'];
    if (bytes === undefined) return { layout: { kind: 'scan' } };
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
      throw new InvalidOptionError(`ShardInput.layout.source_bytes must be a whole number of bytes ≥ 0, got ${JSON.stringify(bytes)}`);
    }
    return { layout: { kind: 'scan', source_bytes: bytes } };
  }
  if (l['kind'] === 'partitioned') {
    const spill = str(l, 'spill_dir', 'ShardInput.layout');
    checkStoreLocation(spill, 'ShardInput.layout.spill_dir');
    return { layout: { kind: 'partitioned', spill_dir: spill } };
  }
  throw new InvalidOptionError(`ShardInput.layout.kind must be "scan" or "partitioned", got ${JSON.stringify(l['kind'])}`);
}

/** The optional idempotency fields of a ShardInput (digest, execution id, resume), checked. */
function hardeningFields(o: Record<string, unknown>, what: string): Pick<ShardInput, 'input_digest' | 'execution_id' | 'resume'> {
  const digest = o['input_digest'];
  if (digest !== undefined && (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest))) {
    throw new InvalidOptionError(`${what}.input_digest must be 64 lowercase hex digits (a sha256), got ${JSON.stringify(digest)}`);
  }
  const exec = o['execution_id'];
  if (exec !== undefined && (typeof exec !== 'string' || !/^[\w.-]{1,160}$/.test(exec))) {
    throw new InvalidOptionError(`${what}.execution_id must be 1..160 letters, digits, '.', '_' or '-', got ${JSON.stringify(exec)}`);
  }
  return {
    ...(digest !== undefined ? { input_digest: digest } : {}),
    ...(exec !== undefined ? { execution_id: exec } : {}),
    ...resumeField(o, what),
  };
}

function resumeField(o: Record<string, unknown>, what: string): { resume?: boolean } {
  const resume = o['resume'];
  if (resume !== undefined && typeof resume !== 'boolean') {
    throw new InvalidOptionError(`${what}.resume must be true or false, got ${JSON.stringify(resume)}`);
  }
  return resume === undefined ? {} : { resume };
}

export function validateRunInput(input: unknown): RunInput {
  const o = asObject(input, 'RunInput');
  assertShardCount(o['shards'], 'RunInput.shards');
  const maxRejects = o['max_rejects'];
  if (maxRejects !== undefined && (typeof maxRejects !== 'number' || !Number.isInteger(maxRejects) || maxRejects < 0)) {
    throw new InvalidOptionError(`RunInput.max_rejects must be a whole number ≥ 0, got ${JSON.stringify(maxRejects)}`);
  }
  const runId = o['run_id'];
  if (runId !== undefined && (typeof runId !== 'string' || !/^[\w.-]{1,128}$/.test(runId))) {
    throw new InvalidOptionError(`RunInput.run_id must be 1..128 letters, digits, '.', '_' or '-', got ${JSON.stringify(runId)}`);
  }
  const workers = o['workers'];
  if (workers !== undefined && (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > 1024)) {
    throw new InvalidOptionError(`RunInput.workers must be a whole number from 1 to 1024, got ${JSON.stringify(workers)}`);
  }
  const data = str(o, 'data', 'RunInput');
  checkStoreLocation(data, 'RunInput.data');
  return {
    data,
    out_dir: outDir(o, 'RunInput'),
    shards: o['shards'],
    ...(workers !== undefined ? { workers } : {}),
    ...(maxRejects !== undefined ? { max_rejects: maxRejects } : {}),
    ...(runId !== undefined ? { run_id: runId } : {}),
    ...dataPathField(o),
    ...resumeField(o, 'RunInput'),
  };
}

function dataPathField(o: Record<string, unknown>): Pick<RunInput, 'data_path'> {
  const path = o['data_path'];
  if (path === undefined) return {};
  if (path !== 'partition' && path !== 'scan') {
    throw new InvalidOptionError(`RunInput.data_path must be "partition" or "scan", got ${JSON.stringify(path)}`);
  }
  return { data_path: path };
}

/** out_dir: a local folder or a well-formed store location (`s3://bucket/prefix`). */
function outDir(o: Record<string, unknown>, what: string): string {
  const out = str(o, 'out_dir', what);
  checkStoreLocation(out, `${what}.out_dir`);
  return out;
}

function asObject(input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidOptionError(`${what} must be a JSON object, got ${JSON.stringify(input)}`);
  }
  return input as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') {
    throw new InvalidOptionError(`${what}.${key} must be a non-empty string, got ${JSON.stringify(v)}`);
  }
  return v;
}
