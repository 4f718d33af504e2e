/**
 * The deployed sweep of `npm run bench`: runs `merge_customer_data` on the deployed workflow for
 * each shard count, one after another, through the same trigger logic as `npm run trigger`, and
 * records each run's wall time (start to final state) and each shard's elapsed time from the run
 * details. Without RENDER_API_KEY, a workflow slug or the SDK it returns `{ skipped }` with one
 * line saying why, so the local bench runs anywhere.
 */
import { isAbsolute } from 'node:path';
import type { PollOptions } from '../src/render/wait.js';
import type { Clock, TriggerClientLike } from '../src/render/client.js';
import { SdkMissingError, loadRenderClass } from '../src/render/sdk.js';
import { triggerRun } from '../src/render/trigger.js';
import { isUrl } from '../src/io/source.js';

export interface DeployedRow {
  readonly shards: number;
  /** Start to final state: the platform's startedAt → completedAt when given, else as measured here. */
  readonly wallMs: number;
  /** Elapsed time of each shard, in shard-index order (shards whose run details gave no time are left out). */
  readonly shardElapsedMs: number[];
  readonly wallSource: 'platform' | 'client';
  readonly taskRunId: string;
  readonly profiles: number;
}

export interface DeployedSweepOptions {
  readonly shardCounts: number[];
  /** Where the deployed shards read the sources: an http(s) base URL, or a path relative to the
   * service's root directory (an absolute path of this machine means nothing there). */
  readonly data: string;
  /** Workflow slug; default RENDER_WORKFLOW_SLUG. */
  readonly slug?: string;
  /** A client (tests pass a fake); default `new Render()` of the SDK. */
  readonly client?: TriggerClientLike;
  /** Where shards write on their instances (default `out/bench`). */
  readonly outDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly poll?: PollOptions;
  readonly clock?: Clock;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

export type DeployedSweepResult = { readonly skipped: string } | { readonly rows: DeployedRow[] };

/** Polls every 2 s at most, so the client-side wall time is never off by more than that. */
const BENCH_POLL: PollOptions = { initialMs: 500, maxMs: 2000 };

/**
 * Triggers `merge_customer_data` on the deployed workflow once per shard count, in order, and
 * returns one row per count; or `{ skipped }` with one line when the deployed path cannot run
 * here (no RENDER_API_KEY, no workflow slug, SDK not installed, or data that only exists on this
 * machine). A failed run rejects (the bench fails on errors).
 */
export async function deployedSweep(opts: DeployedSweepOptions): Promise<DeployedSweepResult> {
  const env = opts.env ?? process.env;
  const slug = opts.slug ?? (env['RENDER_WORKFLOW_SLUG'] || undefined);
  if (opts.shardCounts.length === 0) return { skipped: 'deployed sweep skipped: no shard counts' };
  let client = opts.client;
  if (client === undefined) {
    if (!env['RENDER_API_KEY']) return { skipped: 'deployed sweep skipped: RENDER_API_KEY is not set' };
    if (slug === undefined) return { skipped: 'deployed sweep skipped: RENDER_WORKFLOW_SLUG is not set' };
    try {
      const Render = await loadRenderClass<TriggerClientLike>();
      client = new Render({ token: env['RENDER_API_KEY'] });
    } catch (err) {
      if (err instanceof SdkMissingError) return { skipped: `deployed sweep skipped: ${err.message}` };
      throw err;
    }
  }
  if (slug === undefined) return { skipped: 'deployed sweep skipped: RENDER_WORKFLOW_SLUG is not set' };
  if (!isUrl(opts.data) && isAbsolute(opts.data)) {
    return { skipped: `deployed sweep skipped: data ${opts.data} is a path on this machine; deployed shards need an http(s) URL or a path inside the service's root directory` };
  }
  const rows: DeployedRow[] = [];
  for (const shards of opts.shardCounts) {
    opts.log?.(`deployed: ${shards} shard(s)…`);
    const out = await triggerRun(client, {
      slug,
      input: { data: opts.data, out_dir: opts.outDir ?? 'out/bench', shards },
      poll: { ...BENCH_POLL, ...opts.poll },
      ...(opts.clock !== undefined ? { clock: opts.clock } : {}),
    });
    // out.shards lists prepare and partition runs first, then shards by index.
    const shardElapsedMs = out.shards.flatMap((s) => (s.kind !== 'shard' || s.elapsedMs === null ? [] : [s.elapsedMs]));
    rows.push({ shards, wallMs: out.wallMs, shardElapsedMs, wallSource: out.wallSource, taskRunId: out.taskRunId, profiles: out.result.profiles_generated });
    opts.log?.(`deployed: ${shards} shard(s) in ${(out.wallMs / 1000).toFixed(2)} s (run ${out.taskRunId})`);
  }
  return { rows };
}
