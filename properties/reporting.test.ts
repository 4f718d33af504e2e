/**
 * How properties/setup.ts reports: a property that passes prints its runs and seed, and one cut
 * short by its time limit fails, saying how many runs it made, instead of passing on fewer runs.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

const SEED = 42;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('property reporting', () => {
  it('a passing property prints "passed after N of M runs, seed S"', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    fc.assert(
      fc.property(fc.nat(), (n) => n >= 0),
      { numRuns: 7, seed: SEED },
    );
    expect(log).toHaveBeenCalledWith(`property "property reporting > a passing property prints "passed after N of M runs, seed S"" passed after 7 of 7 runs, seed ${SEED}`);
  });

  it('a property interrupted by its time limit fails and names the runs it made', async () => {
    const slow = fc.asyncProperty(fc.nat(), async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    await expect(fc.assert(slow, { numRuns: 10_000, interruptAfterTimeLimit: 150, seed: SEED })).rejects.toThrow(
      new RegExp(`^Property interrupted after \\d+ tests\\n\\{ seed: ${SEED} \\}`),
    );
  });
});
