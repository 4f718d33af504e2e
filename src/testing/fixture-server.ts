import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** How the server answers one request: the file, gzipped, cut after `afterBytes`, stalled, or a bare status. */
export type Behaviour =
  | { readonly kind: 'serve' }
  | { readonly kind: 'gzip' }
  | { readonly kind: 'break'; readonly afterBytes: number }
  | { readonly kind: 'stall' }
  | { readonly kind: 'status'; readonly status: number };

export interface SeenRequest {
  /** Path and query string as received. */
  readonly url: string;
  readonly authorization: string | undefined;
}

/**
 * An HTTP server on 127.0.0.1 serving one directory's files; `plan(path, n)` picks the n-th
 * request's behaviour for a path, and every request is recorded. Test-only.
 */
export class FixtureServer {
  readonly requests: SeenRequest[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(
    private readonly dir: string,
    private readonly plan: (path: string, n: number) => Behaviour = () => ({ kind: 'serve' }),
  ) {}

  /** Starts listening on an ephemeral loopback port; resolves with the base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const n = this.requests.length;
    this.requests.push({ url, authorization: req.headers.authorization });
    const path = new URL(url, 'http://x').pathname;
    const behaviour = this.plan(path, n);
    if (behaviour.kind === 'status') {
      res.writeHead(behaviour.status, { 'content-type': 'text/plain' });
      res.end(`status ${behaviour.status}`);
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(join(this.dir, path.split('/').pop() ?? ''));
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    if (behaviour.kind === 'gzip') {
      const z = gzipSync(body);
      res.writeHead(200, { 'content-type': 'text/csv', 'content-encoding': 'gzip', 'content-length': z.length });
      res.end(z);
    } else if (behaviour.kind === 'break') {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': body.length });
      res.write(body.subarray(0, behaviour.afterBytes), () => setTimeout(() => res.socket?.destroy(), 20));
    } else if (behaviour.kind === 'stall') {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': body.length });
      res.write(body.subarray(0, 10));
    } else {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': body.length });
      res.end(body);
    }
  }
}
