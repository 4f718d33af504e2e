/**
 * The drill end to end on a small slice of the fixture: it passes when recovery holds, and it
 * can fail (a scenario that no retry can heal is reported, not papered over). Needs
 * `npm run build` (workers and the killed CLI run from dist/).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrill } from './drill.js';
import type { DrillOptions } from './drill.js';
import { formatReport } from './report.js';
import { writeSmallFixture, tempDirs } from '../testing/small-fixture.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

let options: DrillOptions;

beforeAll(async () => {
  const data = await writeSmallFixture(await dirs.make('cm-drill-data-'), 200);
  options = {
    data,
    root: await dirs.make('cm-drill-'),
    shards: 4,
    concurrency: 2,
    seed: 1,
    failRate: 0.3,
    target: 2,
    hangTimeoutSeconds: 4,
    retry: { maxRetries: 3, waitDurationMs: 20, backoffScaling: 2 },
    scenarios: ['fail-shard', 'kill-resume'],
  };
});

describe('the chaos drill', () => {
  it('passes fail-shard and kill-resume: every check holds and the report lists the healing retry', async () => {
    const report = await runDrill(options);
    const text = formatReport(report, options.root);
    expect(report.ok, text).toBe(true);
    expect(report.customers).toBe(200);
    expect(report.scenarios.map((s) => s.name)).toEqual(['fail-shard', 'kill-resume']);
    const fail = report.scenarios[0]!;
    expect(fail.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['every customer exactly once', 'output byte-identical to the fault-free run', 'every injected fault failed its attempt', 'each faulted shard healed by a retry']),
    );
    expect(fail.healedRetries).toBe(1);
    expect(text).toMatch(/retry: shard 2: attempt 1 failed \(chaos: injected failure of shard 2 on attempt 1\); attempt 2 succeeded -> healed by retry/);
    expect(text).toMatch(/RESULT: PASS/);
    expect(text).toContain('first wait 20 ms');
  }, 240_000);

  it('fails, without running it, a fail-rate scenario whose seed no retry can heal', async () => {
    const report = await runDrill({ ...options, root: await dirs.make('cm-drill-'), failRate: 0.9, seed: 3, scenarios: ['fail-rate'] });
    expect(report.ok).toBe(false);
    expect(report.scenarios[0]?.checks[0]).toMatchObject({ name: 'scenario is winnable', ok: false });
    expect(formatReport(report, 'x')).toMatch(/RESULT: FAIL/);
  }, 240_000);
});
