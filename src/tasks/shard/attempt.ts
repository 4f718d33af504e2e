import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShardInput } from '../contracts.js';
import { attemptsDir, shardStem } from '../../io/output-names.js';
import type { OutArea } from '../../io/out-area.js';

/** More attempts than any retry policy allows; stops the marker scan on a broken folder. */
const MAX_MARKERS = 1000;

/**
 * Numbers this attempt of a shard (Render passes none): each attempt claims the next marker
 * `out_dir/.attempts/<execution_id>/shard-…-of-….attempt-N`, exclusively for local folders,
 * by list-then-put in a store (a shard's attempts never overlap). Undefined without an
 * `execution_id`. A local out_dir on Render is per instance, so there every attempt is the first.
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

/** Removes one invocation's attempt markers, and `.attempts` itself when nothing else is left in it. */
export async function removeAttemptMarkers(outDir: string, executionId: string, area?: OutArea): Promise<void> {
  if (area?.staged === true) return area.removePrefix(`${attemptsDir(executionId)}/`);
  await rm(join(outDir, attemptsDir(executionId)), { recursive: true, force: true });
  await rmdir(join(outDir, '.attempts')).catch(() => undefined);
}
