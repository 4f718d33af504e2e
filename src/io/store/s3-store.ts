import { AbortMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { checkedBody } from './checked-body.js';
import { checkPrefix, prefixedKey } from './keys.js';
import { bodyStart, clipToRange } from './range-body.js';
import { sourceChunks, sourceFailed, type SourceState } from './put-source.js';
import { endpointForMessages, type S3Environment } from './s3-config.js';
import { s3Error } from './s3-errors.js';
import type { ByteRange, ListEntry, ListOptions, ObjectInfo, ObjectStore, PutResult, PutSource, StoreDescriptor } from './types.js';

/** How a put is split: part size (S3's minimum, 5 MiB, by default) and parts in flight. */
export interface UploadTuning {
  readonly partSize?: number;
  readonly queueSize?: number;
}

/** Objects listed per request unless asked otherwise: S3's maximum. */
const PAGE_SIZE = 1000;

/**
 * An object store in an S3-compatible bucket under a prefix. Puts go through lib-storage's Upload
 * (multipart uploads appear only when complete, aborted on failure); errors name `s3://bucket/key`.
 */
export class S3Store implements ObjectStore {
  readonly descriptor: StoreDescriptor;
  private readonly endpoint: string;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    readonly prefix: string,
    private readonly env: S3Environment,
    private readonly tuning: UploadTuning = {},
  ) {
    this.descriptor = { kind: 's3', bucket, prefix };
    this.endpoint = endpointForMessages(env);
  }

  /** The object's key in the bucket. */
  private fullKey(key: string): string {
    return prefixedKey(this.prefix, key, `s3://${this.bucket}/${this.prefix}`);
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${this.fullKey(key)}`;
  }

  private fail(err: unknown, location: string): unknown {
    return s3Error(err, location, this.bucket, this.endpoint, this.env);
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const location = this.locate(key);
    const start = range?.start ?? 0;
    if (range?.end !== undefined && range.end <= start) return Readable.from([]);
    const header = range === undefined ? undefined : `bytes=${start}-${range.end === undefined ? '' : range.end - 1}`;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), ...(header ? { Range: header } : {}) }));
      const body = checkedBody(out.Body as Readable, out.ContentLength, location);
      const at = bodyStart(out.ContentRange);
      const exact = range === undefined || (at === start && (range.end === undefined || out.ContentLength === range.end - start));
      return exact ? body : Readable.from(clipToRange(body, at, { start, ...(range.end !== undefined ? { end: range.end } : {}) }), { objectMode: false });
    } catch (err) {
      // A range starting at or past the end holds no bytes (as a file read there returns none).
      if ((err as { name?: string }).name === 'InvalidRange') return Readable.from([]);
      throw this.fail(err, location);
    }
  }

  async put(key: string, source: PutSource): Promise<PutResult> {
    const location = this.locate(key);
    const state: SourceState = { bytes: 0 };
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.fullKey(key), Body: Readable.from(sourceChunks(source, state), { objectMode: false }) },
      ...(this.tuning.partSize !== undefined ? { partSize: this.tuning.partSize } : {}),
      ...(this.tuning.queueSize !== undefined ? { queueSize: this.tuning.queueSize } : {}),
      // Aborted below instead, so that a failed abort cannot hide why the upload failed.
      leavePartsOnError: true,
    });
    try {
      const out = await upload.done();
      return { bytes: state.bytes, ...(out.ETag !== undefined ? { etag: out.ETag } : {}) };
    } catch (err) {
      await this.abortUpload(upload, key);
      if (state.error !== undefined) throw sourceFailed(location, state);
      throw this.fail(err, location);
    }
  }

  /** Best-effort abort of the multipart upload a failed Upload began (its id is Upload's non-public field). */
  private async abortUpload(upload: Upload, key: string): Promise<void> {
    const uploadId = (upload as unknown as { uploadId?: unknown }).uploadId;
    if (typeof uploadId !== 'string') return;
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.fullKey(key), UploadId: uploadId })).catch(() => undefined);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const location = this.locate(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      return {
        size: out.ContentLength ?? 0,
        ...(out.ETag !== undefined ? { etag: out.ETag } : {}),
        ...(out.LastModified !== undefined ? { mtime: out.LastModified } : {}),
      };
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name !== 'NoSuchBucket' && (e.$metadata?.httpStatusCode === 404 || e.name === 'NotFound' || e.name === 'NoSuchKey')) return undefined;
      throw this.fail(err, location);
    }
  }

  async *list(prefix = '', options: ListOptions = {}): AsyncGenerator<ListEntry> {
    const base = `s3://${this.bucket}/${this.prefix}`;
    checkPrefix(prefix, base);
    const root = this.prefix === '' ? '' : `${this.prefix}/`;
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: root + prefix, MaxKeys: options.pageSize ?? PAGE_SIZE, ...(token ? { ContinuationToken: token } : {}) }),
        );
      } catch (err) {
        throw this.fail(err, `s3://${this.bucket}/${root}${prefix}`);
      }
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined) yield { key: o.Key.slice(root.length), size: o.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  async delete(key: string): Promise<void> {
    const location = this.locate(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404 && (err as { name?: string }).name !== 'NoSuchBucket') return;
      throw this.fail(err, location);
    }
  }
}
