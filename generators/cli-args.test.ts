import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { GeneratorOptionError } from './errors.js';

describe('parseCliArgs', () => {
  it('parses every option into GenerateOptions', () => {
    const command = parseCliArgs([
      '--customers', '1000', '--seed', '42', '--out', 'data', '--workers', '3', '--reference-date', '2025-06-30',
      '--coverage', 'billing=0.9,support=0.5', '--duplicates', '0.2', '--orphans', '0.01', '--dirty', '0.001',
      '--manifest', '--quiet', '--chunk-size', '500',
    ]);
    expect(command).toEqual({
      kind: 'generate',
      options: {
        customers: 1000,
        seed: 42,
        out: 'data',
        workers: 3,
        referenceDate: '2025-06-30',
        coverage: { billing: 0.9, support: 0.5 },
        duplicates: 0.2,
        orphans: 0.01,
        dirty: 0.001,
        manifest: true,
        quiet: true,
        chunkSize: 500,
      },
    });
  });

  it('defaults: no knobs, no manifest, not quiet; a single --coverage share applies to all sources', () => {
    expect(parseCliArgs(['--customers', '5', '--seed', '1', '--out', 'x'])).toEqual({
      kind: 'generate',
      options: { customers: 5, seed: 1, out: 'x', manifest: false, quiet: false },
    });
    const command = parseCliArgs(['--customers', '5', '--seed', '1', '--out', 'x', '--coverage', '0.8']);
    expect(command.kind === 'generate' && command.options.coverage).toBe(0.8);
  });

  it('--help wins over everything', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it('errors are typed and name the offending value', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--seed', '1', '--out', 'x'], /--customers/],
      [['--customers', 'lots', '--seed', '1', '--out', 'x'], /"lots"/],
      [['--customers', '5', '--seed', '1', '--out', 'x', '--coverage', 'bill=0.5'], /bill=0.5/],
      [['--customers', '5', '--seed', '1', '--out', 'x', '--coverage', 'billing='], /--coverage/],
      [['--customers', '5', '--seed', '1', '--out', 'x', '--bogus'], /--bogus/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCliArgs(argv)).toThrow(GeneratorOptionError);
      expect(() => parseCliArgs(argv)).toThrow(message);
    }
  });
});
