import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openAtomic } from './atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `pieces` through one writer the way the files sink does. */
async function writeAll(path: string, pieces: readonly Buffer[]): Promise<{ checksum: string; bytes: number }> {
  const w = await openAtomic(path);
  for (const p of pieces) w.writeBytes(p, 0, p.length);
  return w.commit();
}

describe('AtomicWriter', () => {
  it('seed 7070: the file holds every byte written, in order, and the checksum is its sha256, across many buffer flushes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 255 }), async (sizes, seed) => {
        // Each piece has its own content, so a buffer reused before its bytes were written would show.
        const pieces = sizes.map((n, i) => Buffer.alloc(n, (seed + i) % 256));
        const path = join(dir, 'out.bin');
        const result = await writeAll(path, pieces);
        const expected = Buffer.concat(pieces);
        const actual = readFileSync(path);
        expect(actual.equals(expected)).toBe(true);
        expect(result).toEqual({ checksum: createHash('sha256').update(expected).digest('hex'), bytes: expected.length });
      }),
      { seed: 7070, numRuns: 25 },
    );
  });

  it('a piece larger than the buffer is written whole', async () => {
    const big = Buffer.alloc(3 * (1 << 20) + 7, 9);
    const path = join(dir, 'big.bin');
    await writeAll(path, [Buffer.from('a'), big, Buffer.from('z')]);
    expect(readFileSync(path).equals(Buffer.concat([Buffer.from('a'), big, Buffer.from('z')]))).toBe(true);
  });

  it('abort leaves neither the final file nor its temporary file', async () => {
    const path = join(dir, 'aborted.bin');
    const w = await openAtomic(path);
    w.writeBytes(Buffer.alloc(2 << 20, 1), 0, 2 << 20);
    await w.abort();
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('aborted.bin'))).toEqual([]);
  });
});
