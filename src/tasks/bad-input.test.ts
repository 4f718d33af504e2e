/**
 * End to end over the broken-input corpus (src/testdata/bad/): every file-level problem fails the
 * run fast, before fan-out, with one clear message naming the file and nothing written under the
 * output's names; every row-level problem becomes an entry of the run's one rejects report, at
 * its file and line, and per source `read` equal to what an independent parser counts and
 * `merged` equal to that count less the report's entries.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRTY_MANIFEST_FILE, generateDataset } from '../../generators/index.js';
import { InvalidOptionError, SourceFileError, TooManyRejectsError } from '../core/errors.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { FixtureServer } from '../testing/fixture-server.js';
import { InlineRuntime } from '../runtime/inline.js';
import { failureLines, runCli } from '../testing/run-cli.js';
import { dataEventsSlowly } from '../testing/csv-oracle.js';
import type { RunInput, RunResult } from './contracts.js';
import { mergeCustomerData } from './merge-customer-data.js';
import type { RejectRecord } from './shard/work.js';

process.env['LOG_LEVEL'] ??= 'silent';

const CORPUS = fileURLToPath(new URL('../testdata/bad/', import.meta.url));
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bad-input-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let serial = 0;
/** A data folder: base/ with the case's files laid over it, minus `remove`. */
async function dataset(name: string, remove: readonly SourceName[] = []): Promise<string> {
  const dir = join(tmp, `${name}-${serial++}`, 'data');
  await mkdir(dir, { recursive: true });
  await cp(join(CORPUS, 'base'), dir, { recursive: true });
  if (name !== 'base') {
    for (const entry of await readdir(join(CORPUS, name))) {
      await rm(join(dir, entry), { recursive: true, force: true });
      await cp(join(CORPUS, name, entry), join(dir, entry), { recursive: true });
    }
  }
  for (const s of remove) await rm(join(dir, SOURCE_FILES[s]), { force: true });
  return dir;
}

const inline = (): InlineRuntime => new InlineRuntime({ retry: { maxRetries: 0, waitDurationMs: 0 }, sleep: async () => {} });

async function run(data: string, extra: Partial<RunInput> = {}): Promise<{ result: RunResult; out: string }> {
  const out = join(data, '..', 'out');
  const result = await inline().run(mergeCustomerData, { data, out_dir: out, shards: 3, max_rejects: 1000, ...extra });
  return { result, out };
}

/** The innermost cause of a failed run: the error a user acts on. */
function innermost(err: unknown): unknown {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    const e = innermost(err);
    if (e instanceof Error) return e;
    throw new Error(`not an Error: ${String(e)}`);
  }
  throw new Error('the run succeeded');
}

async function readReport(out: string): Promise<RejectRecord[]> {
  const text = await readFile(join(out, 'rejects.jsonl'), 'utf8');
  return text === '' ? [] : text.trimEnd().split('\n').map((l) => JSON.parse(l) as RejectRecord);
}

/** Physical lines of a file as the parser counts them (LF, CRLF, lone CR). */
async function physicalLines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
}

/** Files (recursively) under `dir`, relative; [] when it does not exist. */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name).slice(dir.length + 1));
}

/** Conservation per source, and `read` equal to the independent parser's count of data events. */
async function expectConservation(data: string, result: RunResult, report: readonly RejectRecord[]): Promise<void> {
  for (const s of SOURCE_NAMES) {
    const c = result.sources[s];
    const inReport = report.filter((r) => r.source === s).length;
    expect(c.rejected, `${s}: every rejected row is in the report`).toBe(inReport);
    // The shards compute read as merged + rejected, so each side is checked against counts made here.
    const records = dataEventsSlowly(await readFile(join(data, SOURCE_FILES[s]), 'utf8'));
    expect(c.read, `${s}: rows read = records after the header, counted independently`).toBe(records);
    expect(c.merged, `${s}: rows merged = records counted independently - entries of the report`).toBe(records - inReport);
  }
  expect(result.rejected).toBe(report.length);
}

interface Expected {
  readonly source: SourceName;
  readonly line: number;
  readonly field: string | null;
  readonly reason: string | RegExp;
}

const rowCases: ReadonlyArray<{ readonly name: string; readonly rejects: readonly Expected[] }> = [
  {
    name: 'wrong-column-count',
    rejects: [
      { source: 'crm', line: 3, field: null, reason: 'has 8 fields, the header has 9' },
      { source: 'crm', line: 5, field: null, reason: 'has 10 fields, the header has 9' },
    ],
  },
  { name: 'unclosed-quote-middle', rejects: [{ source: 'crm', line: 3, field: null, reason: 'unclosed quote' }] },
  { name: 'unclosed-quote-last', rejects: [{ source: 'support', line: 6, field: null, reason: 'unclosed quote' }] },
  {
    name: 'empty-customer-id',
    rejects: [
      { source: 'billing', line: 3, field: 'customer_id', reason: 'customer_id is empty' },
      { source: 'billing', line: 5, field: 'customer_id', reason: 'customer_id is empty' },
    ],
  },
  { name: 'bad-number', rejects: [{ source: 'product', line: 4, field: 'usage_pct', reason: 'usage_pct is not a number: "abc"' }] },
  { name: 'usage-over-100', rejects: [{ source: 'product', line: 2, field: 'usage_pct', reason: 'usage_pct is 100.5, above its maximum 100' }] },
  { name: 'negative-mrr', rejects: [{ source: 'billing', line: 6, field: 'mrr', reason: 'mrr is -5, below its minimum 0' }] },
  {
    name: 'nps-out-of-range',
    rejects: [
      { source: 'support', line: 2, field: 'nps_score', reason: 'nps_score is 0, below its minimum 1' },
      { source: 'support', line: 4, field: 'nps_score', reason: 'nps_score is 11, above its maximum 10' },
    ],
  },
  { name: 'csat-out-of-range', rejects: [{ source: 'support', line: 6, field: 'csat_score', reason: 'csat_score is 5.5, above its maximum 5' }] },
  { name: 'quote-in-unquoted-field', rejects: [{ source: 'crm', line: 4, field: null, reason: 'quote inside an unquoted field' }] },
  { name: 'stray-after-quote', rejects: [{ source: 'crm', line: 3, field: null, reason: 'unexpected character " " after a closing quote' }] },
  { name: 'bad-date', rejects: [{ source: 'billing', line: 4, field: 'subscription_start', reason: 'subscription_start is not a calendar date: "2022-02-30"' }] },
  {
    name: 'trailing-comma-rows',
    rejects: [2, 4, 6].map((line) => ({ source: 'billing' as const, line, field: null, reason: 'has 8 fields, the header has 7' })),
  },
  { name: 'whitespace-line', rejects: [{ source: 'product', line: 4, field: null, reason: 'has 1 field, the header has 8' }] },
  { name: 'tricky-but-valid', rejects: [] },
  { name: 'orphans-and-duplicates', rejects: [] },
];

describe('row-level problems become rejects entries; the run completes and conserves rows', () => {
  it.each(rowCases)('$name', async ({ name, rejects }) => {
    const data = await dataset(name);
    const { result, out } = await run(data);
    const report = await readReport(out);
    expect(report.map((r) => [r.source, r.line, r.field])).toEqual(rejects.map((e) => [e.source, e.line, e.field]));
    for (const [k, e] of rejects.entries()) {
      const r = report[k]!;
      if (typeof e.reason === 'string') expect(r.reason).toBe(e.reason);
      else expect(r.reason).toMatch(e.reason);
      expect(r.file).toBe(join(data, SOURCE_FILES[e.source]));
      // The raw text is the rejected physical line, exactly.
      expect(r.raw).toBe((await physicalLines(r.file))[r.line - 1]);
    }
    await expectConservation(data, result, report);
    expect(result.rejects_report).toBe('rejects.jsonl');
  });

  it('keeps every row after an unclosed quote in the middle of a file', async () => {
    const { result } = await run(await dataset('unclosed-quote-middle'));
    expect(result.sources.crm).toMatchObject({ read: 5, merged: 4, rejected: 1 });
    expect(result.profiles_generated).toBe(5);
  });

  it('reads the tricky-but-valid files (BOM, CRLF, lone CR, blank lines, quoted line end) like the plain ones', async () => {
    const { result } = await run(await dataset('tricky-but-valid'));
    const { result: plain } = await run(await dataset('base'));
    for (const s of SOURCE_NAMES) expect(result.sources[s]).toEqual(plain.sources[s]);
    expect(result.statistics).toEqual(plain.statistics);
  });

  it('counts orphans and superseded duplicates as data, not as rejects', async () => {
    const { result } = await run(await dataset('orphans-and-duplicates'));
    expect(result.rejected).toBe(0);
    expect(result.orphans).toBe(1);
    expect(result.sources.support).toMatchObject({ read: 7, merged: 7, rejected: 0, duplicates: 1 });
    expect(result.profiles_generated).toBe(6);
  });

  it('orders the report by source (crm, billing, product, support) then line, across shards', async () => {
    const data = await dataset('base');
    for (const c of ['wrong-column-count', 'empty-customer-id', 'nps-out-of-range', 'bad-number']) {
      await cp(join(CORPUS, c), data, { recursive: true, force: true });
    }
    const { result, out } = await run(data, { shards: 7 });
    const report = await readReport(out);
    expect(report.map((r) => `${r.source}:${r.line}`)).toEqual(['crm:3', 'crm:5', 'billing:3', 'billing:5', 'product:4', 'support:2', 'support:4']);
    await expectConservation(data, result, report);
  });
});

describe('--max-rejects is enforced after the report is written', () => {
  it('fails with TooManyRejectsError naming the report, which exists and lists every reject', async () => {
    const data = await dataset('wrong-column-count');
    const out = join(data, '..', 'out');
    const err = await failure(inline().run(mergeCustomerData, { data, out_dir: out, shards: 2 }));
    expect(err).toBeInstanceOf(TooManyRejectsError);
    expect(err.message).toBe(
      `2 row(s) rejected, more than --max-rejects 0. First: crm.csv line 3: has 8 fields, the header has 9. All are listed in ${join(out, 'rejects.jsonl')}; fix those rows or raise --max-rejects`,
    );
    expect((await readReport(out)).map((r) => r.line)).toEqual([3, 5]);
  });

  it('passes when the rejects are within the limit', async () => {
    const { result } = await run(await dataset('wrong-column-count'), { max_rejects: 2 });
    expect(result.rejected).toBe(2);
  });

  it('writes an empty report for a clean run, replacing a stale one', async () => {
    const data = await dataset('base');
    const out = join(data, '..', 'out');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'rejects.jsonl'), '{"stale":true}\n');
    await run(data);
    expect(await readFile(join(out, 'rejects.jsonl'), 'utf8')).toBe('');
  });
});

const fileCases: ReadonlyArray<{ readonly name: string; readonly file: string; readonly remove?: readonly SourceName[]; readonly message: RegExp }> = [
  { name: 'base', remove: ['crm'], file: 'crm.csv', message: /: is missing$/ },
  { name: 'base', remove: ['billing', 'support'], file: 'billing.csv', message: /: is missing \(also missing: .*support\.csv\)$/ },
  { name: 'empty-file', file: 'billing.csv', message: /: is empty \(0 bytes, no header line\)$/ },
  { name: 'blank-only', file: 'product.csv', message: /: has no header line \(only empty lines\)$/ },
  { name: 'no-header', file: 'support.csv', message: /: has no customer_id column \(header: "cust_00000001,help@acme\.io,4,0,6\.5,2025-10-01,9,4\.5"\)$/ },
  { name: 'no-customer-id-column', file: 'support.csv', message: /: has no customer_id column \(header: "id,email,/ },
  { name: 'duplicate-column', file: 'crm.csv', message: /: duplicate column name "email" in the header \(columns 2 and 3\)$/ },
  { name: 'empty-column-name', file: 'billing.csv', message: /: column 3 of the header has no name$/ },
  { name: 'trailing-comma-header', file: 'product.csv', message: /: column 9 of the header has no name \(a trailing comma\?\)$/ },
  { name: 'malformed-header', file: 'crm.csv', message: /: header on line 1 is malformed: unclosed quote: "customer_id,\\"email,/ },
  { name: 'latin1', file: 'crm.csv', message: /: is not valid UTF-8: byte 0xEB at line 5 \(byte offset 385\); export or convert it as UTF-8/ },
  { name: 'utf16', file: 'support.csv', message: /: is not valid UTF-8: byte 0xFF at line 1 \(byte offset 0\); it looks like UTF-16; export it as UTF-8$/ },
  { name: 'truncated-utf8', file: 'billing.csv', message: /: is not valid UTF-8: byte 0xC3 at line 7 \(byte offset 448\);/ },
  { name: 'crm-is-a-directory', file: 'crm.csv', message: /: is not a regular file$/ },
];

describe('file-level problems fail fast, before fan-out, naming the file; nothing is written', () => {
  it.each(fileCases)('$name $file', async ({ name, file, remove, message }) => {
    const data = await dataset(name, remove);
    const out = join(data, '..', 'out');
    const started: string[] = [];
    const rt = inline();
    rt.on((ev) => {
      if (ev.type === 'run_started') started.push(ev.task);
    });
    const err = await failure(rt.run(mergeCustomerData, { data, out_dir: out, shards: 3 }));
    expect(err).toBeInstanceOf(SourceFileError);
    expect((err as SourceFileError).retryable).toBe(false);
    expect(err.message.startsWith(`${join(data, file)}: `)).toBe(true);
    expect(err.message).toMatch(message);
    expect(started).toEqual(['merge_customer_data', 'prepare_run']);
    expect(await filesUnder(out)).toEqual([]);
  });

  it('names a data directory that does not exist', async () => {
    const data = join(tmp, 'no-such-dir');
    const err = await failure(inline().run(mergeCustomerData, { data, out_dir: join(tmp, 'never'), shards: 2 }));
    expect(err).toBeInstanceOf(SourceFileError);
    expect(err.message).toBe(`${data}: does not exist (no such data directory)`);
  });

  it('refuses an out-of-range task input with InvalidOptionError before reading anything', async () => {
    const data = await dataset('base');
    const err = await failure(inline().run(mergeCustomerData, { data, out_dir: join(tmp, 'never'), shards: 0 }));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe('RunInput.shards must be a whole number from 1 to 1024, got 0');
    const neg = await failure(inline().run(mergeCustomerData, { data, out_dir: join(tmp, 'never'), shards: 2, max_rejects: -1 }));
    expect(neg.message).toBe('RunInput.max_rejects must be a whole number ≥ 0, got -1');
  });
});

describe('an http(s) data location gets the same checks', () => {
  it('fails fast on a bad header, naming the URL; a dirty file completes with its rejects', async () => {
    const bad = new FixtureServer(await dataset('no-customer-id-column'));
    const base = await bad.start();
    try {
      const err = await failure(inline().run(mergeCustomerData, { data: base, out_dir: join(tmp, 'http-bad'), shards: 2 }));
      expect(err).toBeInstanceOf(SourceFileError);
      expect(err.message).toMatch(new RegExp(`^${base}/support\\.csv: has no customer_id column`));
      expect(await filesUnder(join(tmp, 'http-bad'))).toEqual([]);
    } finally {
      await bad.close();
    }
    const dirty = new FixtureServer(await dataset('unclosed-quote-middle'));
    const url = await dirty.start();
    try {
      const out = join(tmp, 'http-dirty');
      const result = await inline().run(mergeCustomerData, { data: url, out_dir: out, shards: 2, max_rejects: 5 });
      const report = await readReport(out);
      expect(report.map((r) => [r.file, r.line, r.reason])).toEqual([[`${url}/crm.csv`, 3, 'unclosed quote']]);
      expect(result.sources.crm).toMatchObject({ read: 5, merged: 4, rejected: 1 });
    } finally {
      await dirty.close();
    }
  });
});

/** Runs the built CLI in the scratch folder. */
const cli = (args: readonly string[]) => runCli(args, tmp);

describe('the CLI: one clear line, exit code 1, nothing under the output names', () => {
  it.each([
    [['--shards', '0'], '--shards must be a whole number from 1 to 1024, got "0"'],
    [['--shards', '1025'], '--shards must be a whole number from 1 to 1024, got "1025"'],
    [['--concurrency', '0'], '--concurrency must be a whole number from 1 to 256, got "0"'],
    [['--max-rejects=-1'], '--max-rejects must be a whole number from 0 to 9007199254740991, got "-1"'],
    [['--max-rejects', 'many'], '--max-rejects must be a whole number from 0 to 9007199254740991, got "many"'],
    [['--max-rejects', '-1'], "Option '--max-rejects' argument is ambiguous. Did you forget to specify the option argument for '--max-rejects'? To specify an option argument starting with a dash use '--max-rejects=-XYZ'."],
    [['--shard', '3'], "Unknown option '--shard'"],
  ])('refuses %j', async (args, message) => {
    const data = await dataset('base');
    const out = join(data, '..', 'out');
    const r = await cli(['--data', data, '--out', out, ...args]);
    expect(r.code).toBe(1);
    expect(failureLines(r.stderr)).toEqual([`customer-merge: ${message}`]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a --data path that does not exist and an --out that is a file', async () => {
    const missing = join(tmp, 'nowhere');
    const r1 = await cli(['--data', missing, '--out', join(tmp, 'o1')]);
    expect(r1.code).toBe(1);
    expect(failureLines(r1.stderr)).toEqual([`customer-merge: --data ${missing} does not exist`]);
    const file = join(tmp, 'a-file');
    await writeFile(file, 'x');
    const r2 = await cli(['--data', await dataset('base'), '--out', file]);
    expect(r2.code).toBe(1);
    expect(failureLines(r2.stderr)).toEqual([`customer-merge: --out ${file} exists and is not a directory`]);
  });

  it('fails fast on a Latin-1 file: the innermost message, exit 1, no profiles and no report', async () => {
    const data = await dataset('latin1');
    const out = join(data, '..', 'out');
    const r = await cli(['--data', data, '--out', out, '--shards', '2']);
    expect(r.code).toBe(1);
    expect(failureLines(r.stderr)).toEqual([
      `customer-merge: ${join(data, 'crm.csv')}: is not valid UTF-8: byte 0xEB at line 5 (byte offset 385); export or convert it as UTF-8 (it may be Latin-1 / Windows-1252)`,
    ]);
    expect(r.stdout).toBe('');
    expect(await filesUnder(out)).toEqual([]);
  });

  it('too many rejects: exit 1 naming the report, which lists them; within --max-rejects: exit 0', async () => {
    const data = await dataset('nps-out-of-range');
    const out = join(data, '..', 'out');
    const r = await cli(['--data', data, '--out', out, '--shards', '2']);
    expect(r.code).toBe(1);
    expect(failureLines(r.stderr)).toEqual([
      `customer-merge: 2 row(s) rejected, more than --max-rejects 0. First: support.csv line 2, nps_score is 0, below its minimum 1. All are listed in ${join(out, 'rejects.jsonl')}; fix those rows or raise --max-rejects`,
    ]);
    expect((await readReport(out)).map((e) => e.line)).toEqual([2, 4]);
    const ok = await cli(['--data', data, '--out', out, '--shards', '2', '--max-rejects', '2', '--json']);
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.stdout) as RunResult;
    expect(result.sources.support).toMatchObject({ read: 5, merged: 3, rejected: 2 });
    expect(result.rejects_report).toBe('rejects.jsonl');
  });
});

describe("the generator's --dirty mode, end to end", () => {
  it('seed 20251: every planted row is in the rejects report at its file and line, and no clean row is', async () => {
    const data = join(tmp, 'dirty-20251');
    const gen = await generateDataset({ customers: 400, seed: 20251, out: data, dirty: 0.05, duplicates: 0.3, orphans: 0.02, workers: 0, quiet: true });
    const manifest = JSON.parse(await readFile(join(data, DIRTY_MANIFEST_FILE), 'utf8')) as { planted: Array<{ file: string; line: number; kind: string }> };
    expect(manifest.planted.length).toBeGreaterThan(20);
    expect(new Set(manifest.planted.map((p) => p.kind)).size).toBe(4);
    const out = join(tmp, 'dirty-20251-out');
    const result = await inline().run(mergeCustomerData, { data, out_dir: out, shards: 5, max_rejects: 1_000_000 });
    const report = await readReport(out);
    const key = (file: string, line: number): string => `${file}:${String(line).padStart(6, '0')}`;
    const planted = manifest.planted.map((p) => key(p.file, p.line)).sort();
    expect(report.map((r) => key(basename(r.file), r.line)).sort()).toEqual(planted);
    for (const s of SOURCE_NAMES) {
      const f = gen.files[s];
      // The generator's own counts: clean records are merged, planted lines rejected, nothing else.
      expect(result.sources[s]).toMatchObject({ read: f.records + f.planted, merged: f.records, rejected: f.planted });
    }
    await expectConservation(data, result, report);
  });
});
