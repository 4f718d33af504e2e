/**
 * The chaos drill: a baseline, then each fault scenario in its own folder, checked against disk:
 * every customer exactly once, outputs byte-identical to the baseline's, equal RunResults, no temp
 * file left, every injected fault healed by a retry, and clean, well-formed logs.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { configureLogging } from '../log/logger.js';
import { LocalRuntime } from '../runtime/local.js';
import type { RuntimeEvent } from '../runtime/events.js';
import type { RetryOptions } from '../runtime/task.js';
import type { RunResult } from '../tasks/contracts.js';
import { mergeCustomerData } from '../tasks/merge-customer-data.js';
import { findReusableShard } from '../tasks/shard/resume.js';
import { runAndKill } from './kill.js';
import { NO_CHAOS_ENV, scenarioSpec, showsFault } from './scenarios.js';
import type { ScenarioName, ScenarioSpec } from './scenarios.js';
import { describeStory, healed, parsed, shardStories } from './stories.js';
import type { ShardStory, WorkerLine } from './stories.js';
import { checkExactlyOnce, comparableResult, leftoverTemps, onceHolds, outputCensus, outputTree, readInputFacts, treeDifferences } from './verify.js';
import type { InputFacts } from './verify.js';

export interface DrillOptions {
  readonly data: string;
  /** Folder holding one sub-folder per scenario. */
  readonly root: string;
  readonly shards: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly failRate: number;
  /** Shard hit by the targeted faults (fail, crash, hang). */
  readonly target: number;
  /** process_shard's timeout in the hang scenario, in seconds. */
  readonly hangTimeoutSeconds: number;
  /** The retry policy the drill's runs use instead of the task's (shorter waits). */
  readonly retry: RetryOptions;
  readonly scenarios: readonly ScenarioName[];
  /** Called as each scenario starts, for a running commentary. */
  readonly onProgress?: (text: string) => void;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ScenarioReport {
  readonly name: ScenarioName | 'baseline';
  readonly title: string;
  /** The CHAOS_* variables that were set (non-empty ones). */
  readonly env: Readonly<Record<string, string>>;
  readonly ok: boolean;
  readonly elapsedMs: number;
  readonly checks: readonly Check[];
  /** Stories of shards that had a failed attempt. */
  readonly stories: readonly ShardStory[];
  readonly healedRetries: number;
  readonly notes: readonly string[];
}

export interface DrillReport {
  readonly options: Omit<DrillOptions, 'onProgress'>;
  readonly customers: number;
  readonly baseline: ScenarioReport;
  readonly scenarios: readonly ScenarioReport[];
  readonly ok: boolean;
  readonly healedRetries: number;
}

/** One pipeline run on the embedded runtime, with everything observed along the way. */
interface Observed {
  readonly result?: RunResult;
  readonly error?: string;
  readonly events: readonly RuntimeEvent[];
  readonly lines: readonly WorkerLine[];
  readonly rootLines: readonly string[];
  readonly elapsedMs: number;
}

async function observeRun(o: DrillOptions, outDir: string, env: Readonly<Record<string, string>>, shardTimeout?: number): Promise<Observed> {
  const events: RuntimeEvent[] = [];
  const lines: WorkerLine[] = [];
  const rootLines: string[] = [];
  configureLogging({ level: 'info', format: 'json', write: (l) => void rootLines.push(l.trimEnd()) });
  const rt = new LocalRuntime({
    concurrency: o.concurrency,
    retry: o.retry,
    env: { ...env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    ...(shardTimeout !== undefined ? { taskTimeoutSeconds: { process_shard: shardTimeout } } : {}),
    onWorkerStderr: (line, from) => lines.push({ runId: from.runId, attempt: from.attempt, line }),
  });
  rt.on((e) => events.push(e));
  const t0 = performance.now();
  try {
    const result = await rt.run(mergeCustomerData, { data: o.data, out_dir: outDir, shards: o.shards });
    return { result, events, lines, rootLines, elapsedMs: Math.round(performance.now() - t0) };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const error = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
    return { error, events, lines, rootLines, elapsedMs: Math.round(performance.now() - t0) };
  } finally {
    configureLogging({});
  }
}

const LINE_FIELDS = ['level', 'time', 'event', 'run_id', 'task'] as const;

/** Log lines: each one JSON with the required fields, shard lines naming their shard, no personal data. */
function checkLogs(obs: Observed, input: InputFacts): Check {
  const all = [...obs.lines.map((l) => l.line), ...obs.rootLines];
  const malformed = all.filter((line) => {
    const o = parsed(line);
    if (o === undefined || LINE_FIELDS.some((f) => o[f] === undefined)) return true;
    return o['task'] === 'process_shard' && typeof o['shard'] !== 'number';
  });
  const leaks = all.filter((line) => input.personal.some((p) => line.includes(p)));
  const completed = new Set(
    obs.lines.map((l) => parsed(l.line)).filter((o) => o?.['event'] === 'shard_completed' || o?.['event'] === 'shard_reused').map((o) => o?.['shard']),
  );
  const ok = all.length > 0 && malformed.length === 0 && leaks.length === 0 && (obs.result === undefined || completed.size === obs.result.shards_processed);
  return {
    name: 'structured logs',
    ok,
    detail: `${all.length} JSON lines; ${malformed.length} malformed; ${leaks.length} with personal data; ${completed.size} shard(s) logged completion`,
  };
}

async function evaluate(
  o: DrillOptions,
  spec: { name: ScenarioName | 'baseline'; title: string; env: Readonly<Record<string, string>>; expected: ScenarioSpec['expected'] },
  obs: Observed,
  input: InputFacts,
  baseline: { tree: Map<string, string>; result: RunResult } | undefined,
  extra: readonly Check[] = [],
): Promise<ScenarioReport> {
  const checks: Check[] = [];
  const notes: string[] = [];
  checks.push({ name: 'run completed', ok: obs.result !== undefined, detail: obs.result !== undefined ? `in ${(obs.elapsedMs / 1000).toFixed(1)} s` : `failed: ${obs.error ?? '?'}` });
  const stories = shardStories(obs.events, obs.lines);
  const failedStories = stories.filter((s) => s.attempts.some((a) => !a.ok));
  if (obs.result !== undefined) {
    const r = obs.result;
    const once = checkExactlyOnce(input.customers, await outputCensus(r));
    checks.push({
      name: 'every customer exactly once',
      ok: onceHolds(once),
      detail: `${once.customers} input customers; missing ${once.missing}, duplicated ${once.duplicated}, unexpected ${once.unexpected}`,
    });
    const tree = await outputTree(r.out_dir);
    if (baseline !== undefined) {
      const diffs = treeDifferences(baseline.tree, tree);
      checks.push({ name: 'output byte-identical to the fault-free run', ok: diffs.length === 0, detail: diffs.length === 0 ? `${tree.size} files, same sha256` : diffs.slice(0, 5).join('; ') });
      const same = isDeepStrictEqual(comparableResult(r), comparableResult(baseline.result));
      checks.push({ name: 'same RunResult (timings aside)', ok: same, detail: same ? `${r.profiles_generated} profiles, avg health ${r.statistics.avg_health_score}` : 'differs from the baseline' });
    }
    const temps = await leftoverTemps(r.out_dir);
    checks.push({ name: 'no temporary files left', ok: temps.length === 0, detail: temps.length === 0 ? 'none' : temps.slice(0, 3).join(', ') });
    checks.push({
      name: 'duplicates dropped',
      ok: (r.duplicates_dropped ?? 0) === 0,
      detail: `${r.duplicates_dropped ?? 0} (one record per idempotency_key)`,
    });
  }
  const unseen = spec.expected.filter(
    (x) => !stories.some((s) => s.shard === x.shard && s.attempts.some((a) => !a.ok && a.attempt === x.attempt && showsFault(x.kind, a.error ?? ''))),
  );
  if (spec.expected.length > 0) {
    checks.push({
      name: 'every injected fault failed its attempt',
      ok: unseen.length === 0,
      detail: unseen.length === 0 ? `${spec.expected.length} of ${spec.expected.length} seen` : `not seen: ${unseen.map((x) => `shard ${x.shard} attempt ${x.attempt} (${x.kind})`).join(', ')}`,
    });
    const healedShards = new Set(failedStories.filter(healed).map((s) => s.shard));
    const faulted = new Set(spec.expected.map((x) => x.shard));
    const unhealed = [...faulted].filter((s) => !healedShards.has(s));
    checks.push({ name: 'each faulted shard healed by a retry', ok: unhealed.length === 0, detail: unhealed.length === 0 ? `${faulted.size} shard(s) healed` : `not healed: ${unhealed.join(', ')}` });
  }
  const expectedFailures = new Set(spec.expected.map((x) => `${x.shard}/${x.attempt}`));
  for (const s of failedStories) {
    for (const a of s.attempts) {
      if (!a.ok && !expectedFailures.has(`${s.shard}/${a.attempt}`)) notes.push(`unplanned failure, healed by retry: shard ${s.shard} attempt ${a.attempt} (${a.error ?? '?'})`);
    }
  }
  checks.push(checkLogs(obs, input), ...extra);
  const env = Object.fromEntries(Object.entries(spec.env).filter(([, v]) => v !== ''));
  return {
    name: spec.name,
    title: spec.title,
    env,
    ok: checks.every((c) => c.ok),
    elapsedMs: obs.elapsedMs,
    checks,
    stories: failedStories,
    healedRetries: failedStories.filter(healed).length,
    notes,
  };
}

/** A seeded number in [0, 1) for the drill's own choices (where to kill). */
function unit(seed: number, salt: string): number {
  let h = 2166136261 ^ seed;
  for (const ch of salt) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

async function killResume(o: DrillOptions, input: InputFacts, baseline: { tree: Map<string, string>; result: RunResult }): Promise<ScenarioReport> {
  const spec = scenarioSpec('kill-resume', scenarioParams(o));
  const notes: string[] = [];
  // Kill once a seeded number of shards (at most half) have committed plus a seeded delay; if that
  // lands after the run finished, retry in a fresh folder with a plain delay of half its length.
  let target = o.shards >= 2 ? 1 + Math.floor(unit(o.seed, 'kill-after') * Math.floor(o.shards / 2)) : 0;
  let delay = Math.floor(unit(o.seed, 'kill-delay') * 150);
  let out = '';
  let kill: Awaited<ReturnType<typeof runAndKill>> | undefined;
  let reusable: number[] = [];
  for (let tryNo = 1; tryNo <= 2; tryNo++) {
    out = join(o.root, tryNo === 1 ? spec.name : `${spec.name}-2`);
    kill = await runAndKill({ data: o.data, outDir: out, shards: o.shards, concurrency: o.concurrency, afterManifests: target, extraDelayMs: delay, env: { ...NO_CHAOS_ENV, LOG_LEVEL: 'silent' } });
    reusable = [];
    for (let i = 0; i < o.shards; i++) {
      const found = await findReusableShard({ run_id: 'drill', shard_index: i, shard_count: o.shards, data: o.data, out_dir: out, input_digest: baseline.result.input_digest! });
      if ('result' in found) reusable.push(i);
    }
    if (kill.killed && reusable.length < o.shards) break;
    notes.push(`kill after ${target} manifest(s) + ${delay} ms came too late (${reusable.length} of ${o.shards} shards done); retried with a kill at half the run's length`);
    target = 0;
    delay = Math.floor(kill.elapsedMs / 2);
  }
  const k = kill!;
  const tempsAtKill = (await leftoverTemps(out)).length;
  const obs = await observeRun(o, out, NO_CHAOS_ENV);
  const reused = obs.result?.reused_shards ?? [];
  const extra: Check[] = [
    {
      name: 'killed midway',
      ok: k.killed && reusable.length < o.shards,
      detail: k.killed
        ? `SIGKILL to the CLI's process group at ${(k.elapsedMs / 1000).toFixed(1)} s (target: ${target} manifest(s) + ${delay} ms); ${reusable.length} of ${o.shards} shards complete, ${tempsAtKill} temporary file(s) left`
        : `the run finished (exit ${k.exitCode}) before the kill: ${k.stderr.split('\n')[0] ?? ''}`,
    },
    {
      name: 'resume reused exactly the finished shards',
      ok: isDeepStrictEqual(reused, reusable),
      detail: `reused [${reused.join(', ')}], recomputed ${o.shards - reused.length}; complete at kill: [${reusable.join(', ')}]`,
    },
  ];
  const report = await evaluate(o, spec, obs, input, baseline, extra);
  return { ...report, notes: [...notes, ...report.notes] };
}

function scenarioParams(o: DrillOptions): Parameters<typeof scenarioSpec>[1] {
  return { shards: o.shards, target: o.target, failRate: o.failRate, seed: o.seed, maxAttempts: o.retry.maxRetries + 1 };
}

/** Runs the drill; never throws for a failed check (the report says), only for a broken setup. */
export async function runDrill(o: DrillOptions): Promise<DrillReport> {
  const say = o.onProgress ?? ((): void => {});
  const input = await readInputFacts(o.data);
  say(`baseline: no faults`);
  const baseObs = await observeRun(o, join(o.root, 'baseline'), NO_CHAOS_ENV);
  const base = await evaluate(o, { name: 'baseline', title: 'no faults', env: {}, expected: [] }, baseObs, input, undefined);
  if (baseObs.result === undefined) {
    return { options: strip(o), customers: input.customers.size, baseline: base, scenarios: [], ok: false, healedRetries: 0 };
  }
  const baseline = { tree: await outputTree(baseObs.result.out_dir), result: baseObs.result };
  const scenarios: ScenarioReport[] = [];
  for (const name of o.scenarios) {
    const spec = scenarioSpec(name, scenarioParams(o));
    say(`${name}: ${spec.title}`);
    if (spec.invalid !== undefined) {
      scenarios.push({ name, title: spec.title, env: {}, ok: false, elapsedMs: 0, checks: [{ name: 'scenario is winnable', ok: false, detail: spec.invalid }], stories: [], healedRetries: 0, notes: [] });
      continue;
    }
    if (name === 'kill-resume') {
      scenarios.push(await killResume(o, input, baseline));
      continue;
    }
    const obs = await observeRun(o, join(o.root, name), spec.env, name === 'hang' ? o.hangTimeoutSeconds : undefined);
    scenarios.push(await evaluate(o, spec, obs, input, baseline));
  }
  const all = [base, ...scenarios];
  return {
    options: strip(o),
    customers: input.customers.size,
    baseline: base,
    scenarios,
    ok: all.every((s) => s.ok),
    healedRetries: all.reduce((n, s) => n + s.healedRetries, 0),
  };
}

function strip(o: DrillOptions): Omit<DrillOptions, 'onProgress'> {
  const { onProgress: _p, ...rest } = o;
  return rest;
}
