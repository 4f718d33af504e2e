import { CsvParser, firstHeader, noHeader, Utf8Validator } from '../engine/index.js';
import { SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import type { ObjectInfo } from './store/index.js';
import { notUtf8 } from './inspect-source.js';
import { sourceLabel } from './source.js';
import { headStoreSources, openStoreSource } from './source-store.js';

/** What the headers-only gate learns of one store source: its size, version and header. */
export interface SourceHead {
  /** The object as named in messages (`s3://bucket/prefix/crm.csv`). */
  readonly label: string;
  readonly bytes: number;
  /** The object's entity tag, when the store gives one. */
  readonly etag?: string;
  /** Column names, trimmed, as the shards will read them. */
  readonly header: string[];
}

/** Bytes of a source's first ranged GET; the range doubles until the header line is in. */
export const HEADER_RANGE_BYTES = 16 << 10;

/**
 * HEADs the four sources under an `s3://` location (missing objects fail as `checkStoreSources`
 * says), then reads each one's first bytes (`inspectStoreHeader`).
 */
export async function inspectStoreHeaders(data: string, firstBytes = HEADER_RANGE_BYTES): Promise<Record<SourceName, SourceHead>> {
  const infos = await headStoreSources(data);
  const heads = {} as Record<SourceName, SourceHead>;
  for (const source of SOURCE_NAMES) heads[source] = await inspectStoreHeader(data, source, infos[source], firstBytes);
  return heads;
}

/**
 * Reads a store source's first bytes with ranged GETs (the range doubling until the header line
 * is complete) and runs inspectSource's header and UTF-8 checks on them, with the same messages:
 * empty, no header, no customer_id, duplicate or unnamed columns, not UTF-8 (naming line and byte).
 */
export async function inspectStoreHeader(data: string, source: SourceName, info: ObjectInfo, firstBytes = HEADER_RANGE_BYTES): Promise<SourceHead> {
  const label = sourceLabel(data, source);
  const utf8 = new Utf8Validator();
  const parser = new CsvParser();
  let header: string[] | undefined;
  let at = 0;
  let want = firstBytes;
  while (header === undefined && at < info.size) {
    const start = at;
    for await (const chunk of openStoreSource(data, source, { start, end: Math.min(info.size, start + want) })) {
      at += chunk.length;
      const bad = utf8.push(chunk);
      if (bad >= 0) throw await notUtf8(data, source, bad);
      header ??= firstHeader(parser, label, chunk);
    }
    if (at === start) break;
    want *= 2;
  }
  // The whole object was read (or nothing more came): its end is checked as the full gate does.
  if (header === undefined || at >= info.size) {
    const bad = utf8.end();
    if (bad >= 0) throw await notUtf8(data, source, bad);
  }
  header ??= firstHeader(parser, label, undefined);
  if (header === undefined) throw noHeader(label, info.size > 0);
  return { label, bytes: info.size, ...(info.etag !== undefined ? { etag: info.etag } : {}), header };
}
