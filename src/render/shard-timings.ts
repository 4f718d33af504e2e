import type { RunResult } from '../tasks/contracts.js';
import { childName, listChildRuns } from './child-runs.js';
import type { ChildKind } from './child-runs.js';
import type { TaskRunLike, TriggerClientLike } from './client.js';

/** How long one child run took (a shard, or prepare / partition), as the platform saw it
 * (instance start to end, all attempts). */
export interface ShardTiming {
  /** What the child run is, from its input: `prepare`, `partition crm`, `shard 3`, `shards 0-3`. */
  readonly kind: ChildKind;
  readonly label: string;
  /** The (first) shard a shard run covers; null for other children. */
  readonly shardIndex: number | null;
  readonly taskRunId: string | null;
  readonly status: string;
  readonly elapsedMs: number | null;
  /** Attempts the run took, when the details say (attempts[] or retries + 1). */
  readonly attempts: number | null;
  /** `run-details`: from the child run's timestamps; `in-task`: the shard's own elapsed_ms,
   * used when the run details do not list the child runs. */
  readonly source: 'run-details' | 'in-task';
}

/** Milliseconds between two ISO timestamps, or null when either is missing or unreadable. */
export function spanMs(from: unknown, to: unknown): number | null {
  if (typeof from !== 'string' || typeof to !== 'string') return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

function attemptsOf(run: TaskRunLike): number | null {
  if (Array.isArray(run.attempts)) return run.attempts.length;
  return typeof run.retries === 'number' ? run.retries + 1 : null;
}

/** Runs `fn` over `items`, at most `limit` at once, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The shards' own elapsed_ms from the RunResult: the fallback when run details are unavailable. */
export function inTaskTimings(result: RunResult): ShardTiming[] {
  return result.shards.map((s) => ({
    kind: 'shard' as const,
    label: `shard ${s.shard_index}`,
    shardIndex: s.shard_index,
    taskRunId: null,
    status: 'succeeded',
    elapsedMs: s.elapsed_ms,
    attempts: null,
    source: 'in-task' as const,
  }));
}

/**
 * Each child run's elapsed time (`completedAt − startedAt`) from the run details, prepare and
 * partition first, then shards in order; else the shards' own `elapsed_ms` from the RunResult.
 */
export async function shardTimings(client: TriggerClientLike, rootId: string, result: RunResult): Promise<ShardTiming[]> {
  let children: TaskRunLike[];
  try {
    children = await listChildRuns(client, rootId);
  } catch {
    return inTaskTimings(result);
  }
  if (children.length === 0) return inTaskTimings(result);
  const timings = await mapLimit(children, 8, async (listed): Promise<ShardTiming> => {
    let run = listed;
    if (childName(run.input).kind === 'other' || spanMs(run.startedAt, run.completedAt) === null) {
      try {
        run = { ...listed, ...(await client.workflows.getTaskRun(listed.id as string)) };
      } catch {
        // Keep what the listing said.
      }
    }
    const name = childName(run.input);
    return {
      kind: name.kind,
      label: name.label,
      shardIndex: name.shardIndex,
      taskRunId: run.id ?? null,
      status: String(run.status ?? 'unknown'),
      elapsedMs: spanMs(run.startedAt, run.completedAt),
      attempts: attemptsOf(run),
      source: 'run-details',
    };
  });
  const order: Record<ChildKind, number> = { prepare: 0, partition: 1, shard: 2, other: 3 };
  return timings.sort((a, b) => order[a.kind] - order[b.kind] || (a.shardIndex ?? 0) - (b.shardIndex ?? 0) || a.label.localeCompare(b.label));
}
