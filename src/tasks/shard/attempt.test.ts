import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../testing/small-fixture.js';
import { claimAttempt, removeAttemptMarkers } from './attempt.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const base = { shard_index: 3, shard_count: 10 };

describe('attempt numbers from marker files (the platform passes none)', () => {
  it('numbers successive attempts of a shard 1, 2, 3 within one execution', async () => {
    const out = await dirs.make('cm-attempt-');
    const input = { ...base, out_dir: out, execution_id: 'run-x.e1' };
    expect([await claimAttempt(input), await claimAttempt(input), await claimAttempt(input)]).toEqual([1, 2, 3]);
    expect(await readdir(join(out, '.attempts', 'run-x.e1'))).toHaveLength(3);
  });

  it('counts each shard and each execution separately', async () => {
    const out = await dirs.make('cm-attempt-');
    expect(await claimAttempt({ ...base, out_dir: out, execution_id: 'e1' })).toBe(1);
    expect(await claimAttempt({ ...base, shard_index: 4, out_dir: out, execution_id: 'e1' })).toBe(1);
    expect(await claimAttempt({ ...base, out_dir: out, execution_id: 'e2' })).toBe(1);
    expect(await claimAttempt({ ...base, out_dir: out, execution_id: 'e1' })).toBe(2);
  });

  it('never gives two concurrent attempts the same number', async () => {
    const out = await dirs.make('cm-attempt-');
    const input = { ...base, out_dir: out, execution_id: 'e' };
    const got = await Promise.all(Array.from({ length: 12 }, () => claimAttempt(input)));
    expect([...got].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('is unknown (undefined) without an execution id, and writes nothing', async () => {
    const out = await dirs.make('cm-attempt-');
    expect(await claimAttempt({ ...base, out_dir: out })).toBeUndefined();
    expect(await readdir(out)).toEqual([]);
  });

  it('removes one execution\'s markers', async () => {
    const out = await dirs.make('cm-attempt-');
    await claimAttempt({ ...base, out_dir: out, execution_id: 'e1' });
    await claimAttempt({ ...base, out_dir: out, execution_id: 'e2' });
    await removeAttemptMarkers(out, 'e1');
    expect(await readdir(join(out, '.attempts'))).toEqual(['e2']);
    await removeAttemptMarkers(out, 'e2');
    expect(await readdir(out)).toEqual([]);
  });
});
