/**
 * "Kill the whole run once midway": runs the CLI in its own process group and SIGKILLs the group
 * once a seeded number of shards have committed plus a seeded delay, like a power loss.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compiledPath } from '../runtime/compiled.js';

export interface KillPlan {
  readonly data: string;
  readonly outDir: string;
  readonly shards: number;
  readonly concurrency: number;
  /** Kill once at least this many manifests exist… */
  readonly afterManifests: number;
  /** …and this many more milliseconds have passed. */
  readonly extraDelayMs: number;
  /** Environment overrides for the child (CHAOS_* cleared, LOG_LEVEL). */
  readonly env: Readonly<Record<string, string>>;
}

export interface KillOutcome {
  /** True when the group was killed while the run was still going. */
  readonly killed: boolean;
  /** Manifests present at the moment of the kill. */
  readonly manifestsAtKill: number;
  readonly elapsedMs: number;
  /** The child's exit code when it finished by itself (the kill came too late). */
  readonly exitCode: number | null;
  readonly stderr: string;
}

/** Runs the CLI and kills its whole process group midway. */
export async function runAndKill(plan: KillPlan): Promise<KillOutcome> {
  const cli = compiledPath(import.meta.url, '../cli.js');
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [cli, '--data', plan.data, '--out', plan.outDir, '--shards', String(plan.shards), '--concurrency', String(plan.concurrency), '--json'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...plan.env } },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    stderr += s;
  });
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code) => {
      exited = code;
      resolve();
    });
  });
  let manifests = 0;
  let killed = false;
  while (exited === undefined) {
    manifests = await countManifests(plan.outDir);
    if (manifests >= plan.afterManifests) {
      await sleep(plan.extraDelayMs);
      if (exited !== undefined) break;
      manifests = await countManifests(plan.outDir);
      try {
        process.kill(-child.pid!, 'SIGKILL');
        killed = true;
      } catch {
        // The group is already gone: the run finished first.
      }
      break;
    }
    await sleep(5);
  }
  await exit;
  return { killed: killed && exited !== 0, manifestsAtKill: manifests, elapsedMs: Math.round(performance.now() - t0), exitCode: killed ? null : (exited ?? null), stderr };
}

/** Finished manifests (`*.json`, not temporary files) under out_dir/manifests. */
export async function countManifests(outDir: string): Promise<number> {
  let n = 0;
  let dirs: string[];
  try {
    dirs = await readdir(join(outDir, 'manifests'));
  } catch {
    return 0;
  }
  for (const d of dirs) {
    try {
      n += (await readdir(join(outDir, 'manifests', d))).filter((f) => f.endsWith('.json')).length;
    } catch {
      // Not a folder.
    }
  }
  return n;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
