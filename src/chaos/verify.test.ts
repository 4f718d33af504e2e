import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../testing/small-fixture.js';
import type { RuntimeEvent } from '../runtime/events.js';
import { describeStory, healed, shardStories } from './stories.js';
import { checkExactlyOnce, leftoverTemps, onceHolds, outputCensus, outputTree, treeDifferences } from './verify.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("the drill's evidence", () => {
  it('exactly once: counts missing, duplicated and unexpected customers', () => {
    const input = new Set(['a', 'b', 'c']);
    expect(onceHolds(checkExactlyOnce(input, new Map([['a', 1], ['b', 1], ['c', 1]])))).toBe(true);
    expect(checkExactlyOnce(input, new Map([['a', 2], ['b', 1], ['z', 1]]))).toEqual({ customers: 3, missing: 1, duplicated: 1, unexpected: 1 });
  });

  it('reads the census from the output files, finds temp files and tree differences', async () => {
    const out = await dirs.make('cm-verify-');
    await mkdir(join(out, 'profiles', 'd'), { recursive: true });
    await writeFile(join(out, 'profiles', 'd', 's0.jsonl'), '{"customer_id":"a"}\n{"customer_id":"b"}\n');
    await writeFile(join(out, 'profiles', 'd', 's1.jsonl'), '{"customer_id":"a"}\n');
    const census = await outputCensus({ out_dir: out, output_files: ['profiles/d/s0.jsonl', 'profiles/d/s1.jsonl'] });
    expect(census).toEqual(new Map([['a', 2], ['b', 1]]));
    expect(await leftoverTemps(out)).toEqual([]);
    await writeFile(join(out, 'profiles', 'd', 's1.jsonl.tmp-1-abc'), 'x');
    expect(await leftoverTemps(out)).toEqual([join('profiles', 'd', 's1.jsonl.tmp-1-abc')]);
    const before = await outputTree(out);
    await writeFile(join(out, 'profiles', 'd', 's1.jsonl'), '{"customer_id":"c"}\n');
    const after = await outputTree(out);
    expect(treeDifferences(before, after)).toEqual([`${join('profiles', 'd', 's1.jsonl')} differs`]);
    expect(treeDifferences(before, before)).toEqual([]);
  });

  it('tells each shard\'s story from runtime events and worker log lines', () => {
    const events: RuntimeEvent[] = [
      { type: 'run_started', runId: 'r1', task: 'process_shard' },
      { type: 'attempt_failed', runId: 'r1', task: 'process_shard', attempt: 1, error: 'boom', retryInMs: 50 },
      { type: 'run_started', runId: 'r2', task: 'process_shard' },
      { type: 'attempt_succeeded', runId: 'r2', task: 'process_shard', attempt: 1, elapsedMs: 3 },
      { type: 'attempt_succeeded', runId: 'r1', task: 'process_shard', attempt: 2, elapsedMs: 3 },
    ];
    const lines = [
      { runId: 'r1', attempt: 1, line: '{"shard":4,"event":"shard_started"}' },
      { runId: 'r2', attempt: 1, line: '{"shard":0,"event":"shard_started"}' },
    ];
    const stories = shardStories(events, lines);
    expect(stories.map((s) => [s.shard, healed(s)])).toEqual([
      [0, false],
      [4, true],
    ]);
    expect(describeStory(stories[1]!)).toBe('shard 4: attempt 1 failed (boom); attempt 2 succeeded -> healed by retry [runtime run r1]');
  });
});
