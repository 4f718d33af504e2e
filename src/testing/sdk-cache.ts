import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Importer } from '../render/sdk.js';
import type { SdkSource } from './render-tools.js';

const run = promisify(execFile);

/** Resolves `@renderinc/sdk` from the folder this file sits in, for every other specifier as usual. */
const RESOLVE_HOOK = `const base = new URL('./package.json', import.meta.url).href;
export async function resolve(specifier, context, next) {
  if (specifier === '@renderinc/sdk' || specifier.startsWith('@renderinc/sdk/')) return next(specifier, { ...context, parentURL: base });
  return next(specifier, context);
}
`;
const REGISTER = `import { register } from 'node:module';
register('./resolve-sdk.mjs', import.meta.url);
`;

/** Typed failure of the scratch install, naming the tarball and npm's last line. */
export class SdkInstallError extends Error {
  constructor(tarball: string, detail: string) {
    super(`cannot install ${tarball} into .cache/: ${detail}`);
    this.name = 'SdkInstallError';
  }
}

/** What a test needs to use the SDK: the environment for the entry's processes, and an importer
 * for `loadRenderClass` in the test process itself. */
export interface PreparedSdk {
  readonly env: Record<string, string>;
  readonly importer: Importer;
}

/**
 * Environment that lets the Render entry load the SDK: from node_modules as is, or from the
 * vendored tarball installed once (atomically) into `.cache/render-sdk/<sha256>/` with a resolve hook.
 */
export async function prepareSdk(root: string, sdk: SdkSource, env: Readonly<Record<string, string | undefined>> = process.env): Promise<PreparedSdk> {
  if (sdk.kind === 'node_modules') return { env: {}, importer: (specifier) => import(specifier) };
  const key = createHash('sha256').update(await readFile(sdk.path)).digest('hex').slice(0, 16);
  const dir = join(root, '.cache', 'render-sdk', key);
  if (!existsSync(join(dir, 'register.mjs'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await writeFile(join(tmp, 'package.json'), '{ "name": "render-sdk-scratch", "private": true }\n');
    try {
      await run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', tmp, sdk.path], { cwd: tmp });
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      const text = String((err as { stderr?: unknown }).stderr ?? (err as Error).message).trim().split('\n').at(-1);
      throw new SdkInstallError(sdk.path, text ?? 'npm failed');
    }
    if (!existsSync(join(tmp, 'node_modules', '@renderinc', 'sdk', 'package.json'))) throw new SdkInstallError(sdk.path, 'npm installed nothing');
    await writeFile(join(tmp, 'resolve-sdk.mjs'), RESOLVE_HOOK);
    await writeFile(join(tmp, 'register.mjs'), REGISTER);
    await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another process finished first: keep its copy.
      await rm(tmp, { recursive: true, force: true });
      if (!existsSync(join(dir, 'register.mjs'))) throw err;
    });
  }
  const hook = `--import=${pathToFileURL(join(dir, 'register.mjs')).href}`;
  const require = createRequire(join(dir, 'package.json'));
  return {
    env: { NODE_OPTIONS: [env['NODE_OPTIONS'], hook].filter((s) => s !== undefined && s !== '').join(' ') },
    importer: (specifier) => import(pathToFileURL(require.resolve(specifier)).href),
  };
}
