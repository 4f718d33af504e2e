/**
 * The independent oracle: on a generated dataset of 50,000 customers with gaps, duplicate rows and
 * orphans, the sharded pipeline (embedded runtime, a process per shard) reports exactly the
 * aggregate that the same merge and enrichment written as DuckDB SQL computes (bench/duckdb.ts,
 * which shares no code with src/core). The dataset is generated once and cached in the system
 * temp folder, keyed by its spec, so later runs only read it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { duckdbMerge } from '../bench/duckdb.js';
import { generateDataset } from '../generators/index.js';
import { LocalRuntime } from '../src/runtime/local.js';
import { mergeCustomerData } from '../src/tasks/merge-customer-data.js';

/** What decides the dataset's bytes; the cache folder is named after it. */
const SPEC = { customers: 50_000, seed: 20_251_129, coverage: 0.9, duplicates: 0.3, orphans: 0.02 } as const;
const SHARDS = 8;

/** The cached dataset folder, generated first when missing (a marker makes a half-written one count as missing). */
async function oracleDataset(): Promise<string> {
  const key = `${SPEC.customers}-${SPEC.seed}-c${SPEC.coverage}-d${SPEC.duplicates}-o${SPEC.orphans}`;
  const dir = join(tmpdir(), 'customer-merge-oracle', key);
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) return dir;
  await rm(dir, { recursive: true, force: true });
  const report = await generateDataset({ ...SPEC, out: dir, quiet: true });
  await writeFile(marker, JSON.stringify({ spec: SPEC, rows: report.totalRows }));
  return dir;
}

test(
  `oracle: on ${SPEC.customers} generated customers (seed ${SPEC.seed}, coverage ${SPEC.coverage}, duplicates ${SPEC.duplicates}, orphans ${SPEC.orphans}) the pipeline over ${SHARDS} shards reports exactly what DuckDB SQL computes`,
  async () => {
    const data = await oracleDataset();
    const out = await mkdtemp(join(tmpdir(), 'cm-props-oracle-'));
    try {
      const runtime = new LocalRuntime({ concurrency: 2, env: { LOG_LEVEL: 'silent' } });
      const [result, sql] = await Promise.all([
        runtime.run(mergeCustomerData, { data, out_dir: out, shards: SHARDS }),
        duckdbMerge(data, { threads: 1 }),
      ]);
      expect(result.profiles_generated).toBeGreaterThanOrEqual(SPEC.customers);
      expect({
        profiles_generated: result.profiles_generated,
        records_processed: result.records_processed,
        health_score_sum: result.statistics.health_score_sum,
        avg_health_score: result.statistics.avg_health_score,
        churn_distribution: result.statistics.churn_distribution,
        expansion_distribution: result.statistics.expansion_distribution,
      }).toStrictEqual(sql);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  },
  180_000,
);
