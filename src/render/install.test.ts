import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDK_SETUP_COMMAND } from './sdk.js';
import { tasks } from '../tasks/registry.js';
import { startLoopbackRegistry } from '../testing/loopback-registry.js';
import type { LoopbackRegistry } from '../testing/loopback-registry.js';
import { cleanEnv, npmOfMajor, pathWith } from '../testing/npm-major.js';
import { scratchClone } from '../testing/scratch-clone.js';
import { readPackageTarball } from '../testing/tarball.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = join(root, '.cache');
/** The SDK's oldest 1.x, built from its public source, where CI and these machines keep it. */
const vendored = join(root, '..', 'shared', 'vendor', 'renderinc-sdk-1.0.0.tgz');
const present = existsSync(vendored);

if (!present && process.env['CI'] !== 'true') {
  process.stderr.write(`install.test.ts: SDK install tests not run: ${vendored} is missing (they need the SDK tarball; CI fails without it)\n`);
}

describe('the SDK setup command', () => {
  it('is the one in the README and in render.yaml', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(SDK_SETUP_COMMAND);
    expect(readFileSync(join(root, 'render.yaml'), 'utf8')).toContain(`buildCommand: ${SDK_SETUP_COMMAND} && npm run build`);
  });
});

describe.skipIf(!present && process.env['CI'] !== 'true')("the README's SDK install command, in a fresh clone", () => {
  let registry: LoopbackRegistry;

  beforeAll(async () => {
    expect(existsSync(vendored), `${vendored} is missing: CI needs the SDK tarball to check the install command`).toBe(true);
    registry = await startLoopbackRegistry(readPackageTarball(vendored));
  });
  afterAll(() => registry?.close());

  for (const major of [10, 11]) {
    it(`installs @renderinc/sdk 1.0.0 with npm ${major}, and the Render entry loads it and registers every task`, { timeout: 180_000 }, async () => {
      const npm = await npmOfMajor(major, cache);
      const clone = scratchClone(root, join(cache, 'sdk-install', `npm${major}`));
      const env = cleanEnv({ PATH: pathWith(npm.binDir), npm_config_registry: registry.url });
      delete env['RENDER_SDK_SOCKET_PATH'];
      const asked = registry.requests.length;

      const install = await run('sh', ['-c', SDK_SETUP_COMMAND], { cwd: clone, env, encoding: 'utf8' }).catch((e: { stderr?: string }) => {
        throw new Error(`npm ${npm.version}: ${SDK_SETUP_COMMAND} failed: ${e.stderr ?? String(e)}`);
      });
      expect(registry.requests.slice(asked), `npm ${npm.version} did not ask the registry for the SDK\n${install.stdout}`).toContain('GET /@renderinc/sdk');
      const manifest = join(clone, 'node_modules', '@renderinc', 'sdk', 'package.json');
      expect(existsSync(manifest), `npm ${npm.version} installed no SDK (${manifest} is missing); it said: ${install.stdout.trim()}`).toBe(true);
      const installed = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
      expect(installed.version).toBe('1.0.0');

      const probe = "const m = await import('@renderinc/sdk/workflows'); console.log(typeof m.task, import.meta.resolve('@renderinc/sdk/workflows'))";
      const loaded = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: clone, env, encoding: 'utf8' });
      const [kind, where] = loaded.stdout.trim().split(' ');
      expect(kind).toBe('function');
      expect(fileURLToPath(where ?? '')).toContain(`${clone}${sep}node_modules${sep}`);

      const entry = await run(process.execPath, [join('dist', 'src', 'render', 'entry.js')], { cwd: clone, env, encoding: 'utf8' });
      expect(entry.stderr.trim().split('\n')).toEqual([expect.stringContaining(`registered ${tasks.map((t) => t.name).join(', ')}; RENDER_SDK_SOCKET_PATH is not set`)]);
    });
  }
});
