/**
 * An output file streamed to an object store as one upload (multipart beyond one part): bytes go
 * straight from memory to the store, never to the local disk. The object appears only when
 * `commit` ends the stream and the upload completes; `discard` breaks the stream, so the upload is
 * abandoned and nothing is published.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ObjectStore } from '../src/io/store/index.js';
import type { OutFile } from './out-file.js';

/** One object being uploaded from the generator's writes. */
export class StoreFile implements OutFile {
  private readonly body = new PassThrough({ highWaterMark: 1 << 20 });
  private readonly upload: Promise<unknown>;
  /** Rejects as soon as the upload fails, so a write waiting for room does not wait forever. */
  private readonly failed: Promise<never>;
  private readonly hash: Hash | undefined;
  private bytesWritten = 0;
  private done = false;

  constructor(
    private readonly store: ObjectStore,
    readonly key: string,
    hashed: boolean,
  ) {
    this.hash = hashed ? createHash('sha256') : undefined;
    this.upload = store.put(key, this.body);
    this.failed = new Promise<never>((_, reject) => {
      this.upload.catch(reject);
    });
    this.failed.catch(() => undefined);
  }

  get bytes(): number {
    return this.bytesWritten;
  }

  async write(data: Uint8Array | string): Promise<void> {
    if (this.done) throw new Error(`write after close: ${this.store.locate(this.key)}`);
    // A copy: the caller recycles its buffer once this resolves, while the upload may still hold it.
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    this.hash?.update(bytes);
    this.bytesWritten += bytes.length;
    if (!this.body.write(bytes)) await Promise.race([once(this.body, 'drain'), this.failed]);
  }

  digest(): string {
    if (this.hash === undefined) throw new Error(`not a hashed file: ${this.store.locate(this.key)}`);
    return this.hash.digest('hex');
  }

  async commit(): Promise<void> {
    this.done = true;
    this.body.end();
    await this.upload;
  }

  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.body.destroy(new Error('the generator stopped before this file was complete'));
    await this.upload.catch(() => undefined);
  }
}
