import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault in place of passing a request through: an S3 error status, or a `cut` or `stall` after `afterBytes` of the body. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly code: string }
  | { readonly kind: 'cut'; readonly afterBytes: number }
  | { readonly kind: 'stall'; readonly afterBytes: number };

/** Which requests a fault applies to: an HTTP method and/or an object key (the path's end). */
export interface FaultMatch {
  readonly method?: string;
  readonly key?: string;
  /** true: only ranged GETs (a Range header); false: only requests without one. */
  readonly ranged?: boolean;
}

/** One request the proxy saw: method, decoded path, query string, and the fault applied if any. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** The request's Range header (a ranged GET), if any. */
  readonly range?: string;
  readonly fault?: string;
  /** Response body bytes passed on to the client so far. */
  readonly bytes: number;
  /** Request body bytes passed on to the server so far (a PUT's object or part). */
  readonly requestBytes: number;
}

/** A loopback HTTP proxy in front of an S3 server that injects faults; see `startFaultProxy`. */
export interface FaultProxy {
  readonly endpoint: string;
  /** Applies `fault` to the next `times` requests that match. */
  inject(match: FaultMatch, fault: Fault, times?: number): void;
  readonly seen: readonly SeenRequest[];
  /** Requests seen that match. */
  count(match: FaultMatch): number;
  /** Response body bytes served for the requests that match. */
  bytesServed(match: FaultMatch): number;
  close(): Promise<void>;
}

const matches = (m: FaultMatch, method: string, path: string, ranged = false): boolean =>
  (m.method === undefined || m.method === method) && (m.key === undefined || path.endsWith(`/${m.key}`)) && (m.ranged === undefined || m.ranged === ranged);

/**
 * A proxy on 127.0.0.1 forwarding to `upstream` (signatures intact) except what an injected fault
 * claims; every request is recorded with its body bytes. Test and bench support.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const plans: { match: FaultMatch; fault: Fault; left: number }[] = [];
  const seen: { -readonly [K in keyof SeenRequest]: SeenRequest[K] }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    const plan = plans.find((p) => p.left > 0 && matches(p.match, method, path, typeof req.headers.range === 'string'));
    if (plan !== undefined) plan.left -= 1;
    const fault = plan?.fault;
    const rec = { method, path, query: url.search, ...(typeof req.headers.range === 'string' ? { range: req.headers.range } : {}), bytes: 0, requestBytes: 0, ...(fault ? { fault: fault.kind === 'status' ? `${fault.status} ${fault.code}` : `${fault.kind} after ${fault.afterBytes}` } : {}) };
    seen.push(rec);
    req.on('data', (chunk: Buffer) => {
      rec.requestBytes += chunk.length;
    });
    if (fault?.kind === 'status') {
      req.resume();
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>injected by the test proxy</Message><Resource>${path}</Resource><RequestId>proxy</RequestId></Error>`;
      res.writeHead(fault.status, { 'content-type': 'application/xml', 'content-length': method === 'HEAD' ? 0 : Buffer.byteLength(body) });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }
    const up = request({ host: target.hostname, port: target.port, method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      if (fault === undefined) {
        upRes.on('data', (chunk: Buffer) => {
          rec.bytes += chunk.length;
        });
        upRes.pipe(res);
        return;
      }
      let sent = 0;
      upRes.on('data', (chunk: Buffer) => {
        if (sent >= fault.afterBytes) return;
        const part = chunk.subarray(0, fault.afterBytes - sent);
        sent += part.length;
        rec.bytes += part.length;
        res.write(part, () => {
          if (sent >= fault.afterBytes) {
            upRes.destroy();
            if (fault.kind === 'cut') res.socket?.destroy();
          }
        });
      });
      upRes.on('end', () => {
        if (fault.kind === 'cut') res.socket?.destroy();
      });
    });
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject: (match, fault, times = 1) => void plans.push({ match, fault, left: times }),
    seen,
    count: (m) => seen.filter((s) => matches(m, s.method, s.path, s.range !== undefined)).length,
    bytesServed: (m) => seen.filter((s) => matches(m, s.method, s.path, s.range !== undefined)).reduce((n, s) => n + s.bytes, 0),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
