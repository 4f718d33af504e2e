import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file is src/testing/render-tools.ts, or its copy under dist/). */
export const PROJECT_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

/** Where CI and these machines keep Render's CLI and SDK: `../shared/vendor/` from the root. */
export const VENDOR_DIR = join(PROJECT_ROOT, '..', 'shared', 'vendor');

/** How the Render entry gets the SDK: the vendored tarball (installed into .cache/ by the tests)
 * or the package already in node_modules (a user's machine). */
export type SdkSource = { readonly kind: 'tarball'; readonly path: string } | { readonly kind: 'node_modules' };

/** Render's CLI and SDK as found here, and one line saying what is missing. */
export interface RenderTools {
  readonly render: string | null;
  readonly sdk: SdkSource | null;
  /** Empty when both were found; else e.g. "no `render` binary (../shared/vendor/render or PATH)". */
  readonly missing: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `render` in the vendor folder, else on PATH. */
function findRender(env: Readonly<Record<string, string | undefined>>, vendorDir: string): string | null {
  const vendored = join(vendorDir, 'render');
  if (executable(vendored)) return vendored;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, 'render'))) return join(dir, 'render');
  }
  return null;
}

/** The vendored tarball (preferred: it is what a fresh clone on CI has), else node_modules. */
function findSdk(vendorDir: string, root: string): SdkSource | null {
  const tarball = existsSync(vendorDir) ? readdirSync(vendorDir).filter((f) => /^renderinc-sdk-1\.\d+\.\d+\.tgz$/.test(f)).sort().at(-1) : undefined;
  if (tarball !== undefined) return { kind: 'tarball', path: join(vendorDir, tarball) };
  if (existsSync(join(root, 'node_modules', '@renderinc', 'sdk', 'package.json'))) return { kind: 'node_modules' };
  return null;
}

/** Looks for Render's CLI and SDK where CI and a user's machine keep them. */
export function findRenderTools(env: Readonly<Record<string, string | undefined>> = process.env, vendorDir = VENDOR_DIR, root = PROJECT_ROOT): RenderTools {
  const render = findRender(env, vendorDir);
  const sdk = findSdk(vendorDir, root);
  const missing = [
    ...(render === null ? ['no `render` binary (../shared/vendor/render, or `render` on PATH)'] : []),
    ...(sdk === null ? ['no @renderinc/sdk (../shared/vendor/renderinc-sdk-1.x.tgz, or node_modules/@renderinc/sdk)'] : []),
  ].join(' and ');
  return { render, sdk, missing };
}

/** True when missing tools must fail the suite rather than skip it (CI=true or REQUIRE_RENDER_DEV=1). */
export function renderToolsRequired(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env['CI'] === 'true' || env['CI'] === '1' || env['REQUIRE_RENDER_DEV'] === '1';
}
