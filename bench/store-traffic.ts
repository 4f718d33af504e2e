/**
 * What one run asked of the object store, from the requests a loopback proxy saw: requests by
 * kind, and body bytes by direction and by area (the input under the data prefix, the partition
 * step's spill under `<out>/.spill/`, the rest of the output). Pure, so the accounting is tested
 * on lists of requests.
 */
import type { SeenRequest } from '../src/testing/s3-fault-proxy.js';

/** The kinds of S3 request the store sends. */
export const REQUEST_KINDS = ['get', 'head', 'list', 'put', 'put-part', 'multipart', 'delete', 'other'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Where an object lives, relative to a run's data and out prefixes. */
export type Area = 'input' | 'spill' | 'output' | 'elsewhere';

export interface Traffic {
  /** Requests by kind (every kind present, 0 when none). */
  readonly requests: Readonly<Record<RequestKind, number>>;
  /** Response body bytes of object GETs, by area. */
  readonly getBytes: Readonly<Record<Area, number>>;
  /** Request body bytes of PUTs (whole objects and parts), by area. */
  readonly putBytes: Readonly<Record<Area, number>>;
}

/** A path-style request's bucket and key (`/bucket/a/b` → bucket, `a/b`; `/bucket` → key ''). */
export function splitPath(path: string): { bucket: string; key: string } {
  const rest = path.replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  return slash < 0 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** The kind of one request, from its method, key and query string. */
export function requestKind(r: Pick<SeenRequest, 'method' | 'path' | 'query'>): RequestKind {
  const q = new URLSearchParams(r.query);
  const { key } = splitPath(r.path);
  switch (r.method) {
    case 'GET':
      return key === '' || q.has('list-type') ? 'list' : 'get';
    case 'HEAD':
      return 'head';
    case 'PUT':
      return q.has('partNumber') ? 'put-part' : 'put';
    case 'POST':
      return q.has('uploads') || q.has('uploadId') ? 'multipart' : q.has('delete') ? 'delete' : 'other';
    case 'DELETE':
      return q.has('uploadId') ? 'multipart' : 'delete';
    default:
      return 'other';
  }
}

/** The prefixes of one run, in the bucket: keys without the bucket, no trailing slash. */
export interface RunPrefixes {
  readonly bucket: string;
  readonly data: string;
  readonly out: string;
}

const under = (key: string, prefix: string): boolean => prefix === '' || key === prefix || key.startsWith(`${prefix}/`);

/** Which area of a run an object key belongs to. */
export function areaOf(key: string, p: RunPrefixes): Area {
  if (under(key, p.out)) return under(key, p.out === '' ? '.spill' : `${p.out}/.spill`) ? 'spill' : 'output';
  if (under(key, p.data)) return 'input';
  return 'elsewhere';
}

const zeroAreas = (): Record<Area, number> => ({ input: 0, spill: 0, output: 0, elsewhere: 0 });

/** Adds up the requests of one run. Requests to another bucket count as `elsewhere`. */
export function trafficOf(seen: readonly SeenRequest[], p: RunPrefixes): Traffic {
  const requests = Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0])) as Record<RequestKind, number>;
  const getBytes = zeroAreas();
  const putBytes = zeroAreas();
  for (const r of seen) {
    const kind = requestKind(r);
    requests[kind] += 1;
    const { bucket, key } = splitPath(r.path);
    const area = bucket === p.bucket ? areaOf(key, p) : 'elsewhere';
    if (kind === 'get') getBytes[area] += r.bytes;
    if (kind === 'put' || kind === 'put-part') putBytes[area] += r.requestBytes;
  }
  return { requests, getBytes, putBytes };
}

/** All GET bytes of a traffic record. */
export const totalGet = (t: Traffic): number => Object.values(t.getBytes).reduce((a, b) => a + b, 0);
/** All PUT bytes of a traffic record. */
export const totalPut = (t: Traffic): number => Object.values(t.putBytes).reduce((a, b) => a + b, 0);
/** All requests of a traffic record. */
export const totalRequests = (t: Traffic): number => Object.values(t.requests).reduce((a, b) => a + b, 0);
