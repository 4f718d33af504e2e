/**
 * Running the real pipeline from property suites: temp folders, `merge_customer_data` on the
 * in-process runtime, and reading back what a run wrote (the output files named by its
 * RunResult, under its out_dir).
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Profile } from '../src/core/profile.js';
import { InlineRuntime } from '../src/runtime/inline.js';
import type { RetryOptions } from '../src/runtime/task.js';
import type { RunInput, RunResult } from '../src/tasks/contracts.js';
import { mergeCustomerData } from '../src/tasks/merge-customer-data.js';
import type { Dataset } from './arbitraries.js';
import { writeDataset } from './write-csv.js';

/** Runs `fn` with a fresh temp folder and removes it afterwards, whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cm-props-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `dataset` under `dir/data` and returns that folder. */
export async function writeData(dir: string, dataset: Dataset): Promise<string> {
  const data = join(dir, 'data');
  await mkdir(data, { recursive: true });
  await writeDataset(data, dataset);
  return data;
}

// Task logs are noise in property runs; `LOG_LEVEL=info npx vitest run properties/…` shows them.
process.env['LOG_LEVEL'] ??= 'silent';

/** Retries without waiting, so that fault-injection properties stay fast. */
export const QUICK_RETRY: RetryOptions = { maxRetries: 3, waitDurationMs: 0, backoffScaling: 1 };

/** `merge_customer_data` on the in-process runtime (real tasks, JSON boundaries, retries). */
export function runInline(data: string, outDir: string, shards: number, extra: Partial<RunInput> = {}): Promise<RunResult> {
  const runtime = new InlineRuntime({ retry: QUICK_RETRY, sleep: async () => {} });
  return runtime.run(mergeCustomerData, { data, out_dir: outDir, shards, ...extra });
}

/** One output file of a run as read back from disk. */
export interface OutputFile {
  /** Path relative to the run's out_dir. */
  readonly file: string;
  /** The shard that reported the file. */
  readonly shard: number;
  readonly bytes: Buffer;
  /** Its JSON lines (without line ends). */
  readonly lines: readonly string[];
}

/** Reads every profile file a run reports, in the order reported. */
export async function readOutputs(result: RunResult): Promise<OutputFile[]> {
  return Promise.all(
    result.output_files.map(async (file, i) => {
      const bytes = await readFile(join(result.out_dir, file));
      const text = bytes.toString('utf8');
      const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      // aggregate() lists output files in shard order, the same order as `shards`.
      return { file, shard: result.shards[i]?.shard_index ?? -1, bytes, lines };
    }),
  );
}

/** All profiles of a run's output files, sorted by customer id. */
export async function readProfiles(result: RunResult): Promise<Profile[]> {
  const files = await readOutputs(result);
  return files
    .flatMap((f) => f.lines.map((l) => JSON.parse(l) as Profile))
    .sort((a, b) => (a.customer_id < b.customer_id ? -1 : a.customer_id > b.customer_id ? 1 : 0));
}

/** All JSON lines of a run's output files, sorted as strings: equal iff outputs equal as bytes. */
export async function sortedLines(result: RunResult): Promise<string[]> {
  return (await readOutputs(result)).flatMap((f) => f.lines).sort();
}

/**
 * Files in the folders of a run's output files that the run did not report (temp files left
 * behind, a duplicate output, a file of another shard count): what a clean run must not leave.
 */
export async function strayOutputFiles(result: RunResult): Promise<string[]> {
  const reported = new Set(result.output_files.map((f) => join(result.out_dir, f)));
  const dirs = new Set([...reported].map((f) => dirname(f)));
  const stray: string[] = [];
  for (const d of dirs) for (const name of await readdir(d)) if (!reported.has(join(d, name))) stray.push(join(d, name));
  return stray;
}

/**
 * A RunResult without what may differ between two runs of the same input: timings, which shards
 * a run reused from an earlier one, and (for runs into different folders) the folder itself.
 */
export function comparable(result: RunResult, options: { readonly ignoreOutDir?: boolean } = {}): Record<string, unknown> {
  const { elapsed_ms: _elapsed, reused_shards: _reused, shards, out_dir, ...rest } = result;
  return {
    ...rest,
    ...(options.ignoreOutDir === true ? {} : { out_dir }),
    shards: shards.map(({ elapsed_ms: _ms, ...s }) => s),
  };
}

/** The output files of a run as relative path → content, for byte-for-byte comparison. */
export async function outputBytes(result: RunResult): Promise<Map<string, Buffer>> {
  return new Map((await readOutputs(result)).map((f) => [f.file, f.bytes]));
}
