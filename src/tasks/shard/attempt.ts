import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShardInput } from '../contracts.js';
import { attemptsDir, shardStem } from '../../io/output-names.js';
import type { OutArea } from '../../io/out-area.js';

/** More attempts than any retry policy allows; stops the marker scan on a broken folder. */
const MAX_MARKERS = 1000;

/**
 * Numbers this attempt of a shard. Render passes a task no attempt number, so each attempt
 * claims the next marker file `out_dir/.attempts/<execution_id>/shard-0003-of-0010.attempt-N`
 * with an exclusive create (`wx`): the first attempt of a shard in an invocation gets 1, its
 * first retry 2, and two attempts can never claim the same number. Returns undefined when the
 * input carries no `execution_id` (a hand-made input): the attempt is then unknown, and logs
 * omit it rather than guess.
 *
 * The markers live in the output area, so they number attempts only where attempts share it:
 * always on the embedded runtime; on Render when out_dir is a store location (`s3://…`), where
 * the markers are objects: an attempt lists its shard's markers and puts the next number. That
 * list-then-put is no exclusive create, and needs none: the attempts of one shard run one after
 * the other on both runtimes (a retry starts after the failed attempt ended). A local out_dir on
 * Render is private to each instance, so there every attempt would call itself the first.
 */
export async function claimAttempt(
  input: Pick<ShardInput, 'out_dir' | 'execution_id' | 'shard_index' | 'shard_count'>,
  area?: OutArea,
): Promise<number | undefined> {
  if (input.execution_id === undefined) return undefined;
  if (area?.staged === true) return claimStoredAttempt(area, input.execution_id, shardStem(input));
  const dir = join(input.out_dir, attemptsDir(input.execution_id));
  await mkdir(dir, { recursive: true });
  const stem = shardStem(input);
  for (let n = 1; n <= MAX_MARKERS; n++) {
    try {
      await writeFile(join(dir, `${stem}.attempt-${n}`), `${process.pid}\n`, { flag: 'wx' });
      return n;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return undefined;
}

/** Claims the next attempt number of a shard whose markers are objects in a store. */
async function claimStoredAttempt(area: OutArea, executionId: string, stem: string): Promise<number> {
  const prefix = `${attemptsDir(executionId)}/${stem}.attempt-`;
  const taken = (await area.list(prefix)).map((k) => Number(k.slice(prefix.length))).filter((n) => Number.isInteger(n));
  const n = Math.max(0, ...taken) + 1;
  await area.putText(`${prefix}${n}`, `${process.pid}\n`);
  return n;
}

/**
 * Removes one invocation's attempt markers (the orchestrator does, once every shard succeeded),
 * and the `.attempts` folder itself when no other invocation's markers remain in it; with a
 * store out_dir, every object under `.attempts/<execution_id>/`.
 */
export async function removeAttemptMarkers(outDir: string, executionId: string, area?: OutArea): Promise<void> {
  if (area?.staged === true) return area.removePrefix(`${attemptsDir(executionId)}/`);
  await rm(join(outDir, attemptsDir(executionId)), { recursive: true, force: true });
  await rmdir(join(outDir, '.attempts')).catch(() => undefined);
}
