/**
 * Parsing of `npm run generate -- …` arguments into `GenerateOptions`, kept pure (argv in,
 * options or a typed error out) so that it is testable without spawning a process.
 */
import { parseArgs } from 'node:util';
import { SIDE_SOURCES, type SideSource } from './columns.js';
import type { GenerateOptions } from './dataset.js';
import { GeneratorOptionError } from './errors.js';

/** The `--help` text. */
export const USAGE = `Usage: npm run generate -- --customers N --seed S --out DIR [options]

Writes crm.csv, billing.csv, product.csv and support.csv for customers cust_00000001..N.
Same options give byte-identical files, whatever the worker count or machine.

Required:
  --customers N          number of CRM customers (0..1e9)
  --seed S               integer seed (0..2^53-1)
  --out DIR              output directory (created if missing)

Options:
  --reference-date D     YYYY-MM-DD all dates are relative to (default 2026-01-01)
  --workers W            worker threads; 0 = main thread (default: all cores above 20,000 customers)
  --manifest             also write DIR/manifest.json (options, row counts, sha256 per file)
  --quiet                no progress line and no summary
  --chunk-size C         customers per chunk (speed/memory only; never changes output)

Realism knobs (all off by default):
  --coverage R           share of customers present in billing, product and support (0..1)
  --coverage billing=R,product=R,support=R   per source
  --duplicates D         mean extra rows per customer per side source (0..10)
  --orphans R            chance per customer per side source of a row whose id is not in CRM
  --dirty R              chance per customer per file of a planted malformed row, plus one
                         unclosed quote ending each file; planted rows go to DIR/dirty-manifest.json
  -h, --help             this text
`;

/** What the CLI should do. */
export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'generate'; readonly options: GenerateOptions };

function numberArg(option: string, text: string | undefined, expected: string): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new GeneratorOptionError(option, text, expected);
  return value;
}

function required(option: string, text: string | undefined, expected: string): string {
  if (text === undefined) throw new GeneratorOptionError(option, text ?? null, `${expected} (required)`);
  return text;
}

function coverageArg(text: string | undefined): GenerateOptions['coverage'] {
  if (text === undefined) return undefined;
  if (!text.includes('=')) return numberArg('--coverage', text, 'a share 0..1 or billing=R,product=R,support=R');
  const coverage: Partial<Record<SideSource, number>> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    if (name === undefined || !(SIDE_SOURCES as readonly string[]).includes(name.trim())) {
      throw new GeneratorOptionError('--coverage', part, `source=share with source one of ${SIDE_SOURCES.join(', ')}`);
    }
    coverage[name.trim() as SideSource] = numberArg('--coverage', value ?? '', 'a share 0..1');
  }
  return coverage;
}

/** Parses CLI arguments (without `node` and the script); throws `GeneratorOptionError`. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        customers: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'reference-date': { type: 'string' },
        workers: { type: 'string' },
        manifest: { type: 'boolean' },
        quiet: { type: 'boolean' },
        'chunk-size': { type: 'string' },
        coverage: { type: 'string' },
        duplicates: { type: 'string' },
        orphans: { type: 'string' },
        dirty: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new GeneratorOptionError('arguments', argv.join(' '), `valid options (${(error as Error).message})`);
  }
  const v = parsed.values;
  if (v.help === true) return { kind: 'help' };
  const int = 'an integer';
  const options: GenerateOptions = {
    customers: numberArg('--customers', required('--customers', v.customers, int), int) as number,
    seed: numberArg('--seed', required('--seed', v.seed, int), int) as number,
    out: required('--out', v.out, 'a directory'),
    ...(v['reference-date'] !== undefined ? { referenceDate: v['reference-date'] } : {}),
    ...(v.workers !== undefined ? { workers: numberArg('--workers', v.workers, int) as number } : {}),
    ...(v['chunk-size'] !== undefined ? { chunkSize: numberArg('--chunk-size', v['chunk-size'], int) as number } : {}),
    ...(v.coverage !== undefined ? { coverage: coverageArg(v.coverage) } : {}),
    ...(v.duplicates !== undefined ? { duplicates: numberArg('--duplicates', v.duplicates, 'a number') as number } : {}),
    ...(v.orphans !== undefined ? { orphans: numberArg('--orphans', v.orphans, 'a share 0..1') as number } : {}),
    ...(v.dirty !== undefined ? { dirty: numberArg('--dirty', v.dirty, 'a share 0..1') as number } : {}),
    manifest: v.manifest === true,
    quiet: v.quiet === true,
  };
  return { kind: 'generate', options };
}
