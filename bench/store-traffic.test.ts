import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/io/store/index.js';
import { startFaultProxy } from '../src/testing/s3-fault-proxy.js';
import type { FaultProxy, SeenRequest } from '../src/testing/s3-fault-proxy.js';
import { startTestS3 } from '../src/testing/s3-server.js';
import type { TestS3 } from '../src/testing/s3-server.js';
import { areaOf, requestKind, splitPath, totalGet, totalPut, totalRequests, trafficOf } from './store-traffic.js';

const seen = (method: string, path: string, query = '', requestBytes = 0, bytes = 0): SeenRequest => ({ method, path, query, requestBytes, bytes });
const run = { bucket: 'b', data: 'data', out: 'runs/r1' };

describe('request kinds and areas', () => {
  it('splits a path-style path into bucket and key', () => {
    expect(splitPath('/b/runs/r1/x.jsonl')).toEqual({ bucket: 'b', key: 'runs/r1/x.jsonl' });
    expect(splitPath('/b')).toEqual({ bucket: 'b', key: '' });
    expect(splitPath('/b/')).toEqual({ bucket: 'b', key: '' });
  });

  it.each<[string, string, string, string]>([
    ['GET', '/b/data/crm.csv', '', 'get'],
    ['GET', '/b/data/crm.csv', '?x-id=GetObject', 'get'],
    ['GET', '/b', '?list-type=2&prefix=runs%2F', 'list'],
    ['GET', '/b/', '?list-type=2', 'list'],
    ['HEAD', '/b/data/crm.csv', '', 'head'],
    ['PUT', '/b/runs/r1/p.jsonl', '', 'put'],
    ['PUT', '/b/runs/r1/p.jsonl', '?partNumber=2&uploadId=u', 'put-part'],
    ['POST', '/b/runs/r1/p.jsonl', '?uploads', 'multipart'],
    ['POST', '/b/runs/r1/p.jsonl', '?uploadId=u', 'multipart'],
    ['DELETE', '/b/runs/r1/p.jsonl', '?uploadId=u', 'multipart'],
    ['DELETE', '/b/runs/r1/p.jsonl', '', 'delete'],
    ['POST', '/b', '?delete', 'delete'],
    ['OPTIONS', '/b', '', 'other'],
  ])('%s %s%s is %s', (method, path, query, kind) => {
    expect(requestKind({ method, path, query })).toBe(kind);
  });

  it('sorts keys into input, spill, output and elsewhere', () => {
    expect(areaOf('data/crm.csv', run)).toBe('input');
    expect(areaOf('runs/r1/.spill/crm/shard-0.csv', run)).toBe('spill');
    expect(areaOf('runs/r1/profiles/shard-0.jsonl', run)).toBe('output');
    expect(areaOf('runs/r10/profiles/shard-0.jsonl', run)).toBe('elsewhere');
    expect(areaOf('database/crm.csv', run)).toBe('elsewhere');
  });
});

describe('trafficOf', () => {
  it('adds GET response bytes and PUT request bytes by area, and counts every request by kind', () => {
    const t = trafficOf(
      [
        seen('HEAD', '/b/data/crm.csv'),
        seen('GET', '/b/data/crm.csv', '', 0, 1000),
        seen('GET', '/b/data/crm.csv', '', 0, 1000),
        seen('PUT', '/b/runs/r1/.spill/crm/0.csv', '', 400, 0),
        seen('GET', '/b/runs/r1/.spill/crm/0.csv', '', 0, 400),
        seen('PUT', '/b/runs/r1/profiles/0.jsonl', '?partNumber=1&uploadId=u', 700, 0),
        seen('POST', '/b/runs/r1/profiles/0.jsonl', '?uploadId=u', 120, 300),
        seen('GET', '/b', '?list-type=2', 0, 900),
        seen('GET', '/other/data/crm.csv', '', 0, 50),
      ],
      run,
    );
    expect(t.getBytes).toEqual({ input: 2000, spill: 400, output: 0, elsewhere: 50 });
    expect(t.putBytes).toEqual({ input: 0, spill: 400, output: 700, elsewhere: 0 });
    expect(t.requests).toEqual({ get: 4, head: 1, list: 1, put: 1, 'put-part': 1, multipart: 1, delete: 0, other: 0 });
    expect([totalGet(t), totalPut(t), totalRequests(t)]).toEqual([2450, 1100, 9]);
  });
});

describe('the proxy counts body bytes each way (s3rver on 127.0.0.1)', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  beforeAll(async () => {
    s3 = await startTestS3();
    proxy = await startFaultProxy(s3.endpoint);
  }, 30_000);
  afterAll(async () => {
    await proxy?.close();
    await s3?.close();
  });

  it('a 10,000-byte object: put once, read whole and by a 1,000-byte range', async () => {
    const store = openStore(`s3://${s3.bucket}/traffic`, { env: { ...s3.env, AWS_ENDPOINT_URL: proxy.endpoint } });
    const body = Buffer.alloc(10_000, 'x');
    const mark = proxy.seen.length;
    await store.put('obj.bin', body);
    const read = async (range?: { start: number; end: number }): Promise<number> => {
      let n = 0;
      for await (const chunk of await store.get('obj.bin', range)) n += (chunk as Buffer).length;
      return n;
    };
    expect(await read()).toBe(10_000);
    expect(await read({ start: 2000, end: 3000 })).toBe(1000);
    await store.close();
    const t = trafficOf(proxy.seen.slice(mark), { bucket: s3.bucket, data: 'traffic', out: 'runs' });
    expect(t.putBytes.input).toBe(10_000);
    expect(t.requests.put).toBe(1);
    expect(t.requests.get).toBe(2);
    expect(t.getBytes.input).toBe(11_000);
  }, 30_000);
});
