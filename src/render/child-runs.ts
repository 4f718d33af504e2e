import type { TaskRunLike, TriggerClientLike } from './client.js';

/** What a child run of `merge_customer_data` is, read from its input (the task name is not in
 * every listing: the local dev server gives only a `tsk-` id). */
export type ChildKind = 'prepare' | 'partition' | 'shard' | 'other';

/** A child run's kind, its label as printed (`prepare`, `partition crm`, `shard 3`, `shards 0-3`)
 * and the first shard it covers (for ordering). */
export interface ChildName {
  readonly kind: ChildKind;
  readonly label: string;
  readonly shardIndex: number | null;
}

const PAGE = 100;
const MAX_PAGES = 20;

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** `0-3` for consecutive indices, else `0,2,5`. */
function rangeText(xs: readonly number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const consecutive = s.every((x, i) => i === 0 || x === (s[i - 1] as number) + 1);
  return consecutive && s.length > 1 ? `${s[0]}-${s.at(-1)}` : s.join(',');
}

/** Names a child run by its input: `[PrepareInput]`, `[PartitionInput]` or `[ShardInput]`. */
export function childName(input: unknown): ChildName {
  const first = (Array.isArray(input) ? (input as unknown[])[0] : input) as Record<string, unknown> | undefined;
  if (typeof first !== 'object' || first === null) return { kind: 'other', label: 'child ?', shardIndex: null };
  if (isIndex(first['shard_index'])) return { kind: 'shard', label: `shard ${first['shard_index']}`, shardIndex: first['shard_index'] };
  const many = first['shard_indices'];
  if (Array.isArray(many) && many.length > 0 && many.every(isIndex)) {
    return { kind: 'shard', label: `shards ${rangeText(many)}`, shardIndex: Math.min(...many) };
  }
  if (typeof first['source'] === 'string') return { kind: 'partition', label: `partition ${first['source']}`, shardIndex: null };
  const sources = first['sources'];
  if (Array.isArray(sources) && sources.every((s) => typeof s === 'string')) return { kind: 'partition', label: `partition ${sources.join(',')}`, shardIndex: null };
  if (typeof first['data'] === 'string' && !('shard_count' in first)) return { kind: 'prepare', label: 'prepare', shardIndex: null };
  return { kind: 'other', label: 'child ?', shardIndex: null };
}

/** A listed run: `{ taskRun, cursor }` in SDK 1.x list responses, or a bare run in older ones. */
function unwrap(item: unknown): { run: TaskRunLike; cursor: string | undefined } | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as { taskRun?: unknown; cursor?: unknown };
  const run = (typeof o.taskRun === 'object' && o.taskRun !== null ? o.taskRun : item) as TaskRunLike;
  return { run, cursor: typeof o.cursor === 'string' ? o.cursor : undefined };
}

/**
 * The direct children of a root run, filtered here by parent (the local dev server ignores
 * `rootTaskRunId`, `limit` and `cursor`). Pages while `limit` is honoured; else one listing.
 */
export async function listChildRuns(client: TriggerClientLike, rootId: string): Promise<TaskRunLike[]> {
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
      const parent = run.parentTaskRunId || (run.rootTaskRunId === rootId ? rootId : undefined);
      if (parent !== rootId) continue;
      seen.add(run.id);
      out.push(run);
    }
    if (items.length !== PAGE || next === undefined || next === cursor) break;
    cursor = next;
  }
  return out;
}
