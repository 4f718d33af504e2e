import { describe, expect, it } from 'vitest';
import { USAGE, parseCli } from './args.js';

describe('--workers', () => {
  it('defaults to one shard task per slot that runs at once, never more than the shards', () => {
    expect(parseCli(['--shards', '16', '--concurrency', '2']).workers).toBe(2);
    expect(parseCli(['--shards', '3', '--concurrency', '8']).workers).toBe(3);
  });

  it('takes a count (capped at the shard count) or "shards" for one task per shard', () => {
    expect(parseCli(['--shards', '16', '--workers', '4']).workers).toBe(4);
    expect(parseCli(['--shards', '4', '--workers', '9']).workers).toBe(4);
    expect(parseCli(['--shards', '16', '--concurrency', '2', '--workers', 'shards']).workers).toBe(16);
  });

  it('refuses anything else, naming the value, and is documented in --help', () => {
    expect(() => parseCli(['--workers', '0'])).toThrow(/--workers must be a whole number from 1 to 1024, got "0"/);
    expect(() => parseCli(['--workers', 'many'])).toThrow(/--workers .* got "many"/);
    expect(USAGE).toMatch(/--workers N\|shards/);
  });
});
