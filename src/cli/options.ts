/**
 * The one option helper of the project's command lines: a table of options (name, type, default,
 * help, validator) parsed strictly with `node:util` `parseArgs`, and one help formatter. Every
 * refusal is one line naming the option and the offending value.
 */
import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../core/errors.js';

/** Turns an option's text into its value, or throws {@link OptionError}; `flag` is `--name`. */
export type Validator<T> = (text: string, flag: string) => T;

/** One row of an option table. */
export interface OptionDef<T = unknown> {
  readonly type: 'string' | 'boolean';
  /** One-letter alias (`h` for `-h`). */
  readonly short?: string;
  /** Placeholder of the value in the help (`N`, `DIR`, `files|postgres`). */
  readonly value?: string;
  /** What the option does; may hold several lines. */
  readonly help: string;
  /** The value when the option is absent. */
  readonly default?: T;
  /** How the default reads in the help (`CPU count`); else the default itself, if any. */
  readonly shownDefault?: string;
  /** Validates and converts a string option's text. */
  readonly parse?: Validator<T>;
}

/** Options by long name (without `--`). */
export type OptionTable = Readonly<Record<string, OptionDef<never> | OptionDef<unknown>>>;

type ValueOf<D> = D extends { type: 'boolean' } ? boolean : D extends { parse: Validator<infer T> } ? T : string;
/** Parsed values: each option's converted value, `undefined` when absent and without a default. */
export type OptionValues<O extends OptionTable> = {
  -readonly [K in keyof O]: O[K] extends { default: unknown } ? ValueOf<O[K]> : ValueOf<O[K]> | undefined;
};

/** A refused option: `option` (`--name`, or the unknown token) and the offending `value`. */
export class OptionError extends InvalidOptionError {
  constructor(
    readonly option: string,
    readonly value: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the `parseArgs` spec of a table. */
function spec(table: OptionTable): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  return Object.fromEntries(Object.entries(table).map(([name, d]) => [name, d.short === undefined ? { type: d.type } : { type: d.type, short: d.short }]));
}

/**
 * Parses `argv` against `table`: unknown options and positionals are refused; string options go
 * through their validator; absent options take their default.
 */
export function parseTable<const O extends OptionTable>(argv: readonly string[], table: O): OptionValues<O> {
  let raw: Record<string, string | boolean | undefined>;
  try {
    raw = parseArgs({ args: [...argv], options: spec(table), strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    const named = /'(-[^']*)'/.exec(message)?.[1] ?? /argument: '([^']*)'/.exec(message)?.[1] ?? argv.join(' ');
    throw new OptionError(named, named, message);
  }
  const values: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(table)) {
    const text = raw[name];
    if (text === undefined) values[name] = def.default;
    else if (typeof text === 'string' && def.parse !== undefined) values[name] = def.parse(text, `--${name}`);
    else values[name] = text;
  }
  return values as OptionValues<O>;
}

/** `a`, `a or b`, `a, b or c`. */
const orList = (items: readonly string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

/** A whole number in min..max, written in digits only. */
export function wholeNumberIn(min: number, max: number): Validator<number> {
  return (text, flag) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new OptionError(flag, text, `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return n;
  };
}

/** Any finite number in min..max (fractions allowed). */
export function numberIn(min: number, max: number): Validator<number> {
  return (text, flag) => {
    const n = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(n) || n < min || n > max) throw new OptionError(flag, text, `${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return n;
  };
}

/** A comma-separated list of whole numbers, each in min..max (`1000,10000`). */
export function numberList(min: number, max: number): Validator<number[]> {
  const one = wholeNumberIn(min, max);
  return (text, flag) => {
    const parts = text.split(',').map((s) => s.trim());
    if (parts.some((p) => p === '')) throw new OptionError(flag, text, `${flag} must be a comma-separated list of whole numbers from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return parts.map((p) => {
      try {
        return one(p, flag);
      } catch {
        throw new OptionError(flag, text, `${flag} must be a comma-separated list of whole numbers from ${min} to ${max}, got ${JSON.stringify(p)} in ${JSON.stringify(text)}`);
      }
    });
  };
}

/** One of the given words. */
export function oneOf<const C extends readonly string[]>(...choices: C): Validator<C[number]> {
  return (text, flag) => {
    if (!choices.includes(text)) throw new OptionError(flag, text, `${flag} must be ${orList(choices)}, got ${JSON.stringify(text)}`);
    return text as C[number];
  };
}

/** The option lines of a help text: `  --name VALUE  help  [default]`, help lines aligned. */
export function formatOptions(table: OptionTable, width = 24): string {
  const lines: string[] = [];
  for (const [name, def] of Object.entries(table)) {
    const flag = `${def.short === undefined ? '' : `-${def.short}, `}--${name}${def.value === undefined ? '' : ` ${def.value}`}`;
    const shown = def.shownDefault ?? (def.default === undefined || typeof def.default === 'boolean' ? undefined : String(def.default));
    const help = def.help.split('\n');
    const pad = ' '.repeat(width + 2);
    if (shown !== undefined) {
      const last = `${help.at(-1)}  [${shown}]`;
      if (pad.length + last.length <= 100) help[help.length - 1] = last;
      else help.push(`[${shown}]`);
    }
    const head = `  ${flag}`;
    if (head.length + 2 <= pad.length) lines.push(`${head.padEnd(pad.length)}${help[0]}`);
    else lines.push(head, `${pad}${help[0]}`);
    for (const more of help.slice(1)) lines.push(`${pad}${more}`);
  }
  return lines.join('\n');
}

/** A whole help text: the usage line, a paragraph, the options, and an optional closing note. */
export function formatHelp(usage: string, about: string, table: OptionTable, footer?: string): string {
  return [`Usage: ${usage}`, '', about, '', formatOptions(table), ...(footer === undefined ? [] : ['', footer])].join('\n');
}
