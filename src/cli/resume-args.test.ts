import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../core/errors.js';
import { USAGE, parseCli } from './args.js';

describe('--resume / --force', () => {
  it('resume is on by default and with --resume; --force turns it off', () => {
    expect(parseCli([]).resume).toBe(true);
    expect(parseCli(['--resume']).resume).toBe(true);
    expect(parseCli(['--force']).resume).toBe(false);
  });

  it('refuses both at once', () => {
    expect(() => parseCli(['--resume', '--force'])).toThrow(InvalidOptionError);
    expect(() => parseCli(['--resume', '--force'])).toThrow(/--resume and --force contradict/);
  });

  it('are documented in --help', () => {
    expect(USAGE).toMatch(/--resume/);
    expect(USAGE).toMatch(/--force/);
  });
});
