import { describe, expect, it } from 'vitest';
import { RangeSyntaxError, admits } from './engines.js';

describe('admits (engines ranges)', () => {
  it.each([
    ['^20.19.0 || ^24.0.0', '20.19.0', true],
    ['^20.19.0 || ^24.0.0', 'v20.20.2', true],
    ['^20.19.0 || ^24.0.0', '20.18.9', false],
    ['^20.19.0 || ^24.0.0', '22.1.0', false],
    ['^20.19.0 || ^24.0.0', '24.0.0', true],
    ['^20.19.0 || ^24.0.0', '25.0.0', false],
    ['>=20.19', '26.1.0', true],
    ['>=20.19', '20.9.0', false],
  ])('%s admits %s: %s', (range, version, expected) => {
    expect(admits(range, version)).toBe(expected);
  });

  it('names a range it cannot read', () => {
    expect(() => admits('~20.1', '20.1.0')).toThrow(RangeSyntaxError);
    expect(() => admits('~20.1', '20.1.0')).toThrow('"~20.1"');
  });
});
