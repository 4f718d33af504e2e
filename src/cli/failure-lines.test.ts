/**
 * The CLI's failure line and `--json` failure object, against their exact text: a rejected row
 * past --max-rejects is quoted (file, line, field, reason) with the count and the report's path,
 * and `--json` prints one object on stdout with the same facts, still exiting 1.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureLines, runCli } from '../testing/run-cli.js';

const CORPUS = fileURLToPath(new URL('../testdata/bad/', import.meta.url));
let tmp: string;
let serial = 0;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'failure-lines-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** base/ of the corpus with `file`'s line `line` (1-based) replaced by `edit(text)`. */
async function dataWith(file: string, line: number, edit: (text: string) => string): Promise<string> {
  const dir = join(tmp, `case-${serial++}`, 'data');
  await cp(join(CORPUS, 'base'), dir, { recursive: true });
  const lines = (await readFile(join(dir, file), 'utf8')).split('\n');
  lines[line - 1] = edit(lines[line - 1]!);
  await writeFile(join(dir, file), lines.join('\n'));
  return dir;
}

/** Data rows of a CSV without quoted line ends: its lines minus the header, counted here, not by the pipeline. */
async function dataRows(path: string): Promise<number> {
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').length - 1;
}

const cases = [
  {
    name: 'a bad number in product.csv',
    file: 'product.csv',
    line: 4,
    edit: (t: string) => t.replace(/,[^,]*,([^,]*)$/, ',abc,$1'),
    field: 'usage_pct',
    said: 'product.csv line 4, usage_pct is not a number: "abc"',
    source: 'product',
  },
  {
    name: 'an extra cell in support.csv',
    file: 'support.csv',
    line: 3,
    edit: (t: string) => `${t},extra`,
    field: null,
    said: 'support.csv line 3: has 9 fields, the header has 8',
    source: 'support',
  },
  {
    name: 'an empty id in crm.csv',
    file: 'crm.csv',
    line: 4,
    edit: (t: string) => t.replace(/^cust_\d+/, ''),
    field: 'customer_id',
    said: 'crm.csv line 4, customer_id is empty',
    source: 'crm',
  },
  {
    name: 'an unclosed quote in crm.csv',
    file: 'crm.csv',
    line: 3,
    edit: (t: string) => t.replace('"Globex, Inc."', '"Globex, Inc.'),
    field: null,
    said: 'crm.csv line 3: unclosed quote',
    source: 'crm',
  },
] as const;

describe('a run with more rejects than --max-rejects', () => {
  it.each(cases)('$name: the line quotes the first rejected row; --json says the same as one object', async (c) => {
    const data = await dataWith(c.file, c.line, c.edit);
    const out = join(data, '..', 'out');
    const report = join(out, 'rejects.jsonl');
    const r = await runCli(['--data', data, '--out', out, '--shards', '1', '--json'], tmp);
    expect(r.code).toBe(1);
    const message = `1 row(s) rejected, more than --max-rejects 0. First: ${c.said}. All are listed in ${report}; fix those rows or raise --max-rejects`;
    expect(failureLines(r.stderr)).toEqual([`customer-merge: ${message}`]);
    const failure = JSON.parse(r.stdout) as { error: unknown; rejected: number; sources: Record<string, { read: number; rejected: number }> };
    expect(failure.error).toEqual({ code: 'TOO_MANY_REJECTS', message, file: join(data, c.file), line: c.line, field: c.field, path: report });
    expect(failure.rejected).toBe(1);
    expect(failure.sources[c.source]).toMatchObject({ read: await dataRows(join(data, c.file)), rejected: 1 });
    const entries = (await readFile(report, 'utf8')).trim().split('\n');
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!)).toMatchObject({ file: join(data, c.file), line: c.line, field: c.field });
  });

  it('with several rejects the line quotes the first in report order and gives the count', async () => {
    const data = await dataWith('support.csv', 2, (t) => `${t},x`);
    const lines = (await readFile(join(data, 'crm.csv'), 'utf8')).split('\n');
    lines[5] = lines[5]!.replace(/^cust_\d+/, '');
    await writeFile(join(data, 'crm.csv'), lines.join('\n'));
    const out = join(data, '..', 'out');
    const r = await runCli(['--data', data, '--out', out, '--shards', '2', '--max-rejects', '1'], tmp);
    expect(r.code).toBe(1);
    expect(failureLines(r.stderr)).toEqual([
      `customer-merge: 2 row(s) rejected, more than --max-rejects 1. First: crm.csv line 6, customer_id is empty. All are listed in ${join(out, 'rejects.jsonl')}; fix those rows or raise --max-rejects`,
    ]);
    expect(r.stdout).toBe('');
  });
});

describe('--json on other failures', () => {
  it('a refused option: one object with its code and message, exit 1', async () => {
    const r = await runCli(['--data', join(CORPUS, 'base'), '--out', join(tmp, 'never'), '--shards', '0', '--json'], tmp);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'INVALID_OPTION', message: '--shards must be a whole number from 1 to 1024, got "0"' } });
  });

  it('an unusable source file: the object names the file', async () => {
    const data = join(tmp, `case-${serial++}`, 'data');
    await cp(join(CORPUS, 'base'), data, { recursive: true });
    await writeFile(join(data, 'billing.csv'), '');
    const r = await runCli(['--data', data, '--out', join(data, '..', 'out'), '--json'], tmp);
    expect(r.code).toBe(1);
    const file = join(data, 'billing.csv');
    const [line] = failureLines(r.stderr);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'SOURCE_FILE', message: line!.slice('customer-merge: '.length), file } });
    expect(line).toMatch(new RegExp(`^customer-merge: ${file}: `));
  });
});
