import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** An npm of one major version: the folder to put first on PATH (none: the machine's) and its version. */
export interface NpmOfMajor {
  readonly binDir: string | undefined;
  readonly version: string;
}

/** A command's environment without the npm_* variables an enclosing `npm test` exports. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** PATH with `binDir` first (when given). */
export function pathWith(binDir: string | undefined): string {
  return binDir === undefined ? (process.env['PATH'] ?? '') : `${binDir}:${process.env['PATH'] ?? ''}`;
}

async function versionOf(binDir: string | undefined): Promise<string> {
  const r = await run('npm', ['--version'], { env: cleanEnv({ PATH: pathWith(binDir) }), encoding: 'utf8' });
  return r.stdout.trim();
}

/**
 * npm of major version `major`: the machine's own when it is that major, else `npm@<major>`
 * installed once into `<cacheDir>/npm<major>` by the machine's npm from its configured registry.
 */
export async function npmOfMajor(major: number, cacheDir: string): Promise<NpmOfMajor> {
  const own = await versionOf(undefined);
  if (Number(own.split('.')[0]) === major) return { binDir: undefined, version: own };
  const prefix = join(cacheDir, `npm${major}`);
  const binDir = join(prefix, 'node_modules', '.bin');
  if (!existsSync(join(binDir, 'npm'))) {
    await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', `npm@${major}`], { env: cleanEnv(), encoding: 'utf8' });
  }
  const version = await versionOf(binDir);
  if (Number(version.split('.')[0]) !== major) throw new Error(`${binDir}/npm is npm ${version}, not npm ${major}`);
  return { binDir, version };
}
