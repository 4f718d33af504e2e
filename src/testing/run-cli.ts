import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a run of the built CLI printed and returned. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/src/cli.js ...args` (built by the tests' global setup) in `cwd`, logs silenced. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runScript('dist/src/cli.js', args, cwd, env);
}

/** Runs another built CLI of the project (`script` relative to the project root, e.g. dist/generators/cli.js). */
export function runScript(script: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], {
      cwd,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI's failure lines (progress lines share stderr); `command` is the prefix, e.g. `customer-merge generate`. */
export const failureLines = (stderr: string, command = 'customer-merge'): string[] => stderr.split('\n').filter((l) => l.startsWith(`${command}: `));
