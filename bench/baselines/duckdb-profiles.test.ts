import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../generators/index.js';
import { checkAnswer, freshDir, runJob } from '../measure.js';
import { checkDigest, digestFiles } from '../profile-digest.js';
import { DEFAULT_DUCKDB_MEMORY, duckdbMemoryLimit, duckdbProfiles } from './duckdb-profiles.js';

/** Every .jsonl file under `dir`, recursively. */
function jsonlUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
    .map((e) => join(e.parentPath, e.name));
}

const SPEC = { customers: 3000, seed: 4242, coverage: 0.9, duplicates: 0.3, orphans: 0.02 } as const;

describe(`DuckDB writing the pipeline's profiles (generated: ${SPEC.customers} customers, seed ${SPEC.seed}, duplicates ${SPEC.duplicates}, orphans ${SPEC.orphans})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-duck-profiles-'));
  const data = join(scratch, 'data');
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  beforeAll(async () => {
    await generateDataset({ ...SPEC, out: data, quiet: true });
  }, 60_000);

  it('writes profiles whose content digest equals the pipeline\'s at 1 and 4 shards, with the same aggregate', async () => {
    const duckOut = await freshDir(join(scratch, 'duck'));
    const duck = await duckdbProfiles(data, { outDir: duckOut, tempDir: join(scratch, 'duck-tmp'), memoryLimit: '1GiB', threads: 2 });
    const duckDigest = await digestFiles(duck.files);
    expect(duckDigest.profiles).toBe(duck.profiles_generated);
    // Orphans and duplicates are in the data, so the rule for which row wins is exercised.
    expect(duck.records_processed).toBeGreaterThan(4 * duck.profiles_generated * 0.9);
    for (const shards of [1, 4]) {
      const out = await freshDir(join(scratch, `pipe-${shards}`));
      const pipe = await runJob({ kind: 'pipeline', data, out, shards, concurrency: 2, workers: Math.min(shards, 2) });
      checkAnswer(`pipeline ${shards} shards`, pipe.answer, duck);
      const pipeDigest = await digestFiles(jsonlUnder(join(out, 'profiles')));
      checkDigest(`pipeline ${shards} shards`, pipeDigest, duckDigest, 'DuckDB');
    }
  }, 120_000);

  it('a changed field, a missing profile or a duplicated one changes the digest; order and number notation do not', async () => {
    const out = await freshDir(join(scratch, 'duck-2'));
    const duck = await duckdbProfiles(data, { outDir: out, tempDir: join(scratch, 'duck-tmp-2'), memoryLimit: '1GiB' });
    const lines = readFileSync(duck.files[0]!, 'utf8').trimEnd().split('\n');
    const base = await digestFiles(duck.files);
    const write = async (name: string, ls: readonly string[]) => {
      const f = join(scratch, name);
      writeFileSync(f, `${ls.join('\n')}\n`);
      return digestFiles([f]);
    };
    expect(await write('reversed.jsonl', [...lines].reverse())).toEqual(base);
    // DuckDB writes whole numbers as `250.0`; the pipeline as `250`.
    const withFloat = lines.findIndex((l) => /\d\.0[,}]/.test(l));
    expect(withFloat).toBeGreaterThanOrEqual(0);
    const renotated = [...lines];
    renotated[withFloat] = renotated[withFloat]!.replace(/(\d)\.0([,}])/g, '$1$2');
    expect(await write('renotated.jsonl', renotated)).toEqual(base);
    const changed = [...lines];
    const p = JSON.parse(changed[0]!) as { health_score: number };
    p.health_score += 1;
    changed[0] = JSON.stringify(p);
    const d1 = await write('changed.jsonl', changed);
    expect(d1.profiles).toBe(base.profiles);
    expect(d1.digest).not.toBe(base.digest);
    expect(() => checkDigest('changed', d1, base, 'DuckDB')).toThrow(/changed's profiles differ from DuckDB's/);
    const field = [...lines];
    field[1] = field[1]!.replace(/"email":"[^"]*"/, '"email":"someone.else@example.com"');
    expect(field[1]).not.toBe(lines[1]);
    expect((await write('field.jsonl', field)).digest).not.toBe(base.digest);
    expect((await write('missing.jsonl', lines.slice(1))).profiles).toBe(base.profiles - 1);
    expect((await write('twice.jsonl', [...lines, lines[0]!])).digest).not.toBe(base.digest);
  }, 60_000);

  it('takes its memory limit from BENCH_DUCKDB_MEMORY, and refuses a value that is not a size', () => {
    expect(duckdbMemoryLimit({})).toBe(DEFAULT_DUCKDB_MEMORY);
    expect(duckdbMemoryLimit({ BENCH_DUCKDB_MEMORY: '4000MB' })).toBe('4000MB');
    expect(() => duckdbMemoryLimit({ BENCH_DUCKDB_MEMORY: 'lots' })).toThrow(/BENCH_DUCKDB_MEMORY must be a size such as 6GiB or 4000MB, got "lots"/);
  });
});
