/**
 * What a process has used so far, read the same way wherever it is reported: by a task worker
 * when its attempt ends (child.ts) and by the bench's warm-up probe after each run it times.
 */
import { readFileSync } from 'node:fs';
import type { ProcessUsage } from './events.js';

/** This process's usage since it started: peak RSS, CPU of all threads and of the main one. */
export function processUsage(): ProcessUsage {
  const u = process.resourceUsage();
  const main = mainThreadCpuMs();
  return { maxRssKb: peakRssKb(u.maxRSS), cpuMs: Math.round((u.userCPUTime + u.systemCPUTime) / 1000), ...(main !== undefined ? { mainThreadCpuMs: main } : {}) };
}

/** CPU of the calling thread from /proc/thread-self/stat (utime and stime, 10 ms ticks); undefined where absent. */
export function mainThreadCpuMs(): number | undefined {
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
 * This process's own peak RSS: `VmHWM` from /proc/self/status, since a forked child's
 * `getrusage().maxRSS` starts at the parent's. Falls back to maxRSS.
 */
export function peakRssKb(maxRss: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m !== null ? Number(m[1]) : maxRss;
  } catch {
    return maxRss;
  }
}
