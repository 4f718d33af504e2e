import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRenderTools, renderToolsRequired } from './render-tools.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cm-render-tools-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findRenderTools', () => {
  it('says in one line what is missing when neither the vendor folder, PATH nor node_modules has them', () => {
    const t = findRenderTools({ PATH: join(dir, 'empty') }, join(dir, 'no-vendor'), dir);
    expect(t).toEqual({
      render: null,
      sdk: null,
      missing: 'no `render` binary (../shared/vendor/render, or `render` on PATH) and no @renderinc/sdk (../shared/vendor/renderinc-sdk-1.x.tgz, or node_modules/@renderinc/sdk)',
    });
  });

  it('prefers the vendored tarball to node_modules, and finds render on PATH', async () => {
    const vendor = join(dir, 'vendor');
    const bin = join(dir, 'bin');
    await mkdir(vendor, { recursive: true });
    await mkdir(bin, { recursive: true });
    await mkdir(join(dir, 'node_modules', '@renderinc', 'sdk'), { recursive: true });
    await writeFile(join(dir, 'node_modules', '@renderinc', 'sdk', 'package.json'), '{}');
    await writeFile(join(bin, 'render'), '#!/bin/sh\n');
    await chmod(join(bin, 'render'), 0o755);
    expect(findRenderTools({ PATH: bin }, vendor, dir)).toEqual({ render: join(bin, 'render'), sdk: { kind: 'node_modules' }, missing: '' });
    await writeFile(join(vendor, 'renderinc-sdk-1.0.0.tgz'), '');
    expect(findRenderTools({ PATH: bin }, vendor, dir).sdk).toEqual({ kind: 'tarball', path: join(vendor, 'renderinc-sdk-1.0.0.tgz') });
  });

  it('requires them under CI=true or REQUIRE_RENDER_DEV=1 only', () => {
    expect([{ CI: 'true' }, { REQUIRE_RENDER_DEV: '1' }, {}, { CI: 'false' }].map((env) => renderToolsRequired(env))).toEqual([true, true, false, false]);
  });
});
