import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unusedPort } from './net.js';

/** The README's start command, after `render workflows dev --`. */
export const ENTRY_COMMAND = ['node', 'dist/src/render/entry.js'] as const;

/** The dev server did not come up, or the entry is not built; the message carries its output. */
export class DevServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevServerError';
  }
}

/** A running `render workflows dev`, in a process group of its own. */
export interface DevServer {
  readonly port: number;
  readonly url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Signals its whole process group (the server and every task process it spawned). */
  stop(): Promise<void>;
}

export interface DevServerOptions {
  readonly render: string;
  readonly root: string;
  /** Added to this process's environment; the server passes it on to the task processes. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for "listening" and the task list (ms). */
  readonly timeoutMs?: number;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts `render workflows dev` on a free port in `root`, detached, and resolves once it lists its tasks. */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  if (!existsSync(join(opts.root, ...ENTRY_COMMAND[1].split('/')))) {
    throw new DevServerError(`${ENTRY_COMMAND[1]} is not built; run \`npm run build\` first`);
  }
  const port = await unusedPort();
  const child = spawn(opts.render, ['workflows', 'dev', '--port', String(port), '--', ...ENTRY_COMMAND], {
    cwd: opts.root,
    env: { ...process.env, ...opts.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (text += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    killGroup(child, 'SIGTERM');
    const t = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
    killGroup(child, 'SIGKILL');
  };
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const ready = await new Promise<boolean>((resolve) => {
    const check = (): void => {
      if (/listening on port/.test(text) && /\d+ tasks? found/.test(text)) finish(true);
    };
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      resolve(ok);
    };
    const onExit = (): void => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', onExit);
  });
  if (!ready) {
    await stop();
    const tail = text.trim().split('\n').slice(-3).join(' | ');
    throw new DevServerError(`render workflows dev on port ${port} did not list its tasks within ${timeoutMs} ms: ${tail || 'no output'}`);
  }
  return { port, url: `http://localhost:${port}`, output: () => text, stop };
}
