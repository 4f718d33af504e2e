/**
 * `npm run bench -- --store`: the two data paths with the data in an S3-compatible bucket. Starts
 * s3rver on 127.0.0.1 (or uses the server AWS_ENDPOINT_URL names) behind a loopback proxy that
 * counts every request and its body bytes, generates the seeded dataset straight into the bucket,
 * then runs scan and partition at each shard count side by side in rounds (each case once per
 * round, the order reversed every other round; shards dealt to tasks as `npm start` does unless
 * --workers says otherwise), each run a fresh process writing to a fresh
 * prefix of the bucket (or a local folder with --store-out local). Every run's answer must equal
 * the first one's and every case's profiles must have the same digest. Prints the table and writes
 * bench/results/<name>.{json,md}.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../generators/index.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../src/core/schema.js';
import { openStore } from '../src/io/store/index.js';
import { startFaultProxy } from '../src/testing/s3-fault-proxy.js';
import { startTestS3 } from '../src/testing/s3-server.js';
import type { BenchOptions } from './args.js';
import { projectRoot } from './dataset.js';
import { machineFacts } from './machine.js';
import { checkAnswer, freshDir, runJob, sampleOf } from './measure.js';
import { checkDigest, digestFiles } from './profile-digest.js';
import type { ProfileDigest } from './profile-digest.js';
import type { Answer } from './run-once.js';
import { digestStore, emptyStore } from './store-digest.js';
import { storeMarkdown, storeTable, summarizeStore } from './store-report.js';
import type { DataPath, StoreCase, StoreSample } from './store-report.js';
import { totalPut, totalRequests, trafficOf } from './store-traffic.js';
import { jsonlFiles, workersFor } from './sweep.js';

/** The cases of round `round`: scan then partition at each shard count, reversed on odd rounds. */
export function storePlan(shards: readonly number[], round: number): { path: DataPath; shards: number }[] {
  const plan = shards.flatMap((n) => [
    { path: 'scan' as const, shards: n },
    { path: 'partition' as const, shards: n },
  ]);
  return round % 2 === 0 ? plan : plan.reverse();
}

function s3rverVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(req.resolve('s3rver/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function storeMain(argv: readonly string[], options: BenchOptions, log: (line: string) => void): Promise<number> {
  const startedAt = new Date().toISOString();
  const root = projectRoot();
  const machine = machineFacts(root);
  const command = ['npm run bench --', ...argv].join(' ').replace(/ --$/, '');
  const given = process.env['AWS_ENDPOINT_URL_S3'] || process.env['AWS_ENDPOINT_URL'] || '';
  if (given !== '' && !given.startsWith('http://')) throw new Error(`--store counts the store's traffic through a loopback HTTP proxy, so the endpoint must be http://, got ${given}`);
  log(`customer-merge store bench: ${options.customers} customers, seed ${options.seed}, shards ${options.shards.join(',')}, out in ${options.storeOut === 'bucket' ? 'the bucket' : 'a local folder'}, ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`);
  const s3 = await startTestS3();
  const proxy = await startFaultProxy(s3.endpoint);
  const scratch = join(tmpdir(), `customer-merge-store-bench-${process.pid}`);
  const server = s3.started ? `s3rver ${s3rverVersion()} on 127.0.0.1` : `the server at ${s3.endpoint}`;
  try {
    // This process (generation, digests, clean-up) talks to the server directly; the runs go through the proxy.
    Object.assign(process.env, s3.env);
    const childEnv: Record<string, string> = { ...(s3.env as Record<string, string>), AWS_ENDPOINT_URL: proxy.endpoint, AWS_ENDPOINT_URL_S3: proxy.endpoint };
    const { bucket } = s3;
    const data = `s3://${bucket}/data`;
    log(`${server}, bucket ${bucket}; generating ${options.customers} customers (seed ${options.seed}) into ${data} ...`);
    const t0 = performance.now();
    const generated = await generateDataset({ customers: options.customers, seed: options.seed, out: data, quiet: true, ...(options.duplicates > 0 ? { duplicates: options.duplicates } : {}) });
    const generateMs = performance.now() - t0;
    const dataStore = openStore(data);
    let inputBytes = 0;
    for (const s of SOURCE_NAMES) inputBytes += (await dataStore.head(SOURCE_FILES[s]))?.size ?? 0;
    await dataStore.close();
    log(`generated ${generated.totalRows} rows, ${(inputBytes / 2 ** 20).toFixed(1)} MiB in ${(generateMs / 1000).toFixed(1)} s (seed ${options.seed})`);
    await mkdir(scratch, { recursive: true });

    const cases: (StoreCase & { samples: StoreSample[] })[] = options.shards.flatMap((n) => (['scan', 'partition'] as const).map((path) => ({ path, shards: n, samples: [] })));
    const digests: Record<string, ProfileDigest> = {};
    let firstDigest: string | undefined;
    let answer: Answer | undefined;
    /** One run in a fresh process and a fresh output location: its sample (round aside) and its traffic. */
    const run = async (path: DataPath, shards: number, label: string): Promise<Omit<StoreSample, 'round'>> => {
      const key = `runs/${label}`;
      const out = options.storeOut === 'bucket' ? `s3://${bucket}/${key}` : await freshDir(join(scratch, label));
      const mark = proxy.seen.length;
      const report = await runJob({ kind: 'pipeline', data, out, shards, concurrency: options.concurrency, workers: workersFor(shards, options), dataPath: path }, childEnv);
      const traffic = trafficOf(proxy.seen.slice(mark), { bucket, data: 'data', out: key });
      const name = `${path} ${shards}`;
      if (answer === undefined) answer = report.answer;
      else checkAnswer(name, report.answer, answer);
      const outStore = options.storeOut === 'bucket' ? openStore(out) : undefined;
      try {
        if (digests[name] === undefined) {
          const d = outStore !== undefined ? await digestStore(outStore) : await digestFiles(jsonlFiles(out));
          if (d.profiles !== report.answer.profiles_generated) throw new Error(`${name} wrote ${d.profiles} profiles but reported ${report.answer.profiles_generated}`);
          if (firstDigest !== undefined) checkDigest(name, d, digests[firstDigest]!, firstDigest);
          else firstDigest = name;
          digests[name] = d;
          log(`    profiles ${d.profiles}, content digest ${d.digest}${firstDigest !== name ? ` = ${firstDigest}'s` : ''}`);
        }
      } finally {
        if (outStore !== undefined) {
          await emptyStore(outStore);
          await outStore.close();
        } else await rm(out, { recursive: true, force: true });
      }
      return { ...sampleOf(report), traffic };
    };
    const line = (what: string, { wallMs, traffic: t }: Omit<StoreSample, 'round'>): string =>
      `  ${what}: ${(wallMs / 1000).toFixed(2)} s wall, read ${(t.getBytes.input / 2 ** 20).toFixed(1)} MiB of input (${(t.getBytes.input / inputBytes).toFixed(2)}x) + ${(t.getBytes.spill / 2 ** 20).toFixed(1)} MiB of slices, wrote ${(totalPut(t) / 2 ** 20).toFixed(1)} MiB, ${totalRequests(t)} requests`;

    const first = options.shards[0] ?? 1;
    for (let i = 0; i < options.warmup; i++) {
      log(`warm-up ${i + 1}/${options.warmup}: scan and partition at ${first} shard(s) (not recorded)`);
      for (const path of ['scan', 'partition'] as const) log(line(`${path} ${first}`, await run(path, first, `warmup-${path}-${i}`)));
    }
    for (let round = 0; round < options.iterations; round++) {
      const plan = storePlan(options.shards, round);
      log(`round ${round + 1}/${options.iterations}: ${plan.map((p) => `${p.path} ${p.shards}`).join(', ')}`);
      for (const p of plan) {
        const r = await run(p.path, p.shards, `${p.path}-${p.shards}-r${round}`);
        log(line(`${p.path} ${p.shards}`, r));
        const c = cases.find((x) => x.path === p.path && x.shards === p.shards)!;
        c.samples.push({ ...r, round });
      }
    }
    if (answer === undefined) throw new Error('the store bench measured nothing');

    const summary = summarizeStore(cases, inputBytes);
    const loadEnd = machineFacts(root).loadAverage;
    const title = `${options.customers.toLocaleString('en-US')} customers (seed ${options.seed}${options.duplicates > 0 ? `, duplicates ${options.duplicates}` : ''}), ${generated.totalRows.toLocaleString('en-US')} rows, ${(inputBytes / 2 ** 20).toFixed(1)} MiB of input in ${server}; out in ${options.storeOut === 'bucket' ? 'the bucket' : 'a local folder'}; ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}`;
    const busy = `load average ${machine.loadAverage[0]} at start, ${loadEnd[0]} at end, on ${machine.availableParallelism} cores${(machine.loadAverage[0] ?? 0) > machine.availableParallelism ? ' (a busy machine: read the ratios, not the seconds)' : ''}`;
    const checked = `every run's aggregate equal; profile contents equal by digest (${digests[firstDigest!]!.digest}, ${digests[firstDigest!]!.profiles} profiles) for ${Object.keys(digests).join(', ')}`;
    const how = `shard tasks: ${options.workers === null ? `min(shards, ${options.concurrency}), as npm start` : options.workers === 'shards' ? 'one per shard, as on Render' : `at most ${options.workers}`}, ${options.concurrency} running at once; ${options.iterations} round(s), medians; bytes are HTTP body bytes through the proxy (input: the four sources; slices: the partition step's spill; written: every PUT)`;
    process.stdout.write(`${[title, busy, checked, how, '', storeTable(summary), ''].join('\n')}\n`);

    const dir = join(root, 'bench', 'results');
    await mkdir(dir, { recursive: true });
    const base = join(dir, options.name);
    const report = {
      version: 1,
      kind: 'store',
      command,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      loadAverageAtEnd: loadEnd,
      server,
      options,
      dataset: { customers: options.customers, seed: options.seed, duplicates: options.duplicates, rows: generated.totalRows, bytes: inputBytes, location: 's3://<bucket>/data', generateMs: Math.round(generateMs) },
      answer,
      digests,
      cases,
      summary,
    };
    await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(`${base}.md`, [`Command: \`${command}\``, '', title, busy, checked, how, '', storeMarkdown(summary), ''].join('\n'));
    process.stdout.write(`wrote ${base}.json and ${base}.md\n`);
    return 0;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await proxy.close();
    await s3.close();
  }
}
