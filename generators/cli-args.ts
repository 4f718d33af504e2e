/**
 * Parsing of `npm run generate -- …` arguments into `GenerateOptions`, kept pure (argv in,
 * options or a typed error out) so that it is testable without spawning a process.
 */
import { SIDE_SOURCES, type SideSource } from './columns.js';
import type { GenerateOptions } from './dataset.js';
import { GeneratorOptionError } from './errors.js';
import { OptionError, formatOptions, parseTable } from '../src/cli/options.js';

/** A finite number, else a {@link GeneratorOptionError} naming `expected`; range checks are the spec's. */
const finite =
  (expected: string) =>
  (text: string, flag: string): number => {
    const value = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) throw new GeneratorOptionError(flag, text, expected);
    return value;
  };

const INT = 'an integer';
const SHARE = 'a share 0..1';

/** Options every run gives. */
const REQUIRED = {
  customers: { type: 'string', value: 'N', help: 'number of CRM customers (0..1e9)', parse: finite(INT) },
  seed: { type: 'string', value: 'S', help: 'integer seed (0..2^53-1)', parse: finite(INT) },
  out: { type: 'string', value: 'DIR', help: 'output directory (created if missing), or s3://bucket/prefix (streamed uploads)' },
} as const;

/** Options that change how, never what. */
const GENERAL = {
  'reference-date': { type: 'string', value: 'D', help: 'YYYY-MM-DD all dates are relative to', shownDefault: '2026-01-01' },
  workers: { type: 'string', value: 'W', help: 'worker threads; 0 = main thread', shownDefault: 'all cores above 20,000 customers', parse: finite(INT) },
  manifest: { type: 'boolean', help: 'also write DIR/manifest.json (options, row counts, sha256 per file)' },
  quiet: { type: 'boolean', help: 'no progress line and no summary' },
  'chunk-size': { type: 'string', value: 'C', help: 'customers per chunk (speed/memory only; never changes output)', parse: finite(INT) },
} as const;

/** Realism knobs, all off by default. */
const REALISM = {
  coverage: {
    type: 'string',
    value: 'R',
    help: 'share of customers present in billing, product and support (0..1);\n--coverage billing=R,product=R,support=R sets it per source',
    parse: (text: string) => coverageArg(text),
  },
  duplicates: { type: 'string', value: 'D', help: 'mean extra rows per customer per side source (0..10)', parse: finite('a number') },
  orphans: { type: 'string', value: 'R', help: 'chance per customer per side source of a row whose id is not in CRM', parse: finite(SHARE) },
  dirty: {
    type: 'string',
    value: 'R',
    help: 'chance per customer per file of a planted malformed row, plus one\nunclosed quote ending each file; planted rows go to DIR/dirty-manifest.json',
    parse: finite(SHARE),
  },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const;

/** Every option of `npm run generate`. */
export const GENERATE_OPTIONS = { ...REQUIRED, ...GENERAL, ...REALISM } as const;

/** The `--help` text. */
export const USAGE = `Usage: npm run generate -- --customers N --seed S --out DIR [options]

Writes crm.csv, billing.csv, product.csv and support.csv for customers cust_00000001..N.
Same options give byte-identical files, whatever the worker count or machine.

Required:
${formatOptions(REQUIRED)}

Options:
${formatOptions(GENERAL)}

Realism knobs (all off by default):
${formatOptions(REALISM)}
`;

/** What the CLI should do. */
export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'generate'; readonly options: GenerateOptions };

function required<T>(option: string, value: T | undefined, expected: string): T {
  if (value === undefined) throw new GeneratorOptionError(option, null, `${expected} (required)`);
  return value;
}

function coverageArg(text: string): NonNullable<GenerateOptions['coverage']> {
  if (!text.includes('=')) return finite('a share 0..1 or billing=R,product=R,support=R')(text, '--coverage');
  const coverage: Partial<Record<SideSource, number>> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    if (name === undefined || !(SIDE_SOURCES as readonly string[]).includes(name.trim())) {
      throw new GeneratorOptionError('--coverage', part, `source=share with source one of ${SIDE_SOURCES.join(', ')}`);
    }
    coverage[name.trim() as SideSource] = finite(SHARE)(value ?? '', '--coverage');
  }
  return coverage;
}

/** Parses CLI arguments (without `node` and the script); throws `GeneratorOptionError`. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let v;
  try {
    v = parseTable(argv, GENERATE_OPTIONS);
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    throw new GeneratorOptionError('arguments', argv.join(' '), `valid options (${error.message})`);
  }
  if (v.help === true) return { kind: 'help' };
  const options: GenerateOptions = {
    customers: required('--customers', v.customers, INT),
    seed: required('--seed', v.seed, INT),
    out: required('--out', v.out, 'a directory'),
    ...(v['reference-date'] !== undefined ? { referenceDate: v['reference-date'] } : {}),
    ...(v.workers !== undefined ? { workers: v.workers } : {}),
    ...(v['chunk-size'] !== undefined ? { chunkSize: v['chunk-size'] } : {}),
    ...(v.coverage !== undefined ? { coverage: v.coverage } : {}),
    ...(v.duplicates !== undefined ? { duplicates: v.duplicates } : {}),
    ...(v.orphans !== undefined ? { orphans: v.orphans } : {}),
    ...(v.dirty !== undefined ? { dirty: v.dirty } : {}),
    manifest: v.manifest === true,
    quiet: v.quiet === true,
  };
  return { kind: 'generate', options };
}
