/**
 * Facts about the machine and checkout a bench result was measured on, saved with it: a number
 * without its machine, Node version, load and commit cannot be compared with anything.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';

export interface MachineFacts {
  readonly node: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly availableParallelism: number;
  readonly totalMemMiB: number;
  readonly freeMemMiB: number;
  /** 1, 5 and 15 minute load averages when the bench started: above the core count means a busy machine. */
  readonly loadAverage: readonly number[];
  readonly gitCommit: string | null;
  /** True when the working tree had uncommitted changes (the commit alone does not name the code). */
  readonly gitDirty: boolean | null;
}

function git(args: readonly string[], cwd: string): string | null {
  try {
    return execFileSync('git', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineFacts(cwd: string): MachineFacts {
  const list = cpus();
  const status = git(['status', '--porcelain', '--untracked-files=no'], cwd);
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    availableParallelism: availableParallelism(),
    totalMemMiB: Math.round(totalmem() / 2 ** 20),
    freeMemMiB: Math.round(freemem() / 2 ** 20),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    gitCommit: git(['rev-parse', 'HEAD'], cwd),
    gitDirty: status === null ? null : status !== '',
  };
}
