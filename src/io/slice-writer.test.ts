import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SliceWriter } from './slice-writer.js';

describe('SliceWriter', () => {
  it('writes `<line>,<bytes>\\n` records in order, small and larger than its buffer, and publishes only on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cm-slice-'));
    const path = join(dir, 'crm', 'shard-0000.csv');
    const w = new SliceWriter(path);
    const records: [number, Buffer][] = [
      [2, Buffer.from('cust_1,a')],
      [1234567, Buffer.from('x'.repeat(300_000))],
      [10, Buffer.from('cust_3,"é, ""q"""')],
    ];
    for (let i = 0; i < 3000; i++) records.push([11 + i, Buffer.from(`cust_${i},${'v'.repeat(i % 97)}`)]);
    for (const [line, bytes] of records) w.record(line, bytes, 0, bytes.length);
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
    w.close();
    const expected = Buffer.concat(records.map(([line, bytes]) => Buffer.concat([Buffer.from(`${line},`), bytes, Buffer.from('\n')])));
    expect((await readFile(path)).equals(expected)).toBe(true);
    expect(w.records).toBe(records.length);
  });
});
