import type { RenderClientOptions } from './sdk.js';

/** Where the trigger and the deployed bench send runs: Render (with an API key) or the Render
 * CLI's local dev server (`render workflows dev`, no key). */
export interface RenderTarget {
  readonly local: boolean;
  /** The API key (RENDER_API_KEY); absent only for the local dev server, which needs none. */
  readonly token: string | undefined;
  /** RENDER_LOCAL_DEV_URL, when set (default http://localhost:8120). */
  readonly localDevUrl: string | undefined;
}

const nonEmpty = (s: string | undefined): string | undefined => (s !== undefined && s !== '' ? s : undefined);

/** The target of `--local` or the SDK's own switches RENDER_USE_LOCAL_DEV / RENDER_LOCAL_DEV_URL. */
export function renderTarget(localFlag: boolean, env: Readonly<Record<string, string | undefined>>): RenderTarget {
  const useLocal = (env['RENDER_USE_LOCAL_DEV'] ?? '').toLowerCase();
  const localDevUrl = nonEmpty(env['RENDER_LOCAL_DEV_URL']);
  return { local: localFlag || useLocal === 'true' || useLocal === '1' || localDevUrl !== undefined, token: nonEmpty(env['RENDER_API_KEY']), localDevUrl };
}

/** Why runs cannot be sent to this target (no API key for Render), or undefined. */
export function targetProblem(target: RenderTarget): string | undefined {
  if (target.local || target.token !== undefined) return undefined;
  return 'RENDER_API_KEY is not set: create an API key in the Render Dashboard and export it, or use --local with `render workflows dev`';
}

/** Options of the SDK's `new Render(...)` for a target. */
export function clientOptions(target: RenderTarget): RenderClientOptions {
  if (!target.local) return target.token !== undefined ? { token: target.token } : {};
  // The local dev server ignores the token, but the SDK's constructor wants one unless it sees
  // RENDER_USE_LOCAL_DEV itself.
  return { token: target.token ?? 'local-dev', useLocalDev: true, ...(target.localDevUrl !== undefined ? { localDevUrl: target.localDevUrl } : {}) };
}
