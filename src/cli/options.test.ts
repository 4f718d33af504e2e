import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../core/errors.js';
import { OptionError, formatHelp, numberIn, numberList, oneOf, parseTable, wholeNumberIn } from './options.js';

const table = {
  shards: { type: 'string', value: 'N', help: 'shard count', default: 10, parse: wholeNumberIn(1, 1024) },
  rate: { type: 'string', value: 'R', help: 'a share', parse: numberIn(0, 1) },
  sizes: { type: 'string', value: 'LIST', help: 'sizes', parse: numberList(1, 100) },
  sink: { type: 'string', value: 'files|postgres', help: 'where profiles go\nacross two lines', default: 'files', parse: oneOf('files', 'postgres') },
  name: { type: 'string', value: 'TEXT', help: 'any text' },
  json: { type: 'boolean', help: 'JSON out' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const;

/** The one-line message a refused argv gives. */
function refusal(argv: string[]): string {
  try {
    parseTable(argv, table);
  } catch (err) {
    expect(err).toBeInstanceOf(OptionError);
    expect(err).toBeInstanceOf(InvalidOptionError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
}

describe('parseTable', () => {
  it('gives defaults for absent options and converted values for present ones', () => {
    expect(parseTable([], table)).toEqual({ shards: 10, rate: undefined, sizes: undefined, sink: 'files', name: undefined, json: undefined, help: undefined });
    expect(parseTable(['--shards', '7', '--rate=0.25', '--sizes', '1,50,100', '--sink', 'postgres', '--name', 'x', '--json', '-h'], table)).toEqual({
      shards: 7,
      rate: 0.25,
      sizes: [1, 50, 100],
      sink: 'postgres',
      name: 'x',
      json: true,
      help: true,
    });
  });

  it.each<[string[], string]>([
    [['--shards', '0'], '--shards must be a whole number from 1 to 1024, got "0"'],
    [['--shards', '1.5'], '--shards must be a whole number from 1 to 1024, got "1.5"'],
    [['--shards', '1025'], '--shards must be a whole number from 1 to 1024, got "1025"'],
    [['--rate', '2'], '--rate must be a number from 0 to 1, got "2"'],
    [['--rate', ''], '--rate must be a number from 0 to 1, got ""'],
    [['--sizes', '1,,2'], '--sizes must be a comma-separated list of whole numbers from 1 to 100, got "1,,2"'],
    [['--sizes', '1,x'], '--sizes must be a comma-separated list of whole numbers from 1 to 100, got "x" in "1,x"'],
    [['--sink', 'disk'], '--sink must be files or postgres, got "disk"'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['stray'], "Unexpected argument 'stray'. This command does not take positional arguments"],
  ])('refuses %j in one line naming the option and value', (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  it('names the option and value on the error', () => {
    expect(() => parseTable(['--sink', 'disk'], table)).toThrow(expect.objectContaining({ option: '--sink', value: 'disk', code: 'INVALID_OPTION' }));
    expect(() => parseTable(['--bogus'], table)).toThrow(expect.objectContaining({ option: '--bogus' }));
  });

  it('oneOf lists three or more choices with commas', () => {
    expect(() => oneOf('a', 'b', 'c')('d', '--x')).toThrow('--x must be a, b or c, got "d"');
  });
});

describe('formatHelp', () => {
  it('aligns each option, its help lines and its default', () => {
    expect(formatHelp('tool [options]', 'Does a thing.', { shards: table.shards, sink: table.sink, help: table.help })).toBe(
      [
        'Usage: tool [options]',
        '',
        'Does a thing.',
        '',
        '  --shards N              shard count  [10]',
        '  --sink files|postgres   where profiles go',
        '                          across two lines  [files]',
        '  -h, --help              this text',
      ].join('\n'),
    );
  });
});
