import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DigestBuilder, canonicalProfile, digestFiles, digestRange, ranges } from './profile-digest.js';

describe('profile digest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-digest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the idempotency key and a whole number\'s .0, and nothing else', () => {
    expect(canonicalProfile('{"customer_id":"C1","crm":{"employee_count":250.0,"deal_value":12.50,"note":"x\\":1.0,"},"health_score":65,"idempotency_key":"C1:ab\\"cd"}')).toBe(
      '{"customer_id":"C1","crm":{"employee_count":250,"deal_value":12.50,"note":"x\\":1.0,"},"health_score":65}',
    );
    expect(() => canonicalProfile('not json', 'f line 3')).toThrow(/f line 3 is not a JSON object: "not json"/);
  });

  it('any split of a file into byte ranges gives the digest of the whole (lines are counted once, where they start)', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `{"customer_id":"C${i}","crm":{"name":"é ${'x'.repeat(i % 37)}"},"health_score":${i % 100}}`);
    const file = join(dir, 'p.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const size = statSync(file).size;
    const whole = await digestFiles([file], 1);
    expect(whole.profiles).toBe(500);
    const one = new DigestBuilder();
    for (const l of lines) one.add(l);
    expect(one.result()).toEqual(whole);
    // Cuts at every kind of place: mid-line, mid-character, right after a newline.
    for (const cuts of [[1], [size / 2], [7, 8, 9, 1000, 1001, size - 1], Array.from({ length: 40 }, (_, i) => Math.floor((size * (i + 1)) / 41))]) {
      const points = [0, ...cuts.map(Math.floor), size];
      const b = new DigestBuilder();
      for (let i = 0; i + 1 < points.length; i++) digestRange({ file, start: points[i]!, end: points[i + 1]! }, b);
      expect(b.result()).toEqual(whole);
    }
    expect(ranges([{ file, size: 300 * 2 ** 20 }], 2)).toEqual([
      { file, start: 0, end: 150 * 2 ** 20 },
      { file, start: 150 * 2 ** 20, end: 300 * 2 ** 20 },
    ]);
  });
});
