import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentTooLargeError } from '../core/errors.js';
import { badInput, crash, echo, envOf, flaky, hang, sleepy } from '../testing/runtime-tasks.js';
import { compiledPath } from './compiled.js';
import type { RuntimeEvent } from './events.js';
import { LocalRuntime, WORKER_MALLOC_TUNABLES } from './local.js';
import { defineTask } from './task.js';
import type { TaskContext, TaskDefinition } from './task.js';

const registry = compiledPath(import.meta.url, '../testing/runtime-tasks.js');

/** A root task that runs one subtask, so the subtask goes through a worker process. */
function rootOf<A extends unknown[], R>(sub: TaskDefinition<A, R>) {
  return defineTask({ name: `root_of_${sub.name}` }, (ctx: TaskContext, ...args: A) => ctx.run(sub, ...args));
}

function record(rt: LocalRuntime): RuntimeEvent[] {
  const events: RuntimeEvent[] = [];
  rt.on((e) => events.push(e));
  return events;
}

describe('LocalRuntime', () => {
  it('runs a subtask in a separate process and returns its JSON result', async () => {
    const rt = new LocalRuntime({ registry, concurrency: 1 });
    const out = await rt.run(rootOf(echo), { a: [1, 'x'] });
    expect(out.echoed).toEqual({ a: [1, 'x'] });
    expect(out.pid).not.toBe(process.pid);
  });

  it("gives workers the allocator settings, unless the caller set GLIBC_TUNABLES itself", async () => {
    expect(await new LocalRuntime({ registry, concurrency: 1 }).run(rootOf(envOf), 'GLIBC_TUNABLES')).toBe(WORKER_MALLOC_TUNABLES);
    const own = 'glibc.malloc.arena_max=1';
    expect(await new LocalRuntime({ registry, concurrency: 1, env: { GLIBC_TUNABLES: own } }).run(rootOf(envOf), 'GLIBC_TUNABLES')).toBe(own);
  });

  it("reports a worker's CPU and peak memory, and the main thread's share of the CPU on Linux", async () => {
    const rt = new LocalRuntime({ registry, concurrency: 1 });
    const events = record(rt);
    await rt.run(rootOf(echo), 'x');
    const done = events.find((e) => e.type === 'attempt_succeeded' && e.task === 'echo');
    const usage = done?.type === 'attempt_succeeded' ? done.usage : undefined;
    expect(usage?.cpuMs).toBeGreaterThan(0);
    expect(usage?.maxRssKb).toBeGreaterThan(1024);
    if (process.platform === 'linux') {
      // Ticks of 10 ms against microseconds rounded to ms: the share is at most one tick over.
      expect(usage?.mainThreadCpuMs).toBeGreaterThan(0);
      expect(usage!.mainThreadCpuMs!).toBeLessThanOrEqual(usage!.cpuMs + 10);
    }
  });

  it('refuses an argument over 4 MB, naming the task and the size', async () => {
    const rt = new LocalRuntime({ registry });
    const big = 'x'.repeat(4 * 1024 * 1024);
    const err = await rt.run(rootOf(echo), big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentTooLargeError);
    expect(String(err)).toMatch(/root_of_echo .* 4194\d{3} bytes, over the 4194304-byte limit/);
  });

  it('refuses an oversized subtask argument before spawning a worker', async () => {
    const rt = new LocalRuntime({ registry });
    const events = record(rt);
    const root = defineTask({ name: 'root_big' }, (ctx: TaskContext) => ctx.run(echo, 'y'.repeat(5_000_000)));
    await expect(rt.run(root)).rejects.toThrow(/echo are 5000\d{3} bytes/);
    expect(events.filter((e) => e.task === 'echo')).toEqual([]);
  });

  it('retries a failing subtask with waits of wait × scaling^k, then succeeds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cm-flaky-'));
    const rt = new LocalRuntime({ registry });
    const events = record(rt);
    const out = await rt.run(rootOf(flaky), dir, 2);
    expect(out).toEqual({ attempt: 3 });
    const failed = events.filter((e) => e.type === 'attempt_failed' && e.task === 'flaky');
    expect(failed.map((e) => (e.type === 'attempt_failed' ? e.retryInMs : -1))).toEqual([40, 80]);
  });

  it('gives up after maxRetries + 1 attempts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cm-flaky-'));
    const rt = new LocalRuntime({ registry, retry: { maxRetries: 2, waitDurationMs: 1 } });
    const events = record(rt);
    await expect(rt.run(rootOf(flaky), dir, 10)).rejects.toThrow(/Subtask failed: flaky after 3 attempt\(s\)/);
    expect(events.filter((e) => e.type === 'attempt_started' && e.task === 'flaky')).toHaveLength(3);
  });

  it('does not retry a permanent error', async () => {
    const rt = new LocalRuntime({ registry });
    const events = record(rt);
    await expect(rt.run(rootOf(badInput))).rejects.toThrow(/bad value 42/);
    expect(events.filter((e) => e.type === 'attempt_started' && e.task === 'bad_input')).toHaveLength(1);
  });

  it('counts a worker that exits mid-task as a failed attempt', async () => {
    const rt = new LocalRuntime({ registry, retry: { maxRetries: 1, waitDurationMs: 1 } });
    const events = record(rt);
    await expect(rt.run(rootOf(crash))).rejects.toThrow(/worker exited before finishing \(exit code 3\)/);
    expect(events.filter((e) => e.type === 'attempt_failed' && e.task === 'crash')).toHaveLength(2);
  });

  it('stops a worker that runs past its timeout and fails the attempt', async () => {
    const rt = new LocalRuntime({ registry });
    const t0 = Date.now();
    await expect(rt.run(rootOf(hang))).rejects.toThrow(/hang timed out after 0.5 s/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('never runs more subtasks at once than its concurrency limit, and does use the limit', async () => {
    const rt = new LocalRuntime({ registry, concurrency: 2 });
    let running = 0;
    let peak = 0;
    rt.on((e) => {
      if (e.task !== 'sleepy') return;
      if (e.type === 'attempt_started') peak = Math.max(peak, ++running);
      if (e.type === 'attempt_succeeded' || e.type === 'attempt_failed') running--;
    });
    const root = defineTask({ name: 'fan' }, (ctx: TaskContext) => Promise.all([1, 2, 3, 4, 5].map(() => ctx.run(sleepy, 300))));
    const pids = await rt.run(root);
    expect(new Set(pids).size).toBe(5);
    expect(peak).toBe(2);
  });
});
