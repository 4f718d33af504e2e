import type { Readable } from 'node:stream';
import type { ByteRange, ListEntry, ListOptions, ObjectInfo, ObjectStore, PutResult, PutSource, StoreDescriptor } from './types.js';

/**
 * A store whose backend is made on first use, so a process that never touches a bucket never
 * loads the AWS SDK (docs/engine-notes.md).
 */
export class LazyStore implements ObjectStore {
  private inner: Promise<ObjectStore> | undefined;

  constructor(
    readonly descriptor: StoreDescriptor,
    private readonly locator: (key: string) => string,
    private readonly make: () => Promise<ObjectStore>,
  ) {}

  private store(): Promise<ObjectStore> {
    this.inner ??= this.make();
    return this.inner;
  }

  locate(key: string): string {
    return this.locator(key);
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    return (await this.store()).get(key, range);
  }

  async put(key: string, source: PutSource): Promise<PutResult> {
    return (await this.store()).put(key, source);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    return (await this.store()).head(key);
  }

  async *list(prefix?: string, options?: ListOptions): AsyncIterable<ListEntry> {
    yield* (await this.store()).list(prefix, options);
  }

  async delete(key: string): Promise<void> {
    return (await this.store()).delete(key);
  }

  async close(): Promise<void> {
    if (this.inner !== undefined) await (await this.inner).close();
  }
}
