import { createHash } from 'node:crypto';
import { Utf8Validator } from '../engine/index.js';
import type { SourceName } from '../core/schema.js';
import { notUtf8 } from './inspect-source.js';

/** A source's size, sha256 and entity tag, as the split learnt them. */
export interface SourceRead {
  readonly bytes: number;
  /** sha256 of the source's bytes, hex. */
  readonly sha256: string;
  /** The entity tag of the object that was read, when the store gives one. */
  readonly etag?: string;
}

/**
 * What `prepare_run` checks over a whole source, done on the bytes as they stream past another
 * reader: sha256, size and UTF-8 validity, failing with inspectSource's `SourceFileError`.
 */
export class SourceCheck {
  private readonly hash = createHash('sha256');
  private readonly utf8 = new Utf8Validator();
  private bytes = 0;

  constructor(
    private readonly data: string,
    private readonly source: SourceName,
  ) {}

  /** Takes the next chunk; throws the not-UTF-8 error when it holds an invalid byte. */
  async push(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    const bad = this.utf8.push(chunk);
    if (bad >= 0) throw await notUtf8(this.data, this.source, bad);
  }

  /** Ends the stream: throws on an unfinished sequence, else returns what was read. */
  async end(etag: string | undefined): Promise<SourceRead> {
    const bad = this.utf8.end();
    if (bad >= 0) throw await notUtf8(this.data, this.source, bad);
    return { bytes: this.bytes, sha256: this.hash.digest('hex'), ...(etag !== undefined ? { etag } : {}) };
  }
}
