import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { InvalidOptionError } from '../core/errors.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict option parsing shared by every command line of the project: unknown options and
 * positionals are refused, and parseArgs' several-line explanations become one line, since
 * each CLI prints exactly one line on failure.
 */
export function parseOptions<const O extends OptionSpec>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new InvalidOptionError((err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' '));
  }
}

/** A whole-number option in min..max (fallback when absent); anything else names the option and value. */
export function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new InvalidOptionError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}
