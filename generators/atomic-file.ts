/**
 * A file written under a temporary name in its final directory and renamed into place only when
 * complete, so a failed or interrupted run never leaves a half-written file under the final name
 * (rename within a directory is atomic on POSIX). Optionally hashes what it writes (sha256).
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of every temporary file, so leftovers of a killed run are easy to spot: `.gen-tmp-`. */
export const TEMP_PREFIX = '.gen-tmp-';

/** One file being written under a temporary name; `commit` or `discard` ends it. */
export class AtomicFile {
  readonly tempPath: string;
  private handle: FileHandle | undefined;
  private readonly hash: Hash | undefined;
  private bytesWritten = 0;
  private done = false;

  private constructor(
    readonly finalPath: string,
    tempPath: string,
    handle: FileHandle,
    hashed: boolean,
  ) {
    this.tempPath = tempPath;
    this.handle = handle;
    this.hash = hashed ? createHash('sha256') : undefined;
  }

  /** Creates the temporary file beside `finalPath` (directory must exist). */
  static async create(finalPath: string, options: { hashed?: boolean } = {}): Promise<AtomicFile> {
    const tempPath = join(
      dirname(finalPath),
      `${TEMP_PREFIX}${basename(finalPath)}.${process.pid}.${randomBytes(4).toString('hex')}`,
    );
    const handle = await open(tempPath, 'wx');
    return new AtomicFile(finalPath, tempPath, handle, options.hashed ?? false);
  }

  get bytes(): number {
    return this.bytesWritten;
  }

  /** Appends all of `data`. */
  async write(data: Uint8Array | string): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) throw new Error(`write after close: ${this.tempPath}`);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    this.hash?.update(bytes);
    this.bytesWritten += bytes.length;
  }

  /** Hex sha256 of everything written (only for hashed files; call once, after the last write). */
  digest(): string {
    if (this.hash === undefined) throw new Error(`not a hashed file: ${this.finalPath}`);
    return this.hash.digest('hex');
  }

  /** Closes and renames into place. */
  async commit(): Promise<void> {
    await this.closeHandle();
    await rename(this.tempPath, this.finalPath);
    this.done = true;
  }

  /** Closes and deletes the temporary file; a no-op after `commit`. Never throws. */
  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.closeHandle().catch(() => undefined);
    await rm(this.tempPath, { force: true }).catch(() => undefined);
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
