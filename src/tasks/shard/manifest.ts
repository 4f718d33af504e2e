import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { openAtomic } from '../../io/atomic.js';
import type { ShardResult } from '../contracts.js';
import { manifestFile } from '../../io/output-names.js';
import type { ShardNaming } from '../../io/output-names.js';
import type { OutArea } from '../../io/out-area.js';

/** Layout of the manifest file itself. */
export const MANIFEST_VERSION = 1;

/** Version of a shard's output bytes: bump it with any change to them, so old manifests stop matching. */
export const OUTPUT_VERSION = 4;

/**
 * Proof, beside a finished shard's output, that the file is its complete output for this input,
 * plus the ShardResult to return. Written atomically after the output files are final.
 */
export interface ShardManifest {
  readonly manifest_version: number;
  readonly output_version: number;
  readonly input_digest: string;
  readonly shard_index: number;
  readonly shard_count: number;
  /** Profiles in the output file (one JSON line each). */
  readonly profiles: number;
  readonly output_file: string;
  /** sha256 (hex) of the output file. */
  readonly checksum: string;
  readonly rejects_file: string | null;
  /** sha256 (hex) of the rejects file, or null when the shard rejected nothing. */
  readonly rejects_checksum: string | null;
  readonly result: ShardResult;
}

/** sha256 (hex) of a file, streamed; undefined when the file does not exist. */
export async function fileSha256(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return hash.digest('hex');
}

/** Builds and atomically writes the manifest of a finished shard whose output is already committed. */
export async function writeManifest(outDir: string, result: ShardResult & { readonly input_digest: string }): Promise<ShardManifest> {
  const rejectsChecksum = result.rejects_file === null ? null : await fileSha256(join(outDir, result.rejects_file));
  if (rejectsChecksum === undefined) throw new Error(`rejects file ${result.rejects_file ?? ''} vanished before its manifest was written`);
  const manifest: ShardManifest = {
    manifest_version: MANIFEST_VERSION,
    output_version: OUTPUT_VERSION,
    input_digest: result.input_digest,
    shard_index: result.shard_index,
    shard_count: result.shard_count,
    profiles: result.profiles,
    output_file: result.output_file,
    checksum: result.checksum,
    rejects_file: result.rejects_file,
    rejects_checksum: rejectsChecksum,
    result,
  };
  const out = await openAtomic(join(outDir, manifestFile(result)));
  try {
    await out.write(`${JSON.stringify(manifest, null, 1)}\n`);
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
  return manifest;
}

/**
 * Reads a shard's manifest from the out area (a folder or a store): the manifest, or why there is
 * none usable (missing, unreadable, wrong shape). A store that cannot be reached is an error.
 */
export async function readManifest(area: OutArea, naming: ShardNaming): Promise<ShardManifest | { readonly problem: string }> {
  let text: string | undefined;
  try {
    text = await area.readText(manifestFile(naming));
  } catch (err) {
    if (area.staged) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: `manifest unreadable (${code ?? String(err)})` };
  }
  if (text === undefined) return { problem: 'no manifest' };
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return { problem: 'manifest is not valid JSON' };
  }
  if (!isManifest(m)) return { problem: 'manifest has an unexpected shape' };
  return m;
}

function isManifest(m: unknown): m is ShardManifest {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  const r = o['result'] as Record<string, unknown> | null | undefined;
  return (
    typeof o['manifest_version'] === 'number' &&
    typeof o['output_version'] === 'number' &&
    typeof o['input_digest'] === 'string' &&
    typeof o['shard_index'] === 'number' &&
    typeof o['shard_count'] === 'number' &&
    typeof o['profiles'] === 'number' &&
    typeof o['output_file'] === 'string' &&
    typeof o['checksum'] === 'string' &&
    (o['rejects_file'] === null || typeof o['rejects_file'] === 'string') &&
    (o['rejects_checksum'] === null || typeof o['rejects_checksum'] === 'string') &&
    typeof r === 'object' &&
    r !== null &&
    r['shard_index'] === o['shard_index'] &&
    r['output_file'] === o['output_file'] &&
    r['checksum'] === o['checksum'] &&
    r['profiles'] === o['profiles']
  );
}
