import { describe, expect, it } from 'vitest';
import type { Profile } from '../../core/profile.js';
import { uniqueByKey } from './dedupe.js';

const p = (id: string, key: string): Profile => ({ customer_id: id, idempotency_key: `${id}:${key}` }) as unknown as Profile;

describe('the writer keeps one record per idempotency_key', () => {
  it('passes distinct keys through in order and drops nothing', () => {
    const counter = { dropped: 0 };
    const input = [p('a', '1'), p('b', '1'), p('c', '2')];
    expect([...uniqueByKey(input, counter)]).toEqual(input);
    expect(counter.dropped).toBe(0);
  });

  it('drops a repeated key and counts it', () => {
    const counter = { dropped: 0 };
    const out = [...uniqueByKey([p('a', '1'), p('a', '1'), p('b', '7'), p('b', '7'), p('b', '7')], counter)];
    expect(out.map((x) => x.idempotency_key)).toEqual(['a:1', 'b:7']);
    expect(counter.dropped).toBe(3);
  });

  it('keeps two different keys of one customer (a changed row is a different record)', () => {
    const counter = { dropped: 0 };
    expect([...uniqueByKey([p('a', '1'), p('a', '2')], counter)]).toHaveLength(2);
    expect(counter.dropped).toBe(0);
  });
});
