import { describe, expect, it } from 'vitest';
import { parseDrillArgs } from './args.js';

describe('npm run chaos options', () => {
  it('defaults: 10 shards, seed 1, fail rate 0.3, shard 3, every scenario', () => {
    expect(parseDrillArgs([])).toMatchObject({ shards: 10, seed: 1, failRate: 0.3, target: 3, hangTimeoutSeconds: 5, retryWaitMs: 50, help: false, json: false });
    expect(parseDrillArgs([]).scenarios).toEqual(['fail-shard', 'fail-rate', 'crash', 'hang', 'kill-resume']);
  });

  it('the target shard defaults to the last shard when there are fewer than four, and must exist', () => {
    expect(parseDrillArgs(['--shards', '2']).target).toBe(1);
    expect(() => parseDrillArgs(['--shards', '4', '--shard', '4'])).toThrow('--shard must be a whole number from 0 to 3, got "4"');
  });

  it.each<[string[], string]>([
    [['--fail-rate', '0.95'], '--fail-rate must be a number from 0 to 0.9, got "0.95"'],
    [['--seed', 'x'], '--seed must be a whole number from 0 to 9007199254740991, got "x"'],
    [['--scenarios', 'crash,flood'], '--scenarios: unknown scenario "flood" (known: fail-shard, fail-rate, crash, hang, kill-resume)'],
    [['--shards', '0'], '--shards must be a whole number from 1 to 1024, got "0"'],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseDrillArgs(argv)).toThrow(message);
  });
});
