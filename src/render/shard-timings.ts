import type { RunResult } from '../tasks/contracts.js';
import type { TaskRunLike, TriggerClientLike } from './client.js';

/** How long one shard took, as the platform saw it (instance start to end, all attempts). */
export interface ShardTiming {
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

const PAGE = 100;
const MAX_PAGES = 20;

/** Milliseconds between two ISO timestamps, or null when either is missing or unreadable. */
export function spanMs(from: unknown, to: unknown): number | null {
  if (typeof from !== 'string' || typeof to !== 'string') return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** A listed run: `{ taskRun, cursor }` in SDK 1.x list responses, or a bare run in older ones. */
function unwrap(item: unknown): { run: TaskRunLike; cursor: string | undefined } | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as { taskRun?: unknown; cursor?: unknown };
  const run = (typeof o.taskRun === 'object' && o.taskRun !== null ? o.taskRun : item) as TaskRunLike;
  return { run, cursor: typeof o.cursor === 'string' ? o.cursor : undefined };
}

/** The shard index a `process_shard` run was given: `input` is the JSON argument array. */
function shardIndexOf(input: unknown): number | undefined {
  const first = Array.isArray(input) ? (input as unknown[])[0] : input;
  const i = (first as { shard_index?: unknown } | undefined)?.shard_index;
  return typeof i === 'number' && Number.isInteger(i) ? i : undefined;
}

function attemptsOf(run: TaskRunLike): number | null {
  if (Array.isArray(run.attempts)) return run.attempts.length;
  return typeof run.retries === 'number' ? run.retries + 1 : null;
}

/** The child runs of a root run, page by page (the runs of the tree whose parent is the root). */
async function childRuns(client: TriggerClientLike, rootId: string): Promise<TaskRunLike[]> {
  const list = client.workflows.listTaskRuns;
  if (list === undefined) return [];
  const out: TaskRunLike[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const items = await list.call(client.workflows, { rootTaskRunId: [rootId], limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) });
    let next: string | undefined;
    for (const item of items) {
      const u = unwrap(item);
      if (u === undefined) continue;
      next = u.cursor ?? next;
      const { run } = u;
      if (typeof run.id !== 'string' || run.id === rootId || seen.has(run.id)) continue;
      // Keep only this tree's direct children; a server that ignores the filter lists others too.
      const parent = run.parentTaskRunId ?? (run.rootTaskRunId === rootId ? rootId : undefined);
      if (parent !== rootId) continue;
      seen.add(run.id);
      out.push(run);
    }
    if (items.length < PAGE || next === undefined || next === cursor) break;
    cursor = next;
  }
  return out;
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
    shardIndex: s.shard_index,
    taskRunId: null,
    status: 'succeeded',
    elapsedMs: s.elapsed_ms,
    attempts: null,
    source: 'in-task' as const,
  }));
}

/**
 * Each shard's elapsed time from the run details: the root's child runs (`listTaskRuns` with
 * `rootTaskRunId`), their shard index from their input (fetched with `getTaskRun` when the
 * listing omits it) and `completedAt − startedAt`. Falls back to the shards' own `elapsed_ms` in
 * the RunResult when the client cannot list runs, lists none, or the listing fails.
 */
export async function shardTimings(client: TriggerClientLike, rootId: string, result: RunResult): Promise<ShardTiming[]> {
  let children: TaskRunLike[];
  try {
    children = await childRuns(client, rootId);
  } catch {
    return inTaskTimings(result);
  }
  if (children.length === 0) return inTaskTimings(result);
  const timings = await mapLimit(children, 8, async (listed): Promise<ShardTiming> => {
    let run = listed;
    if (shardIndexOf(run.input) === undefined || spanMs(run.startedAt, run.completedAt) === null) {
      try {
        run = { ...listed, ...(await client.workflows.getTaskRun(listed.id as string)) };
      } catch {
        // Keep what the listing said.
      }
    }
    return {
      shardIndex: shardIndexOf(run.input) ?? null,
      taskRunId: run.id ?? null,
      status: String(run.status ?? 'unknown'),
      elapsedMs: spanMs(run.startedAt, run.completedAt),
      attempts: attemptsOf(run),
      source: 'run-details',
    };
  });
  return timings.sort((a, b) => (a.shardIndex ?? Infinity) - (b.shardIndex ?? Infinity));
}
