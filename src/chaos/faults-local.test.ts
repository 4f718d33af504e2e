/**
 * Every fault kind through the embedded runtime (real worker processes, the same CHAOS_*
 * variables that work on Render), and the structured logs the shards write meanwhile. Needs
 * `npm run build` (workers run dist/).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../runtime/local.js';
import type { RuntimeEvent } from '../runtime/events.js';
import type { RunResult } from '../tasks/contracts.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import { faultFor, faultPlanFromEnv } from '../faults/faults.js';
import { NO_CHAOS_ENV } from './scenarios.js';
import { writeSmallFixture, tempDirs } from '../testing/small-fixture.js';
import { healed, parsed, shardStories } from './stories.js';
import type { ShardStory, WorkerLine } from './stories.js';
import { checkExactlyOnce, comparableResult, leftoverTemps, onceHolds, outputCensus, outputTree, readInputFacts } from './verify.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const SHARDS = 4;
const RETRY = { maxRetries: 3, waitDurationMs: 30, backoffScaling: 2 };
const HANG_TIMEOUT_S = 4;

interface Run {
  readonly result: RunResult;
  readonly events: RuntimeEvent[];
  readonly lines: WorkerLine[];
  readonly stories: ShardStory[];
}

async function runWith(data: string, env: Record<string, string>, timeout?: number): Promise<Run> {
  const events: RuntimeEvent[] = [];
  const lines: WorkerLine[] = [];
  const rt = new LocalRuntime({
    concurrency: 2,
    retry: RETRY,
    env: { ...NO_CHAOS_ENV, ...env, LOG_LEVEL: 'info' },
    ...(timeout !== undefined ? { taskTimeoutSeconds: { process_shard: timeout } } : {}),
    onWorkerStderr: (line, from) => lines.push({ runId: from.runId, attempt: from.attempt, line }),
  });
  rt.on((e) => events.push(e));
  const result = await rt.run(mergeCustomerData, { data, out_dir: await dirs.make('cm-faults-out-'), shards: SHARDS });
  return { result, events, lines, stories: shardStories(events, lines) };
}

let data: string;
let baseline: Run;
let faulty: Run;
const FAULT_ENV = { CHAOS_FAIL_SHARD: '0', CHAOS_CRASH_SHARD: '1', CHAOS_HANG_SHARD: '2' };

beforeAll(async () => {
  data = await writeSmallFixture(await dirs.make('cm-faults-data-'), 120);
  baseline = await runWith(data, {});
  faulty = await runWith(data, FAULT_ENV, HANG_TIMEOUT_S);
}, 180_000);

const story = (r: Run, shard: number): ShardStory => r.stories.find((s) => s.shard === shard)!;

async function sameAsBaseline(r: Run): Promise<void> {
  expect(Object.fromEntries(await outputTree(r.result.out_dir))).toEqual(Object.fromEntries(await outputTree(baseline.result.out_dir)));
  expect(comparableResult(r.result)).toStrictEqual(comparableResult(baseline.result));
  expect(onceHolds(checkExactlyOnce((await readInputFacts(data)).customers, await outputCensus(r.result)))).toBe(true);
  expect(await leftoverTemps(r.result.out_dir)).toEqual([]);
}

describe('each fault kind heals by retry (CHAOS_FAIL_SHARD=0, CHAOS_CRASH_SHARD=1, CHAOS_HANG_SHARD=2 in one run)', () => {
  it('fail: shard 0 throws on its first attempt, a retry heals it', () => {
    const s = story(faulty, 0);
    expect(s.attempts[0]).toMatchObject({ attempt: 1, ok: false, error: 'chaos: injected failure of shard 0 on attempt 1' });
    expect(healed(s)).toBe(true);
  });

  it('crash: shard 1\'s worker exits mid-shard on its first attempt, a retry heals it', () => {
    const s = story(faulty, 1);
    expect(s.attempts[0]).toMatchObject({ attempt: 1, ok: false });
    expect(s.attempts[0]?.error).toMatch(/worker exited before finishing \(exit code 75\)/);
    expect(healed(s)).toBe(true);
  });

  it(`hang: shard 2 stops on its first attempt until the ${HANG_TIMEOUT_S} s timeout kills it, a retry heals it`, () => {
    const s = story(faulty, 2);
    expect(s.attempts[0]).toMatchObject({ attempt: 1, ok: false });
    expect(s.attempts[0]?.error).toMatch(/timed out after 4 s; its worker was stopped/);
    expect(healed(s)).toBe(true);
  });

  it('the healed run equals the fault-free run: same bytes, same RunResult, every customer once, no temp file', async () => {
    await sameAsBaseline(faulty);
  });

  it('fail-rate 0.5 with seed 22: exactly the predicted attempts fail (shard 3 three times in a row), and all heal', async () => {
    const env = { CHAOS_FAIL_RATE: '0.5', CHAOS_SEED: '22' };
    const plan = faultPlanFromEnv(env);
    const predicted: string[] = [];
    for (let shard = 0; shard < SHARDS; shard++) for (let a = 1; faultFor(plan, shard, a) === 'fail'; a++) predicted.push(`${shard}/${a}`);
    expect(predicted).toEqual(['1/1', '1/2', '3/1', '3/2', '3/3']);
    const r = await runWith(data, env);
    const observed = r.stories.flatMap((s) => s.attempts.filter((a) => !a.ok).map((a) => `${s.shard}/${a.attempt}`)).sort();
    expect(observed).toEqual(predicted.sort());
    await sameAsBaseline(r);
  });
});

describe('structured logs of the shards', () => {
  const records = (r: Run): { from: WorkerLine; o: Record<string, unknown> }[] => r.lines.map((from) => ({ from, o: parsed(from.line)! }));

  it('every line is one JSON object with level, time, event, run_id, task, shard and the true attempt number', () => {
    const all = [...records(baseline), ...records(faulty)];
    expect(all.length).toBeGreaterThan(SHARDS * 3);
    for (const { from, o } of all) {
      expect(o, from.line).toBeDefined();
      expect(o).toMatchObject({ task: 'process_shard', run_id: expect.any(String), event: expect.any(String), level: expect.any(String), time: expect.any(String) });
      expect(typeof o['shard']).toBe('number');
      expect(o['attempt'], 'attempt from the markers = the runtime\'s attempt').toBe(from.attempt);
    }
  });

  it('tell each shard\'s story: started, input loaded with rows per source, completed with counts and elapsed ms', () => {
    for (let shard = 0; shard < SHARDS; shard++) {
      const events = records(baseline).filter((r) => r.o['shard'] === shard).map((r) => r.o);
      expect(events.map((e) => e['event'])).toEqual(['shard_started', 'shard_input_loaded', 'shard_completed']);
      const rows = events[1]!['rows'] as Record<string, { read: number; rejected: number }>;
      expect(Object.keys(rows)).toEqual(['crm', 'billing', 'product', 'support']);
      expect(events[2]).toMatchObject({ profiles: baseline.result.shards[shard]!.profiles, elapsed_ms: expect.any(Number), duplicates_dropped: 0 });
    }
  });

  it('say why an attempt failed: shard_failed with the error, chaos_fault before each injected fault', () => {
    const failed = records(faulty).filter((r) => r.o['event'] === 'shard_failed').map((r) => r.o);
    expect(failed).toMatchObject([{ shard: 0, attempt: 1, level: 'error', error: { type: 'InjectedFaultError', code: 'CHAOS_FAULT', retryable: true } }]);
    const faults = records(faulty).filter((r) => r.o['event'] === 'chaos_fault').map((r) => [r.o['shard'], r.o['fault']]);
    expect(faults.sort()).toEqual([
      [0, 'fail'],
      [1, 'crash'],
      [2, 'hang'],
    ]);
  });

  it('carry no personal data: no email, company name or person name of the fixture appears', async () => {
    const text = [...baseline.lines, ...faulty.lines].map((l) => l.line).join('\n');
    // Emails, company names and sales owners' names of every customer in the slice.
    const personal = (await readInputFacts(data)).personal;
    expect(personal.length).toBeGreaterThan(300);
    for (const p of personal) expect(text.includes(p), p).toBe(false);
    expect(text).not.toMatch(/@example/);
  });
});
