import { execFileSync } from 'node:child_process';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shardOf } from '../core/routing.js';
import type { Profile } from '../core/profile.js';
import { referenceRun } from '../reference.js';
import { InlineRuntime } from '../runtime/inline.js';
import { LocalRuntime } from '../runtime/local.js';
import type { RunResult } from './contracts.js';
import { mergeCustomerData } from './merge-customer-data.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = join(root, 'src/testdata/tutorial-2000');
const expected = JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')) as {
  profiles_generated: number;
  records_processed: number;
  health_sum: number;
  avg_health_score: number;
  churn_distribution: Record<string, number>;
  expansion_distribution: Record<string, number>;
  shard_sizes: number[];
};

async function readProfiles(result: RunResult): Promise<Profile[]> {
  const out: Profile[] = [];
  for (const f of result.output_files) {
    const text = await readFile(join(result.out_dir, f), 'utf8');
    for (const line of text.split('\n')) if (line !== '') out.push(JSON.parse(line) as Profile);
  }
  return out;
}

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), 'cm-pipeline-'));

describe('merge_customer_data on the independent fixture (2,000 customers)', () => {
  it('reproduces every figure of expected.json with 10 shards', async () => {
    const rt = new InlineRuntime();
    const r = await rt.run(mergeCustomerData, { data: fixture, out_dir: await tmp(), shards: 10 });
    expect(r.profiles_generated).toBe(expected.profiles_generated);
    expect(r.records_processed).toBe(expected.records_processed);
    expect(r.statistics.health_score_sum).toBe(expected.health_sum);
    expect(r.statistics.avg_health_score).toBe(expected.avg_health_score);
    expect(r.statistics.churn_distribution).toEqual(expected.churn_distribution);
    expect(r.statistics.expansion_distribution).toEqual(expected.expansion_distribution);
    expect(r.shards.map((s) => s.profiles)).toEqual(expected.shard_sizes);
  });

  it.each([1, 3, 7])('equals the single-process reference with %i shards on the local runtime', async (shards) => {
    const rt = new LocalRuntime({ concurrency: 2 });
    const r = await rt.run(mergeCustomerData, { data: fixture, out_dir: await tmp(), shards });
    const ref = await referenceRun(fixture);
    const profiles = await readProfiles(r);
    profiles.sort((a, b) => (a.customer_id < b.customer_id ? -1 : 1));
    expect(profiles).toEqual(ref.profiles);
    expect(r.statistics).toEqual(ref.statistics);
    for (const [i, f] of r.output_files.entries()) {
      const ids = (await readFile(join(r.out_dir, f), 'utf8')).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Profile).customer_id);
      expect(ids.every((id) => shardOf(id, shards) === i)).toBe(true);
      expect([...ids].sort()).toEqual(ids);
    }
  });

  it('writes byte-identical output files when run again', async () => {
    const rt = new InlineRuntime();
    const out = await tmp();
    const a = await rt.run(mergeCustomerData, { data: fixture, out_dir: out, shards: 4 });
    const before = await Promise.all(a.output_files.map((f) => readFile(join(out, f))));
    const b = await rt.run(mergeCustomerData, { data: fixture, out_dir: out, shards: 4 });
    const after = await Promise.all(b.output_files.map((f) => readFile(join(out, f))));
    expect(after).toEqual(before);
    expect(b.shards.map((s) => s.checksum)).toEqual(a.shards.map((s) => s.checksum));
  });
});

describe('npm start (the CLI)', () => {
  it.each([
    ['the fixture', fixture, 2000],
    ['the bundled sample in data/', join(root, 'data'), 1000],
  ])('prints only the RunResult on stdout with --json --shards 7, matching the reference, on %s', async (_name, data, customers) => {
    const out = await tmp();
    const stdout = execFileSync(process.execPath, ['dist/src/cli.js', '--json', '--shards', '7', '--data', data, '--out', out], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = JSON.parse(stdout) as RunResult;
    const ref = await referenceRun(data);
    expect(r.profiles_generated).toBe(customers);
    expect(r.shards_processed).toBe(7);
    expect(r.statistics).toEqual(ref.statistics);
  });

  it('exits 1 with a one-line reason for an out-of-range option', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['dist/src/cli.js', '--shards', '0'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = (err as { stderr: string }).stderr;
    }
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual(['customer-merge: --shards must be a whole number from 1 to 1024, got "0"']);
  });
});
