/**
 * Entry of an isolated task worker (a fresh process per attempt, like a fresh Render instance).
 * Receives `{ task, argsJson, registry }` over IPC, runs the task with a context whose `run`
 * is unavailable (fan-out happens from the root task), reports the JSON result or the error with
 * its resource use, and exits. Nothing survives between attempts.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { AnyTask, TaskContext } from './task.js';
import type { ChildDone, ChildStart } from './protocol.js';
import type { ProcessUsage } from './events.js';

function usage(): ProcessUsage {
  const u = process.resourceUsage();
  const main = mainThreadCpuMs();
  return { maxRssKb: peakRssKb(u.maxRSS), cpuMs: Math.round((u.userCPUTime + u.systemCPUTime) / 1000), ...(main !== undefined ? { mainThreadCpuMs: main } : {}) };
}

/**
 * CPU of this thread (the main one: JavaScript runs here) from /proc/thread-self/stat, whose
 * utime and stime (fields 14 and 15) count clock ticks of 10 ms; undefined where there is none.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * This process's own peak RSS. On Linux `getrusage().maxRSS` of a forked child starts at the
 * parent's RSS at fork time (it survives exec), so it overstates a small worker; `VmHWM` in
 * /proc/self/status is the peak of this process's own address space. Falls back to maxRSS.
 */
function peakRssKb(maxRss: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m !== null ? Number(m[1]) : maxRss;
  } catch {
    return maxRss;
  }
}

function send(msg: ChildDone): void {
  process.send?.(msg, () => process.exit(0));
}

const ctx: TaskContext = {
  run() {
    return Promise.reject(new Error('ctx.run from inside a worker is not supported by the embedded runtime: fan out from the root task'));
  },
};

process.once('message', (raw: unknown) => {
  const start = raw as ChildStart;
  void (async () => {
    try {
      const mod = (await import(pathToFileURL(start.registry).href)) as { tasks: readonly AnyTask[] };
      const task = mod.tasks.find((t) => t.name === start.task);
      if (task === undefined) throw new Error(`no task named ${JSON.stringify(start.task)} in ${start.registry}`);
      const args = JSON.parse(start.argsJson) as unknown[];
      const value: unknown = await task.func(ctx, ...args);
      send({ type: 'done', ok: true, resultJson: JSON.stringify(value ?? null), usage: usage() });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const extra = e as Error & { code?: unknown; retryable?: unknown };
      send({
        type: 'done',
        ok: false,
        error: {
          name: e.name,
          message: e.message,
          ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
          ...(typeof extra.retryable === 'boolean' ? { retryable: extra.retryable } : {}),
        },
        usage: usage(),
      });
    }
  })();
});
