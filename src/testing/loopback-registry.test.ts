import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackRegistry } from './loopback-registry.js';
import type { LoopbackRegistry } from './loopback-registry.js';
import { unusedPort } from './net.js';
import type { PackageTarball } from './tarball.js';

const bytes = Buffer.from('pretend tarball bytes');
const pkg: PackageTarball = {
  bytes,
  manifest: { name: '@scope/pkg', version: '1.0.0', dependencies: { dep: '^2' } },
  integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
  shasum: createHash('sha1').update(bytes).digest('hex'),
};

describe('the loopback registry', () => {
  const upstream = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ upstream: `${req.method} ${req.url}` })));
  let registry: LoopbackRegistry;

  beforeAll(async () => {
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    registry = await startLoopbackRegistry(pkg, `http://127.0.0.1:${(upstream.address() as { port: number }).port}/`);
  });
  afterAll(async () => {
    await registry?.close();
    await new Promise((r) => upstream.close(r));
  });

  it('publishes its one version, with a tarball URL it serves and the tarball checksums', async () => {
    const doc = (await (await fetch(`${registry.url}@scope%2fpkg`)).json()) as { 'dist-tags': { latest: string }; versions: Record<string, { dependencies: object; dist: { tarball: string; integrity: string; shasum: string } }> };
    expect(doc['dist-tags'].latest).toBe('1.0.0');
    const v = doc.versions['1.0.0']!;
    expect(v.dependencies).toEqual({ dep: '^2' });
    expect(v.dist.integrity).toBe(pkg.integrity);
    expect(v.dist.shasum).toBe(pkg.shasum);
    expect(Buffer.from(await (await fetch(v.dist.tarball)).arrayBuffer())).toEqual(bytes);
  });

  it('passes every other request on, and records what it was asked', async () => {
    expect(await (await fetch(`${registry.url}dep`)).json()).toEqual({ upstream: 'GET /dep' });
    expect(registry.requests).toContain('GET /dep');
    expect(registry.requests).toContain('GET /@scope/pkg');
  });

  it('answers 502 naming the path when the upstream registry cannot be reached', async () => {
    const cut = await startLoopbackRegistry(pkg, `http://127.0.0.1:${await unusedPort()}/`);
    try {
      const res = await fetch(`${cut.url}dep`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: string }).error).toMatch(/^loopback registry: http:\/\/127\.0\.0\.1:\d+\/ \/dep: /);
    } finally {
      await cut.close();
    }
  });
});
