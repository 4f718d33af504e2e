import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { InvalidOptionError, SourceFileError } from '../core/errors.js';
import { SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { isRemote, sourceLabel } from '../io/source.js';
import { checkStoreSources, isStoreLocation } from '../io/source-store.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import type { PrepareInput, PrepareResult } from './contracts.js';
import type { SourceDigest } from '../io/inspect-source.js';
import { inspectSources } from '../io/inspect-source.js';
import { inspectStoreHeaders } from '../io/inspect-header.js';
import { PREPARE_RUN_OPTIONS } from './options.js';

/**
 * `prepare_run(ctx, input)`: the fail-fast gate before fan-out. Fails with one permanent
 * `SourceFileError` naming the file when a source is missing, empty, headerless, lacks
 * `customer_id`, has bad columns or is not UTF-8; else returns sizes, sha256, headers and the
 * `input_digest`. Row problems become rejects in the shards. In `headers` mode (store data on the
 * partition path) it reads only headers and the split checks the rest (docs/object-store.md).
 */
export const prepareRun = defineTask(
  PREPARE_RUN_OPTIONS,
  async (_ctx: TaskContext, input: PrepareInput): Promise<PrepareResult> => {
    const { data, mode } = validatePrepareInput(input);
    if (mode === 'headers') return { sources: await inspectStoreHeaders(data) };
    if (isStoreLocation(data)) await checkStoreSources(data);
    else if (!isRemote(data)) await checkLocalSources(data);
    const sources = await inspectSources(data);
    return { input_digest: inputDigest(sources), sources };
  },
);

/** Checks a `PrepareInput` at the task boundary. */
export function validatePrepareInput(input: unknown): PrepareInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidOptionError(`PrepareInput must be a JSON object, got ${JSON.stringify(input)}`);
  }
  const data = (input as Record<string, unknown>)['data'];
  if (typeof data !== 'string' || data === '') {
    throw new InvalidOptionError(`PrepareInput.data must be a non-empty string, got ${JSON.stringify(data)}`);
  }
  const mode = (input as Record<string, unknown>)['mode'];
  if (mode !== undefined && mode !== 'full' && mode !== 'headers') {
    throw new InvalidOptionError(`PrepareInput.mode must be "full" or "headers", got ${JSON.stringify(mode)}`);
  }
  if (mode === 'headers' && !isStoreLocation(data)) {
    throw new InvalidOptionError(`PrepareInput.mode "headers" needs store data (s3://bucket/prefix), got data ${JSON.stringify(data)}`);
  }
  return mode === undefined ? { data } : { data, mode };
}

/**
 * The digest that names a run's input: sha256 over `<source>:<sha256 hex>\n` for crm, billing,
 * product and support in that order. Equal digests mean byte-identical sources.
 */
export function inputDigest(sources: Readonly<Record<SourceName, Pick<SourceDigest, 'sha256'>>>): string {
  const all = createHash('sha256');
  for (const source of SOURCE_NAMES) all.update(`${source}:${sources[source].sha256}\n`);
  return all.digest('hex');
}

/** A missing directory or file is told before any byte is hashed, all four at a glance. */
async function checkLocalSources(data: string): Promise<void> {
  try {
    if (!(await stat(data)).isDirectory()) throw new SourceFileError(data, 'is not a directory (the data location must hold crm.csv, billing.csv, product.csv, support.csv)');
  } catch (err) {
    if (err instanceof SourceFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceFileError(data, code === 'ENOENT' ? 'does not exist (no such data directory)' : `cannot be read (${code ?? String(err)})`);
  }
  const missing: string[] = [];
  for (const source of SOURCE_NAMES) {
    const label = sourceLabel(data, source);
    try {
      await stat(label);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') missing.push(label);
    }
  }
  if (missing.length > 0) {
    const others = missing.length > 1 ? ` (also missing: ${missing.slice(1).join(', ')})` : '';
    throw new SourceFileError(missing[0]!, `is missing${others}`);
  }
}

