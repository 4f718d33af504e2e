/**
 * The deployed sweep of `npm run bench`: runs `merge_customer_data` on the deployed workflow (or,
 * with `--local`, RENDER_USE_LOCAL_DEV or RENDER_LOCAL_DEV_URL, on `render workflows dev`) for
 * each shard count, one after another, through the same trigger logic and SDK client as
 * `npm run trigger`, and records each run's wall time, each shard's elapsed time from the run
 * details and its own time inside the task. Without an API key (for Render), a workflow slug or
 * the SDK it returns `{ skipped }` with one line saying why, so the local bench runs anywhere.
 */
import { isAbsolute } from 'node:path';
import type { PollOptions } from '../src/render/wait.js';
import type { Clock, TriggerClientLike } from '../src/render/client.js';
import { SdkMissingError, loadRenderClass } from '../src/render/sdk.js';
import type { RenderClientOptions } from '../src/render/sdk.js';
import { clientOptions, renderTarget, targetProblem } from '../src/render/target.js';
import { DEFAULT_LOCAL_SLUG } from '../src/render/trigger-args.js';
import { triggerRun } from '../src/render/trigger.js';
import { isRemote } from '../src/io/source.js';
import { checkAnswer } from './measure.js';
import type { Answer } from './run-once.js';

export interface DeployedRow {
  readonly shards: number;
  /** Start to final state: the platform's startedAt → completedAt when given, else as measured here. */
  readonly wallMs: number;
  /** Start request to the poll that saw the final state, measured here. */
  readonly clientWallMs: number;
  /** Elapsed time of each shard from the run details (its process(es) start to end), in
   * shard-index order (shards whose run details gave no time are left out). */
  readonly shardElapsedMs: number[];
  /** Each shard's own time inside the task (RunResult.shards[].elapsed_ms), in shard-index order. */
  readonly shardWorkMs: number[];
  /** The prepare_run child's elapsed time from the run details, when listed. */
  readonly prepareMs: number | null;
  readonly wallSource: 'platform' | 'client';
  readonly taskRunId: string;
  readonly profiles: number;
}

export interface DeployedSweepOptions {
  readonly shardCounts: number[];
  /** Where the deployed shards read the sources: an http(s) base URL, or a path relative to the
   * service's root directory (an absolute path of this machine means nothing there). */
  readonly data: string;
  /** Workflow slug; default RENDER_WORKFLOW_SLUG (local: the service name in render.yaml). */
  readonly slug?: string;
  /** `--local`: the Render CLI's dev server (also on under RENDER_USE_LOCAL_DEV / RENDER_LOCAL_DEV_URL). */
  readonly local?: boolean;
  /** A client (tests pass a fake); default `new Render(...)` of the SDK loaded by `loadRender`. */
  readonly client?: TriggerClientLike;
  /** Loads the SDK's Render class (tests inject one); default loadRenderClass(). */
  readonly loadRender?: () => Promise<new (options?: RenderClientOptions) => TriggerClientLike>;
  /** Where shards write on their instances (default `out/bench`); each run writes under
   * `<outDir>/<N>-shards`, which must not hold an earlier run's output (it would be reused). */
  readonly outDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly poll?: PollOptions;
  readonly clock?: Clock;
  /** The answer the local cases agreed on: every deployed run must match it (else the bench fails). */
  readonly answer?: Answer;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** The rows, and whether they came from the local dev server rather than Render. */
export type DeployedSweepResult = { readonly skipped: string } | { readonly rows: DeployedRow[]; readonly local: boolean };

/** Polls every 2 s at most, so the client-side wall time is never off by more than that; a local
 * server is polled every 100-250 ms (a poll costs it nothing). */
const BENCH_POLL: PollOptions = { initialMs: 500, maxMs: 2000 };
const LOCAL_POLL: PollOptions = { initialMs: 100, maxMs: 250 };

/**
 * Triggers `merge_customer_data` on the deployed workflow (or the local dev server) once per
 * shard count, in order, and returns one row per count; or `{ skipped }` with one line when the
 * deployed path cannot run here (no RENDER_API_KEY for Render, no workflow slug, SDK not
 * installed, or, for Render, data that only exists on this machine). A failed run rejects (the
 * bench fails on errors).
 */
export async function deployedSweep(opts: DeployedSweepOptions): Promise<DeployedSweepResult> {
  const env = opts.env ?? process.env;
  const target = renderTarget(opts.local ?? false, env);
  const slug = opts.slug ?? (env['RENDER_WORKFLOW_SLUG'] || undefined) ?? (target.local ? DEFAULT_LOCAL_SLUG : undefined);
  if (opts.shardCounts.length === 0) return { skipped: 'deployed sweep skipped: no shard counts' };
  let client = opts.client;
  if (client === undefined) {
    const problem = targetProblem(target);
    if (problem !== undefined) return { skipped: `deployed sweep skipped: ${problem}` };
    if (slug === undefined) return { skipped: 'deployed sweep skipped: RENDER_WORKFLOW_SLUG is not set' };
    try {
      const Render = await (opts.loadRender ?? (() => loadRenderClass<TriggerClientLike>()))();
      client = new Render(clientOptions(target));
    } catch (err) {
      if (err instanceof SdkMissingError) return { skipped: `deployed sweep skipped: ${err.message}` };
      throw err;
    }
  }
  if (slug === undefined) return { skipped: 'deployed sweep skipped: RENDER_WORKFLOW_SLUG is not set' };
  if (!target.local && !isRemote(opts.data) && isAbsolute(opts.data)) {
    return { skipped: `deployed sweep skipped: data ${opts.data} is a path on this machine; deployed shards need an http(s) URL or a path inside the service's root directory` };
  }
  const where = target.local ? 'local dev server' : 'Render';
  const rows: DeployedRow[] = [];
  for (const shards of opts.shardCounts) {
    opts.log?.(`deployed (${where}): ${shards} shard(s)…`);
    const out = await triggerRun(client, {
      slug,
      input: { data: opts.data, out_dir: `${opts.outDir ?? 'out/bench'}/${shards}-shards`, shards },
      poll: { ...(target.local ? LOCAL_POLL : BENCH_POLL), ...opts.poll },
      ...(opts.clock !== undefined ? { clock: opts.clock } : {}),
    });
    const reused = out.result.reused_shards ?? [];
    if (reused.length > 0) {
      throw new Error(`deployed run ${out.taskRunId} (${shards} shards) reused the finished output of shard(s) ${reused.join(',')} instead of measuring them; its out_dir held an earlier run's output`);
    }
    const st = out.result.statistics;
    if (opts.answer !== undefined) {
      // JSON through the platform may reorder keys (the dev server sorts them): compare in LOW, MEDIUM, HIGH order.
      const levels = (d: Answer['churn_distribution']): Answer['churn_distribution'] => ({ LOW: d.LOW, MEDIUM: d.MEDIUM, HIGH: d.HIGH });
      const got = { profiles_generated: out.result.profiles_generated, records_processed: out.result.records_processed, health_score_sum: st.health_score_sum, churn_distribution: levels(st.churn_distribution), expansion_distribution: levels(st.expansion_distribution) };
      checkAnswer(`deployed run ${out.taskRunId} (${shards} shards)`, got as Answer, opts.answer);
    }
    // out.shards lists prepare and partition runs first, then shards by index.
    const shardElapsedMs = out.shards.flatMap((s) => (s.kind !== 'shard' || s.source !== 'run-details' || s.elapsedMs === null ? [] : [s.elapsedMs]));
    const prepare = out.shards.find((s) => s.kind === 'prepare');
    rows.push({
      shards,
      wallMs: out.wallMs,
      clientWallMs: out.clientWallMs,
      shardElapsedMs,
      shardWorkMs: [...out.result.shards].sort((a, b) => a.shard_index - b.shard_index).map((s) => s.elapsed_ms),
      prepareMs: prepare?.elapsedMs ?? null,
      wallSource: out.wallSource,
      taskRunId: out.taskRunId,
      profiles: out.result.profiles_generated,
    });
    opts.log?.(`deployed (${where}): ${shards} shard(s) in ${(out.clientWallMs / 1000).toFixed(2)} s (run ${out.taskRunId})`);
  }
  return { rows, local: target.local };
}
