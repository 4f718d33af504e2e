/**
 * Law 6: idempotency. Running the same input again gives byte-identical output files and the same
 * RunResult (timings and reuse bookkeeping aside); a shard that fails on some attempts and is
 * retried leaves no duplicate and no difference, whether it failed before doing any work or after
 * committing its output, by throwing or by its process dying; and the aggregate does not depend
 * on the order in which shards complete (fc.scheduler releases them in a random order).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { compareIds } from '../src/core/merge-rule.js';
import type { Profile } from '../src/core/profile.js';
import { InlineRuntime } from '../src/runtime/inline.js';
import { LocalRuntime } from '../src/runtime/local.js';
import { defineTask } from '../src/runtime/task.js';
import type { TaskContext, TaskDefinition } from '../src/runtime/task.js';
import { aggregate } from '../src/tasks/aggregate.js';
import type { RunResult, ShardInput, ShardResult } from '../src/tasks/contracts.js';
import { mergeCustomerData } from '../src/tasks/merge-customer-data.js';
import { processShard } from '../src/tasks/process-shard.js';
import { FLAKY_MODES } from '../src/testing/flaky-tasks.js';
import type { FlakyMode, FlakyPlan } from '../src/testing/flaky-tasks.js';
import { dataPathArb, datasetArb, shardCountArb } from './arbitraries.js';
import { QUICK_RETRY, comparable, outputBytes, readOutputs, runInline, strayOutputFiles, withTempDir, writeData } from './pipeline.js';
import { budget, pipelineRuns, slowRuns } from './runs.js';

/** Ids over all output files of a run, each once, sorted; fails on a duplicate. */
async function idsOnce(result: RunResult): Promise<string[]> {
  const ids = (await readOutputs(result)).flatMap((f) => f.lines.map((l) => (JSON.parse(l) as Profile).customer_id));
  expect(new Set(ids).size, `no customer twice in ${result.out_dir}`).toBe(ids.length);
  return ids.sort(compareIds);
}

/** Asserts that `b` wrote the same bytes under the same names as `a`, and nothing else. */
async function sameOutput(a: RunResult, b: RunResult): Promise<void> {
  const [bytesA, bytesB] = await Promise.all([outputBytes(a), outputBytes(b)]);
  expect([...bytesB.keys()]).toEqual([...bytesA.keys()]);
  for (const [file, bytes] of bytesA) expect(bytesB.get(file)?.equals(bytes), `${file} is byte-identical`).toBe(true);
  expect(await strayOutputFiles(b)).toEqual([]);
  expect(await idsOnce(b)).toEqual(await idsOnce(a));
}

const runs = budget(pipelineRuns(), 1_500);

test.prop([datasetArb(), shardCountArb(16), dataPathArb], runs.params)(
  'law 6, idempotency: running again into the same out_dir (reusing finished shards, then recomputing them) gives byte-identical files and the same RunResult',
  (dataset, shards, dataPath) =>
    withTempDir(async (dir) => {
      const data = await writeData(dir, dataset);
      const out = join(dir, 'out');
      const first = await runInline(data, out, shards, { data_path: dataPath });
      const firstBytes = await outputBytes(first);
      const again = await runInline(data, out, shards, { data_path: dataPath });
      const forced = await runInline(data, out, shards, { data_path: dataPath, resume: false });
      for (const r of [again, forced]) {
        expect(comparable(r)).toStrictEqual(comparable(first));
        const bytes = await outputBytes(r);
        expect([...bytes.keys()]).toEqual([...firstBytes.keys()]);
        for (const [file, b] of firstBytes) expect(bytes.get(file)?.equals(b), `${file} is byte-identical`).toBe(true);
        expect(await strayOutputFiles(r)).toEqual([]);
      }
    }),
  runs.timeout,
);

/** Failures planned per shard: attempts 1..failures fail, in `mode`. Indexes are taken mod N. */
const planArb = (modes: readonly FlakyMode[]) =>
  fc.array(
    fc.record({ shard: fc.nat({ max: 63 }), failures: fc.integer({ min: 1, max: QUICK_RETRY.maxRetries }), mode: fc.constantFrom(...modes) }),
    { minLength: 1, maxLength: 3 },
  );

function planFor(entries: readonly { shard: number; failures: number; mode: FlakyMode }[], shards: number): FlakyPlan {
  const plan: Record<string, { failures: number; mode: FlakyMode }> = {};
  for (const e of entries) plan[String(e.shard % shards)] = { failures: e.failures, mode: e.mode };
  return plan;
}

test.prop([datasetArb(), shardCountArb(16), planArb(['throw-before', 'throw-after']), fc.boolean(), dataPathArb, fc.scheduler()], runs.params)(
  'law 6, retry and completion order: shards failing on their first attempts and completing in a random order give the same files and RunResult as a clean run',
  (dataset, shards, entries, resume, dataPath, s) =>
    withTempDir(async (dir) => {
      const data = await writeData(dir, dataset);
      const clean = await runInline(data, join(dir, 'clean'), shards, { run_id: 'run', data_path: dataPath });

      const plan = planFor(entries, shards);
      const attempts = new Map<number, number>();
      const flaky = defineTask(processShard.options, async (ctx: TaskContext, input: ShardInput): Promise<ShardResult> => {
        const attempt = (attempts.get(input.shard_index) ?? 0) + 1;
        attempts.set(input.shard_index, attempt);
        const p = plan[String(input.shard_index)];
        const failing = p !== undefined && attempt <= p.failures;
        if (failing && p.mode === 'throw-before') throw new Error(`injected failure of shard ${input.shard_index} before work, attempt ${attempt}`);
        const result = await processShard.func(ctx, input);
        if (failing) throw new Error(`injected failure of shard ${input.shard_index} after its output was committed, attempt ${attempt}`);
        return result;
      });
      // Each shard run (with its retries) goes through the inline runtime; its completion is
      // released to the orchestrator in an order fast-check's scheduler picks.
      const inline = new InlineRuntime({ retry: QUICK_RETRY, sleep: async () => {} });
      const completed: ShardResult[] = [];
      const ctx: TaskContext = {
        run<A extends unknown[], R>(task: TaskDefinition<A, R>, ...args: A): Promise<R> {
          if (task.name !== processShard.name) return inline.run(task, ...args);
          const shard = (args[0] as ShardInput).shard_index;
          return s.schedule(inline.run(flaky as unknown as TaskDefinition<A, R>, ...args), `shard ${shard} completes`).then((r) => {
            completed.push(r as ShardResult);
            return r;
          });
        },
      };
      const result = await s.waitFor(Promise.resolve(mergeCustomerData.func(ctx, { data, out_dir: join(dir, 'flaky'), shards, run_id: 'run', resume, data_path: dataPath })));

      for (let i = 0; i < shards; i++) expect(attempts.get(i), `attempts of shard ${i}`).toBe((plan[String(i)]?.failures ?? 0) + 1);
      expect(comparable(result, { ignoreOutDir: true })).toStrictEqual(comparable(clean, { ignoreOutDir: true }));
      await sameOutput(clean, result);
      // The aggregation itself, fed in completion order and in shard order, agrees.
      const inOrder = [...completed].sort((a, b) => a.shard_index - b.shard_index);
      expect(aggregate('run', 'out', completed, 0)).toStrictEqual(aggregate('run', 'out', inOrder, 0));
    }),
  runs.timeout,
);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FLAKY_REGISTRY = join(ROOT, 'dist/src/testing/flaky-tasks.js');

/** Attempt markers per shard left by the flaky registry. */
async function attemptsPerShard(markers: string): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const name of await readdir(markers)) {
    const m = /^shard-(\d+)\.attempt-\d+$/.exec(name);
    if (m !== null) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return counts;
}

const spawning = budget(slowRuns(), 15_000);

test.prop([datasetArb({ maxRows: 6 }), fc.integer({ min: 1, max: 6 }), planArb(FLAKY_MODES), fc.boolean(), dataPathArb], spawning.params)(
  'law 6, idempotency across processes: on the embedded runtime (a process per attempt) re-runs are byte-identical, and shards that throw or whose process dies before or after committing are retried without a trace',
  (dataset, shards, entries, resume, dataPath) =>
    withTempDir(async (dir) => {
      if (!existsSync(FLAKY_REGISTRY)) throw new Error(`${FLAKY_REGISTRY} is missing: run \`npm run build\` first`);
      const data = await writeData(dir, dataset);
      const env = { LOG_LEVEL: 'silent' };
      const retry = { maxRetries: QUICK_RETRY.maxRetries, waitDurationMs: 1, backoffScaling: 1 };
      const local = new LocalRuntime({ concurrency: 2, retry, env });
      const input = { data, out_dir: join(dir, 'clean'), shards, run_id: 'run', data_path: dataPath };
      const clean = await local.run(mergeCustomerData, input);
      const cleanBytes = await outputBytes(clean);
      const again = await local.run(mergeCustomerData, { ...input, resume: false });
      expect(comparable(again)).toStrictEqual(comparable(clean));
      await sameOutput(clean, again);
      expect(await outputBytes(again)).toEqual(cleanBytes);

      const plan = planFor(entries, shards);
      const markers = join(dir, 'markers');
      await mkdir(markers);
      const flaky = new LocalRuntime({ concurrency: 2, retry, registry: FLAKY_REGISTRY, env: { ...env, FLAKY_PLAN: JSON.stringify(plan), FLAKY_DIR: markers } });
      let failedAttempts = 0;
      flaky.on((e) => {
        if (e.type === 'attempt_failed') failedAttempts++;
      });
      const healed = await flaky.run(mergeCustomerData, { ...input, out_dir: join(dir, 'flaky'), resume });
      const attempts = await attemptsPerShard(markers);
      for (let i = 0; i < shards; i++) expect(attempts.get(i), `attempts of shard ${i}`).toBe((plan[String(i)]?.failures ?? 0) + 1);
      expect(failedAttempts).toBe(Object.values(plan).reduce((n, p) => n + p.failures, 0));
      expect(comparable(healed, { ignoreOutDir: true })).toStrictEqual(comparable(clean, { ignoreOutDir: true }));
      await sameOutput(clean, healed);

      // And the in-process runtime agrees with the process-per-attempt one.
      const inline = await runInline(data, join(dir, 'inline'), shards, { run_id: 'run', data_path: dataPath });
      expect(comparable(inline, { ignoreOutDir: true })).toStrictEqual(comparable(clean, { ignoreOutDir: true }));
      await sameOutput(clean, inline);
    }),
  spawning.timeout,
);
