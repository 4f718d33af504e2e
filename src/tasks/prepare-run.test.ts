import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../testing/rejection.js';
import { InvalidOptionError, SourceFileError, isPermanent } from '../core/errors.js';
import { SOURCE_COLUMNS, SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import { FixtureServer } from '../testing/fixture-server.js';
import type { TaskContext, TaskDefinition } from '../runtime/task.js';
import type { PrepareInput, PrepareResult } from './contracts.js';
import type { SourceDigest } from '../io/inspect-source.js';
import { prepareRun, validatePrepareInput } from './prepare-run.js';

/** prepare_run runs no subtask: a context whose `run` says so if it is ever called. */
class NoSubtasks implements TaskContext {
  run<A extends unknown[], R>(task: TaskDefinition<A, R>, ..._args: A): Promise<R> {
    return Promise.reject(new Error(`prepare_run must not run subtasks (asked for ${task.name})`));
  }
}

const prepare = async (input: PrepareInput | unknown): Promise<PrepareResult> => prepareRun.func(new NoSubtasks(), input as PrepareInput);

const BASE = fileURLToPath(new URL('../testdata/bad/base/', import.meta.url));
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
let tmp: string;
let n = 0;

async function copyOfBase(): Promise<string> {
  const dir = join(tmp, `data-${n++}`);
  await cp(BASE, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'prepare-run-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('prepare_run on valid sources', () => {
  it('returns each file size, sha256 and header, and the input digest over the four named hashes', async () => {
    const data = await copyOfBase();
    const r = await prepare({ data });
    let digestText = '';
    for (const s of SOURCE_NAMES) {
      const bytes = await readFile(join(data, SOURCE_FILES[s]));
      expect(r.sources[s]).toEqual({ label: join(data, SOURCE_FILES[s]), bytes: bytes.length, sha256: sha256(bytes), header: [...SOURCE_COLUMNS[s]] });
      digestText += `${s}:${sha256(bytes)}\n`;
    }
    expect(r.input_digest).toBe(sha256(digestText));
    expect(r.input_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same digest for the same bytes anywhere, and another digest when one byte changes', async () => {
    const a = await prepare({ data: await copyOfBase() });
    const b = await prepare({ data: await copyOfBase() });
    expect(b.input_digest).toBe(a.input_digest);
    const changed = await copyOfBase();
    const path = join(changed, 'support.csv');
    const bytes = await readFile(path);
    bytes[bytes.length - 2] = bytes[bytes.length - 2] === 0x35 ? 0x34 : 0x35;
    await writeFile(path, bytes);
    const c = await prepare({ data: changed });
    expect(c.input_digest).not.toBe(a.input_digest);
    expect((c.sources.crm as SourceDigest).sha256).toBe((a.sources.crm as SourceDigest).sha256);
  });

  it('reads an http(s) base URL once per file and agrees with the local digest', async () => {
    const data = await copyOfBase();
    const server = new FixtureServer(data);
    const url = await server.start();
    try {
      const remote = await prepare({ data: url });
      const local = await prepare({ data });
      expect(remote.input_digest).toBe(local.input_digest);
      expect(remote.sources.crm.label).toBe(`${url}/crm.csv`);
      expect(server.requests.map((r) => r.url).sort()).toEqual(['/billing.csv', '/crm.csv', '/product.csv', '/support.csv']);
    } finally {
      await server.close();
    }
  });

  it('checks UTF-8 across 1 MB read chunks and names the line of a bad byte far into a big file', async () => {
    const data = await copyOfBase();
    const header = SOURCE_COLUMNS.crm.join(',');
    const row = (i: number): string => `cust_${String(i).padStart(8, '0')},x${i}@acme.io,Zoë ${i},Retail,5,Proposal,10,Ann Lee,2025-01-01`;
    const lines = [header];
    let size = header.length + 1;
    let i = 1;
    for (; size < 2 ** 20 - 300; i++) {
      lines.push(row(i));
      size += Buffer.byteLength(row(i)) + 1;
    }
    // A row whose '€' (3 bytes) starts 1 byte before the first 1 MB read chunk ends.
    const lead = `cust_${String(i).padStart(8, '0')},x@acme.io,`;
    lines.push(`${lead}${'a'.repeat(2 ** 20 - 1 - size - lead.length)}€,Retail,5,Proposal,10,Ann Lee,2025-01-01`);
    size += Buffer.byteLength(lines[lines.length - 1]!) + 1;
    for (i++; size < 1.3 * 2 ** 20; i++) {
      lines.push(row(i));
      size += Buffer.byteLength(row(i)) + 1;
    }
    const valid = Buffer.from(`${lines.join('\n')}\n`);
    expect(valid.subarray(2 ** 20 - 1, 2 ** 20 + 2).toString()).toBe('€');
    await writeFile(join(data, 'crm.csv'), valid);
    expect((await prepare({ data })).sources.crm.bytes).toBe(valid.length);
    const bad = lines.length - 3;
    lines[bad - 1] = `${lines[bad - 1]!.slice(0, 30)}\xff`;
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    // Write the raw 0xFF byte (the string above would be encoded as U+00FF).
    const at = bytes.indexOf(Buffer.from('ÿ', 'utf8'));
    const raw = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at + 2)]);
    await writeFile(join(data, 'crm.csv'), raw);
    const err = await rejectionOf(prepare({ data }));
    expect(err).toBeInstanceOf(SourceFileError);
    expect(err.message).toBe(
      `${join(data, 'crm.csv')}: is not valid UTF-8: byte 0xFF at line ${bad} (byte offset ${at}); export or convert it as UTF-8 (it may be Latin-1 / Windows-1252)`,
    );
  });
});

describe('prepare_run on unusable sources: one permanent SourceFileError naming the file', () => {
  it('tells every missing file at once, the first by name', async () => {
    const data = await copyOfBase();
    await rm(join(data, 'product.csv'));
    await rm(join(data, 'support.csv'));
    const err = await rejectionOf(prepare({ data }));
    expect(err).toBeInstanceOf(SourceFileError);
    expect(isPermanent(err)).toBe(true);
    expect(err.message).toBe(`${join(data, 'product.csv')}: is missing (also missing: ${join(data, 'support.csv')})`);
  });

  it('names a data location that is a file, not a directory', async () => {
    const file = join(tmp, 'plain-file');
    await writeFile(file, 'x');
    const err = await rejectionOf(prepare({ data: file }));
    expect(err.message).toBe(`${file}: is not a directory (the data location must hold crm.csv, billing.csv, product.csv, support.csv)`);
  });

  it('fails on a bad header without reading the rest of a big file', async () => {
    const data = await copyOfBase();
    const body = 'c,x\n'.repeat(600_000);
    await writeFile(join(data, 'billing.csv'), `id,mrr\n${body}\xff`);
    const err = await rejectionOf(prepare({ data }));
    // The header is checked on the first chunk; the bad byte at the end is never reached.
    expect(err.message).toBe(`${join(data, 'billing.csv')}: has no customer_id column (header: "id,mrr")`);
  });

  it('answers an HTTP 404 as a missing file and a broken transfer as a transient (retryable) error', async () => {
    const data = await copyOfBase();
    await rm(join(data, 'billing.csv'));
    const server = new FixtureServer(data, (path) => (path === '/support.csv' ? { kind: 'break', afterBytes: 40 } : { kind: 'serve' }));
    const url = await server.start();
    try {
      const missing = await rejectionOf(prepare({ data: url }));
      expect(missing).toBeInstanceOf(SourceFileError);
      expect(missing.message.startsWith(`${url}/billing.csv: is missing (HTTP 404`)).toBe(true);
      await cp(join(BASE, 'billing.csv'), join(data, 'billing.csv'));
      const broken = await rejectionOf(prepare({ data: url }));
      expect(broken).not.toBeInstanceOf(SourceFileError);
      expect(isPermanent(broken)).toBe(false);
      expect(broken.message).toMatch(new RegExp(`^${url}/support\\.csv: transfer`));
    } finally {
      await server.close();
    }
  });
});

describe('prepare_run checks its input at the task boundary', () => {
  it.each([[null], [[]], [{}], [{ data: '' }], [{ data: 7 }]])('refuses %j with InvalidOptionError', async (input) => {
    const err = await rejectionOf(prepare(input));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toMatch(/^PrepareInput/);
  });

  it('keeps only what it needs from a valid input', () => {
    expect(validatePrepareInput({ data: 'x', extra: 1 })).toEqual({ data: 'x' });
    expect(validatePrepareInput({ data: 's3://b/in', mode: 'headers' })).toEqual({ data: 's3://b/in', mode: 'headers' });
  });

  it.each([
    [{ data: 's3://b/in', mode: 'sample' }, 'PrepareInput.mode must be "full" or "headers", got "sample"'],
    [{ data: '/tmp/in', mode: 'headers' }, 'PrepareInput.mode "headers" needs store data (s3://bucket/prefix), got data "/tmp/in"'],
  ])('refuses mode in %j, naming the value', async (input, message) => {
    const err = await rejectionOf(prepare(input));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe(message);
  });
});

describe('prepare_run is registered with its options', () => {
  it('has the name the orchestrator calls and a bounded retry for transient failures', () => {
    expect(prepareRun.name).toBe('prepare_run');
    expect(prepareRun.options.retry?.maxRetries).toBeGreaterThan(0);
  });

  it('is in the task registry', async () => {
    const { tasks } = await import('./registry.js');
    expect(tasks.map((t) => t.name)).toContain('prepare_run');
  });
});

