import type { ByteRange } from './types.js';

/** Where a response body starts in the object: from `Content-Range: bytes a-b/n`, else 0 (a whole-object answer). */
export function bodyStart(contentRange: string | undefined): number {
  const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(contentRange ?? '');
  return m === null ? 0 : Number(m[1]);
}

/**
 * The bytes of `range` out of a body starting at `start`: servers may ignore or widen a Range
 * (s3rver answers `bytes=0-0` with everything), the caller still gets exactly its range.
 */
export async function* clipToRange(body: AsyncIterable<Uint8Array>, start: number, range: ByteRange): AsyncGenerator<Uint8Array> {
  let pos = start;
  const end = range.end ?? Infinity;
  for await (const chunk of body) {
    const from = Math.max(0, range.start - pos);
    const to = Math.min(chunk.length, end - pos);
    pos += chunk.length;
    if (to > from) yield from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
    if (pos >= end) return;
  }
}
