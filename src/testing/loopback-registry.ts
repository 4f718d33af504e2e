import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PackageTarball } from './tarball.js';

/** A running loopback registry: its URL, the paths it was asked for, and how to stop it. */
export interface LoopbackRegistry {
  readonly url: string;
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Headers a proxied request or answer must not carry over (hop-by-hop, or undone by fetch). */
const DROPPED = new Set(['host', 'connection', 'content-length', 'content-encoding', 'transfer-encoding', 'accept-encoding', 'keep-alive']);

function copyHeaders(from: Iterable<[string, string | string[] | undefined]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of from) if (v !== undefined && !DROPPED.has(k.toLowerCase())) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function body(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

async function proxy(req: IncomingMessage, res: ServerResponse, upstream: string): Promise<void> {
  const answer = await fetch(new URL(req.url ?? '/', upstream), {
    method: req.method ?? 'GET',
    headers: copyHeaders(Object.entries(req.headers)),
    body: await body(req),
    redirect: 'follow',
  });
  res.writeHead(answer.status, copyHeaders(answer.headers.entries()));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

/** A tiny npm registry on 127.0.0.1 serving one package version from a tarball, the rest from `upstream`. */
export async function startLoopbackRegistry(pkg: PackageTarball, upstream = 'https://registry.npmjs.org/'): Promise<LoopbackRegistry> {
  const { name, version } = pkg.manifest;
  const requests: string[] = [];
  const tarballPath = `/${name}/-/${name.split('/').pop()}-${version}.tgz`;
  let url = '';
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    requests.push(`${req.method} ${path}`);
    if (path === `/${name}`) {
      const packument = {
        _id: name,
        name,
        'dist-tags': { latest: version },
        versions: { [version]: { ...pkg.manifest, _id: `${name}@${version}`, dist: { tarball: `${url}${tarballPath}`, integrity: pkg.integrity, shasum: pkg.shasum } } },
        modified: new Date(0).toISOString(),
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
    } else if (path === tarballPath) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(pkg.bytes);
    } else {
      proxy(req, res, upstream).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `loopback registry: ${upstream} ${path}: ${(err as Error).message}` }));
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: `${url}/`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
