/**
 * The one adapter that loads `@renderinc/sdk`, which is installed outside package.json: the surface
 * we use is declared here and the package loaded by a dynamic `import()` tsc does not resolve.
 */

/** The package, and the one command that installs it without touching package.json. */
export const SDK_PACKAGE = '@renderinc/sdk';
export const SDK_INSTALL_COMMAND = 'npm install --no-save @renderinc/sdk@^1';
/** The documented setup of a clone with the SDK (README, render.yaml's build command). */
export const SDK_SETUP_COMMAND = `npm ci && ${SDK_INSTALL_COMMAND}`;
const WORKFLOWS_MODULE = `${SDK_PACKAGE}/workflows`;

/** The option shape of the SDK's `task(options, func)` (RegisterTaskOptions in SDK 1.x). */
export interface SdkTaskOptions {
  readonly name: string;
  readonly retry?: { readonly maxRetries: number; readonly waitDurationMs: number; readonly backoffScaling?: number };
  readonly timeoutSeconds?: number;
  readonly plan?: string;
}

/** What the SDK's `task()` returns: a frozen `{ name, func }`. `ctx.run` only reads `name`. */
export interface SdkTaskDefinition {
  readonly name: string;
}

/** The task side of the SDK that the entry point uses: `task(options, func)`. */
export interface WorkflowsSdkLike {
  // The SDK types `func` as (ctx: TaskContext, ...args) => result; its context has the same
  // `run(definition, ...args)` as ours, so our task functions are passed as they are.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  task(options: SdkTaskOptions, func: (ctx: any, ...args: any[]) => unknown): SdkTaskDefinition;
}

/** The client side: `new Render({ token?, useLocalDev?, localDevUrl? })`. */
export interface RenderClientOptions {
  readonly token?: string;
  readonly useLocalDev?: boolean;
  readonly localDevUrl?: string;
}

/** `import()` as a function, so tests can stand in for the module loader. */
export type Importer = (specifier: string) => Promise<unknown>;
const nativeImport: Importer = (specifier) => import(specifier);

/** The SDK is not installed (the package itself, not one of its dependencies, is missing). */
export class SdkMissingError extends Error {
  constructor(specifier: string) {
    super(`${specifier} is not installed; install it with: ${SDK_INSTALL_COMMAND}`);
    this.name = 'SdkMissingError';
  }
}

/** True when `err` says the SDK package itself cannot be found (not a broken dependency of it). */
function isSdkMissing(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.message !== 'string') return false;
  // Node says ERR_MODULE_NOT_FOUND "Cannot find package '…'"; bundlers and test runners that
  // load modules themselves (vite) say "Could not resolve "…"" or "Failed to load url …".
  const notFound = e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND' || /cannot find (package|module)|could not resolve|failed to (load|resolve)/i.test(e.message);
  const names = [SDK_PACKAGE, WORKFLOWS_MODULE].flatMap((n) => [`'${n}'`, `"${n}"`, ` ${n} `, ` ${n}\n`]);
  return notFound && names.some((n) => `${e.message} `.includes(n));
}

async function load(specifier: string, importer: Importer): Promise<Record<string, unknown>> {
  try {
    return (await importer(specifier)) as Record<string, unknown>;
  } catch (err) {
    if (isSdkMissing(err)) throw new SdkMissingError(SDK_PACKAGE);
    throw err;
  }
}

/** Loads `task` from `@renderinc/sdk/workflows`; rejects with `SdkMissingError` when absent. */
export async function loadWorkflowsSdk(importer: Importer = nativeImport): Promise<WorkflowsSdkLike> {
  const mod = await load(WORKFLOWS_MODULE, importer);
  const task = mod['task'];
  if (typeof task !== 'function') {
    throw new Error(`${WORKFLOWS_MODULE} has no task() function; this project needs ${SDK_PACKAGE}@^1`);
  }
  return { task: task as WorkflowsSdkLike['task'] };
}

/** Loads the `Render` client class from `@renderinc/sdk`; rejects with `SdkMissingError` when absent. */
export async function loadRenderClass<C>(importer: Importer = nativeImport): Promise<new (options?: RenderClientOptions) => C> {
  const mod = await load(SDK_PACKAGE, importer);
  const Render = mod['Render'];
  if (typeof Render !== 'function') {
    throw new Error(`${SDK_PACKAGE} has no Render class; this project needs ${SDK_PACKAGE}@^1`);
  }
  return Render as new (options?: RenderClientOptions) => C;
}
