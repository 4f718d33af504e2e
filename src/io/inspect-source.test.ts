import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../testing/rejection.js';
import { SourceFileError } from '../core/errors.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { inspectSources } from './inspect-source.js';

const BASE = fileURLToPath(new URL('../testdata/bad/base/', import.meta.url));
const ONE_THREAD = Infinity;
const TWO_THREADS = 0;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'inspect-source-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A copy of the base sources where each source in `bad` gets a problem of its own. */
async function sourcesWith(bad: Partial<Record<SourceName, Buffer>>): Promise<string> {
  const dir = await mkdtemp(join(tmp, 'data-'));
  await cp(BASE, dir, { recursive: true });
  for (const [s, bytes] of Object.entries(bad)) await writeFile(join(dir, SOURCE_FILES[s as SourceName]), bytes);
  return dir;
}

const NOT_UTF8 = Buffer.concat([Buffer.from('customer_id,email\ncust_1,a@b.c\ncust_2,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
const NO_HEADER = Buffer.from('\n\n');

describe('inspecting the sources on two threads', () => {
  it('gives the digests one thread gives', async () => {
    expect(await inspectSources(BASE, TWO_THREADS)).toEqual(await inspectSources(BASE, ONE_THREAD));
  });

  it.each(SOURCE_NAMES)('throws the same SourceFileError as one thread when %s is not UTF-8 (whichever thread read it)', async (source) => {
    const dir = await sourcesWith({ [source]: NOT_UTF8 });
    const one = await rejectionOf(inspectSources(dir, ONE_THREAD));
    const two = await rejectionOf(inspectSources(dir, TWO_THREADS));
    expect(one).toBeInstanceOf(SourceFileError);
    expect(two).toBeInstanceOf(SourceFileError);
    expect(two.message).toBe(one.message);
    expect((two as SourceFileError).file).toBe((one as SourceFileError).file);
    expect(one.message).toMatch(new RegExp(`${SOURCE_FILES[source]}: is not valid UTF-8: byte 0xC3 at line 3`));
  });

  it('reports the first failing source in crm, billing, product, support order when several fail', async () => {
    const dir = await sourcesWith({ support: NOT_UTF8, billing: NO_HEADER, product: NOT_UTF8 });
    const one = await rejectionOf(inspectSources(dir, ONE_THREAD));
    const two = await rejectionOf(inspectSources(dir, TWO_THREADS));
    expect(one.message).toContain(`${SOURCE_FILES.billing}: has no header line`);
    expect(two.message).toBe(one.message);
  });
});
