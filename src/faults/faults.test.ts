import { describe, expect, it } from 'vitest';
import { InvalidOptionError, isPermanent } from '../core/errors.js';
import type { ProfileLine } from '../core/profile.js';
import type { ProfileSink, SinkReceipt } from '../sinks/sink.js';
import type { ShardInput } from '../tasks/contracts.js';
import { InjectedFaultError, NO_FAULTS, chance, faultFor, faultPlanFromEnv, injectFault, isArmed, sinkUnderChaos } from './faults.js';
import { scenarioSpec, showsFault } from '../chaos/scenarios.js';

/** A sink that records what reaches it. */
class RecordingSink implements ProfileSink {
  written = 0;
  committed = false;
  aborted = false;
  async open(): Promise<{ write(p: ProfileLine): Promise<void>; commit(): Promise<SinkReceipt>; abort(): Promise<void> }> {
    return {
      write: async () => {
        this.written++;
      },
      commit: async () => {
        this.committed = true;
        return { output_file: 'f', checksum: 'c' };
      },
      abort: async () => {
        this.aborted = true;
      },
    };
  }
}

const input = {} as ShardInput;
const profile = {} as ProfileLine;

describe('fault plan from CHAOS_* variables', () => {
  it('reads shard lists, rate and seed', () => {
    const plan = faultPlanFromEnv({ CHAOS_FAIL_SHARD: '3', CHAOS_CRASH_SHARD: '1, 4', CHAOS_HANG_SHARD: '', CHAOS_FAIL_RATE: '0.25', CHAOS_SEED: '42' });
    expect([...plan.failShards]).toEqual([3]);
    expect([...plan.crashShards]).toEqual([1, 4]);
    expect(plan.hangShards.size).toBe(0);
    expect(plan).toMatchObject({ failRate: 0.25, seed: 42 });
    expect(isArmed(plan)).toBe(true);
    expect(isArmed(faultPlanFromEnv({}))).toBe(false);
  });

  it.each([
    ['CHAOS_FAIL_SHARD', 'three'],
    ['CHAOS_CRASH_SHARD', '-1'],
    ['CHAOS_FAIL_RATE', '1.5'],
    ['CHAOS_SEED', 'x'],
  ])('refuses %s=%s with a permanent error naming it', (name, value) => {
    let err: unknown;
    try {
      faultPlanFromEnv({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(isPermanent(err)).toBe(true);
    expect(String(err)).toContain(name);
  });
});

describe('which attempt suffers which fault', () => {
  const plan = faultPlanFromEnv({ CHAOS_FAIL_SHARD: '3', CHAOS_CRASH_SHARD: '5', CHAOS_HANG_SHARD: '7' });

  it('targeted faults strike the first attempt only, so a retry heals them', () => {
    expect([faultFor(plan, 3, 1), faultFor(plan, 5, 1), faultFor(plan, 7, 1)]).toEqual(['fail', 'crash', 'hang']);
    expect([faultFor(plan, 3, 2), faultFor(plan, 5, 2), faultFor(plan, 7, 2)]).toEqual([null, null, null]);
    expect(faultFor(plan, 0, 1)).toBeNull();
  });

  it('no fault fires when the attempt is unknown', () => {
    expect(faultFor(plan, 3, undefined)).toBeNull();
  });

  it('a seeded rate fails the same attempts every time, about the asked fraction of them (seed 7)', () => {
    const p = faultPlanFromEnv({ CHAOS_FAIL_RATE: '0.3', CHAOS_SEED: '7' });
    const draws = Array.from({ length: 2000 }, (_, i) => faultFor(p, i % 50, 1 + Math.floor(i / 50)));
    expect(Array.from({ length: 2000 }, (_, i) => faultFor(p, i % 50, 1 + Math.floor(i / 50)))).toEqual(draws);
    const rate = draws.filter((d) => d === 'fail').length / draws.length;
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.35);
    expect(chance(7, 1, 1)).not.toBe(chance(8, 1, 1));
  });

  it('predicts the failures of a seeded rate scenario and flags a seed that no retry could heal', () => {
    const spec = scenarioSpec('fail-rate', { shards: 10, target: 3, failRate: 0.3, seed: 1, maxAttempts: 4 });
    const plan1 = faultPlanFromEnv(spec.env);
    for (const x of spec.expected) expect(faultFor(plan1, x.shard, x.attempt)).toBe('fail');
    expect(spec.invalid).toBeUndefined();
    const hopeless = scenarioSpec('fail-rate', { shards: 3, target: 0, failRate: 1, seed: 1, maxAttempts: 4 });
    expect(hopeless.invalid).toMatch(/fails all 4 attempts of shard 0/);
  });
});

describe('injecting a fault into a sink', () => {
  it('without a fault the sink is the same object', () => {
    const sink = new RecordingSink();
    expect(injectFault(sink, null, { shard: 0, attempt: 1 }, () => {})).toBe(sink);
    expect(sinkUnderChaos(sink, {}, 0, 1, { warn: () => {} })).toBe(sink);
  });

  it('a failure strikes mid-write, before commit, as a retryable error, after announcing itself', async () => {
    const sink = new RecordingSink();
    const fired: string[] = [];
    const s = await injectFault(sink, 'fail', { shard: 3, attempt: 1 }, (k) => fired.push(k)).open(input);
    await s.write(profile);
    const err = await Promise.resolve(s.write(profile)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InjectedFaultError);
    expect(isPermanent(err)).toBe(false);
    expect(String(err)).toContain('chaos: injected failure of shard 3 on attempt 1');
    expect(fired).toEqual(['fail']);
    expect(sink.committed).toBe(false);
    expect(showsFault('fail', (err as Error).message)).toBe(true);
  });

  it('a shard with fewer than two profiles fails at commit, before anything is committed', async () => {
    const sink = new RecordingSink();
    const s = await injectFault(sink, 'fail', { shard: 0, attempt: 1 }, () => {}).open(input);
    await expect(s.commit()).rejects.toBeInstanceOf(InjectedFaultError);
    expect(sink.committed).toBe(false);
  });

  it('logs chaos_armed and chaos_fault through the shard logger', async () => {
    const warned: string[] = [];
    const s = await sinkUnderChaos(new RecordingSink(), { CHAOS_FAIL_SHARD: '2' }, 2, 1, { warn: (e) => void warned.push(e) }).open(input);
    await expect(s.commit()).rejects.toThrow(/injected/);
    expect(warned).toEqual(['chaos_armed', 'chaos_fault']);
    expect(NO_FAULTS.failRate).toBe(0);
  });
});
