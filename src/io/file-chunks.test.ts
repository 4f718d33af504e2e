import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileChunks } from './file-chunks.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-chunks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Bytes 0..n-1 of a repeating pattern that differs between neighbouring chunks. */
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + (i >> 3)) & 0xff));

describe('fileChunks', () => {
  it.each([1, 7, 64, 1000])('gives the file byte for byte in chunks of %i bytes', async (size) => {
    const content = bytes(2345);
    const path = join(dir, `f-${size}`);
    await writeFile(path, content);
    const copies: Buffer[] = [];
    for await (const c of fileChunks(path, size)) {
      expect(c.length).toBeLessThanOrEqual(size);
      copies.push(Buffer.from(c));
    }
    expect(Buffer.concat(copies).equals(content)).toBe(true);
  });

  it('keeps a chunk intact while the next one is handled (what the CSV parser relies on)', async () => {
    const content = bytes(1000);
    const path = join(dir, 'contract');
    await writeFile(path, content);
    let previous: { view: Buffer; copy: Buffer } | undefined;
    let at = 0;
    for await (const c of fileChunks(path, 10)) {
      if (previous !== undefined) expect(previous.view.equals(previous.copy)).toBe(true);
      expect(c.equals(content.subarray(at, at + c.length))).toBe(true);
      at += c.length;
      previous = { view: c, copy: Buffer.from(c) };
    }
    expect(at).toBe(content.length);
  });

  it('yields nothing for an empty file, and reads a file after an abandoned one correctly', async () => {
    const empty = join(dir, 'empty');
    await writeFile(empty, '');
    const seen: Buffer[] = [];
    for await (const c of fileChunks(empty, 16)) seen.push(c);
    expect(seen).toEqual([]);
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await writeFile(a, bytes(100));
    await writeFile(b, Buffer.from('the second file, whole'));
    for await (const _ of fileChunks(a, 16)) break;
    const copies: Buffer[] = [];
    for await (const c of fileChunks(b, 16)) copies.push(Buffer.from(c));
    expect(Buffer.concat(copies).toString()).toBe('the second file, whole');
  });
});
