import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SDK_INSTALL_COMMAND, SdkMissingError, loadRenderClass, loadWorkflowsSdk } from './sdk.js';
import type { Importer } from './sdk.js';
import { tasks } from '../tasks/registry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Node's own error for a package that is not installed. */
function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /x/dist/src/render/sdk.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('SDK loaders', () => {
  it('load task() from @renderinc/sdk/workflows and Render from @renderinc/sdk', async () => {
    const asked: string[] = [];
    const task = (): { name: string } => ({ name: 'n' });
    class Render {}
    const importer: Importer = (s) => {
      asked.push(s);
      return Promise.resolve(s.endsWith('/workflows') ? { task } : { Render });
    };
    expect((await loadWorkflowsSdk(importer)).task).toBe(task);
    expect(await loadRenderClass(importer)).toBe(Render);
    expect(asked).toEqual(['@renderinc/sdk/workflows', '@renderinc/sdk']);
  });

  it('say how to install the SDK when the package is missing', async () => {
    const missing: Importer = () => Promise.reject(notFound('@renderinc/sdk'));
    await expect(loadWorkflowsSdk(missing)).rejects.toBeInstanceOf(SdkMissingError);
    await expect(loadRenderClass(missing)).rejects.toThrow(`@renderinc/sdk is not installed; install it with: ${SDK_INSTALL_COMMAND}`);
    expect(SDK_INSTALL_COMMAND).toBe('npm install --no-save @renderinc/sdk@^1');
  });

  it('recognise the missing SDK as a test runner that resolves modules itself reports it', async () => {
    const vite: Importer = () => Promise.reject(new Error('Could not resolve "@renderinc/sdk" imported by "customer-merge".'));
    await expect(loadRenderClass(vite)).rejects.toBeInstanceOf(SdkMissingError);
  });

  it('pass on a broken install (a dependency of the SDK missing) as it is', async () => {
    const broken: Importer = () =>
      Promise.reject(Object.assign(new Error("Cannot find package 'eventsource' imported from /p/node_modules/@renderinc/sdk/dist/index.js"), { code: 'ERR_MODULE_NOT_FOUND' }));
    const err = await loadWorkflowsSdk(broken).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(SdkMissingError);
    expect((err as Error).message).toMatch(/'eventsource'/);
  });

  it('reject a module without the expected export', async () => {
    await expect(loadWorkflowsSdk(() => Promise.resolve({}))).rejects.toThrow(/no task\(\) function/);
    await expect(loadRenderClass(() => Promise.resolve({ Render: 1 }))).rejects.toThrow(/no Render class/);
  });
});

describe('the compiled entry point (run `npm run build` first)', () => {
  const entry = join(root, 'dist', 'src', 'render', 'entry.js');

  it('exits 1 with one line naming the install command when the SDK is missing, else registers every task', () => {
    expect(existsSync(entry), `${entry} is missing: run npm run build`).toBe(true);
    const env = { ...process.env };
    delete env['RENDER_SDK_SOCKET_PATH'];
    const r = spawnSync(process.execPath, [entry], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
    const lines = r.stderr.trim().split('\n');
    const installed = existsSync(join(root, 'node_modules', '@renderinc', 'sdk', 'package.json'));
    if (!installed) {
      // This machine: the SDK cannot be installed from its registry.
      expect(r.status).toBe(1);
      expect(lines).toEqual([`customer-merge render entry: @renderinc/sdk is not installed; install it with: ${SDK_INSTALL_COMMAND}`]);
    } else {
      // With the SDK but no task server socket: registers and says no server starts.
      expect(r.status).toBe(0);
      expect(lines).toEqual([expect.stringContaining(`registered ${tasks.map((t) => t.name).join(', ')}; RENDER_SDK_SOCKET_PATH is not set`)]);
    }
    expect(r.stdout).toBe('');
  });
});
