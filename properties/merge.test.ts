/**
 * Laws 3, 4 and 5, and the independent model: on generated datasets written as real CSV files,
 * `merge_customer_data` (in-process runtime, real tasks) loses nothing, duplicates nothing, puts
 * each customer in the shard that owns it, and produces exactly what the single-process
 * reference and an independent model produce, whatever the shard count.
 */
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { compareIds } from '../src/core/merge-rule.js';
import type { Profile } from '../src/core/profile.js';
import { SOURCE_NAMES } from '../src/core/schema.js';
import { shardOf } from '../src/core/routing.js';
import { referenceRun } from '../src/reference.js';
import { dataPathArb, datasetArb, shardCountArb } from './arbitraries.js';
import { expectationOf } from './model.js';
import { readOutputs, readProfiles, runInline, sortedLines, withTempDir, writeData } from './pipeline.js';
import { budget, pipelineRuns } from './runs.js';

const runs = budget(pipelineRuns(), 1_500);

test.prop([datasetArb(), shardCountArb(16), dataPathArb], runs.params)(
  'law 3, merge completeness: every customer of any source is in exactly one output file, once, in the shard that owns it, and every row is counted',
  (dataset, shards, dataPath) =>
    withTempDir(async (dir) => {
      const data = await writeData(dir, dataset);
      const result = await runInline(data, join(dir, 'out'), shards, { data_path: dataPath });
      const model = expectationOf(dataset);

      expect(result.shards_processed).toBe(shards);
      expect(result.output_files).toHaveLength(shards);
      const seen: string[] = [];
      for (const file of await readOutputs(result)) {
        const ids = file.lines.map((l) => (JSON.parse(l) as Profile).customer_id);
        for (const id of ids) expect(shardOf(id, shards), `${id} in ${file.file}`).toBe(file.shard);
        expect(ids, `${file.file} is sorted by customer id`).toEqual([...ids].sort(compareIds));
        seen.push(...ids);
      }
      const expectedIds = [...model.profiles.keys()].sort(compareIds);
      expect(seen.sort(compareIds), 'ids over all output files').toEqual(expectedIds);
      expect(new Set(seen).size, 'no id twice').toBe(seen.length);

      expect(result.profiles_generated).toBe(model.profiles.size);
      expect(result.records_processed).toBe(model.records);
      expect(result.rejected).toBe(0);
      expect(result.rejects_files).toEqual([]);
      expect(result.orphans).toBe(model.orphans);
      for (const s of SOURCE_NAMES) {
        expect(result.sources[s], `counts of ${s}`).toEqual({ read: model.rows[s], merged: model.rows[s], rejected: 0, duplicates: model.duplicates[s] });
      }
    }),
  runs.timeout,
);

test.prop([datasetArb(), shardCountArb(16), dataPathArb], runs.params)(
  'model: every profile holds the last row of each source it appears in, typed, and the tutorial scores, as an independent model computes them',
  (dataset, shards, dataPath) =>
    withTempDir(async (dir) => {
      const data = await writeData(dir, dataset);
      const result = await runInline(data, join(dir, 'out'), shards, { data_path: dataPath });
      const model = expectationOf(dataset);
      const profiles = await readProfiles(result);
      expect(profiles.map((p) => p.customer_id)).toEqual([...model.profiles.keys()].sort(compareIds));
      for (const p of profiles) {
        const want = model.profiles.get(p.customer_id)!;
        const { idempotency_key: key, ...rest } = p;
        expect(rest, `profile of ${JSON.stringify(p.customer_id)}`).toStrictEqual({
          customer_id: want.customer_id,
          ...want.sources,
          health_score: want.health_score,
          churn_risk: want.churn_risk,
          expansion_potential: want.expansion_potential,
        });
        expect(key.startsWith(`${p.customer_id}:`) && /^[0-9a-f]{16}$/.test(key.slice(p.customer_id.length + 1))).toBe(true);
      }
    }),
  runs.timeout,
);

/** RunInput.workers: unset (one process_shard per shard) or a count (groups of shards per process_shards). */
const workersArb = fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined });

test.prop([datasetArb(), shardCountArb(64), dataPathArb, workersArb], runs.params)(
  'law 4, sharded = single-process: the union of shard outputs equals the reference profiles record for record, and the statistics are equal, whether each shard is a task or shards are dealt to fewer workers',
  (dataset, shards, dataPath, workers) =>
    withTempDir(async (dir) => {
      const data = await writeData(dir, dataset);
      const result = await runInline(data, join(dir, 'out'), shards, { data_path: dataPath, ...(workers !== undefined ? { workers } : {}) });
      const ref = await referenceRun(data);
      const refProfiles = JSON.parse(JSON.stringify(ref.profiles)) as Profile[];
      expect(await readProfiles(result)).toStrictEqual(refProfiles);
      expect(result.statistics).toStrictEqual(ref.statistics);
      expect(result.profiles_generated).toBe(ref.profiles_generated);
      expect(result.records_processed).toBe(ref.records_processed);
      expect(result.sample_profile).toStrictEqual(refProfiles[0] ?? null);
    }),
  runs.timeout,
);

test.prop([datasetArb(), shardCountArb(64), shardCountArb(64), dataPathArb, dataPathArb], runs.params)(
  'law 5, shard-count invariance: the output lines for N and for M shards (each scanning or partitioning) are identical after sorting, and so is every aggregate',
  (dataset, n, m, pathN, pathM) =>
    withTempDir(async (dir) => {
      const data = await writeData(dir, dataset);
      const a = await runInline(data, join(dir, `out-${n}`), n, { run_id: 'run', data_path: pathN });
      const b = await runInline(data, join(dir, `out-${m}`), m, { run_id: 'run', data_path: pathM });
      expect(await sortedLines(b)).toEqual(await sortedLines(a));
      const aggregates = (r: typeof a) => ({
        profiles_generated: r.profiles_generated,
        records_processed: r.records_processed,
        sample_profile: r.sample_profile,
        statistics: r.statistics,
        sources: r.sources,
        orphans: r.orphans,
        rejected: r.rejected,
      });
      expect(aggregates(b)).toStrictEqual(aggregates(a));
    }),
  runs.timeout,
);
