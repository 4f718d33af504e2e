/**
 * Arbitraries of small, valid datasets in the tutorial's shape, built to stress what sharding
 * could get wrong: customers missing from some sources, several rows per customer in one source
 * (the last one must win), orphans (ids absent from CRM), odd ids (non-ASCII, commas, quotes,
 * newlines), quoted cells with commas, doubled quotes, CR/LF and non-ASCII text, numbers written
 * in several valid spellings, extra and missing columns in any order, CRLF line ends, a BOM, a
 * missing final newline.
 *
 * Every cell is valid for its column, so every row must come through: a reject is a bug. The
 * dataset keeps the exact text of each cell, which is all the CSV writer and the independent model
 * need. Construction avoids `chain`, so fast-check shrinks a failure to a handful of short rows.
 */
import { fc } from '@fast-check/vitest';
import { SOURCE_FIELDS, SOURCE_NAMES } from '../src/core/schema.js';
import type { FieldKind, SourceName } from '../src/core/schema.js';
import { describeDataset } from './write-csv.js';

/** How one file is laid out on disk; every combination is valid RFC 4180 the parser must accept. */
export interface CsvFormat {
  readonly crlf: boolean;
  readonly bom: boolean;
  /** Quote every field, needed or not. */
  readonly quoteAll: boolean;
  /** Leave the last line without its line end. */
  readonly noFinalNewline: boolean;
}

/** One source file: header order and rows as exact cell texts ('' is an empty cell). */
export interface SourceTable {
  /** Header, in file order; always contains `customer_id`. */
  readonly columns: readonly string[];
  /** One map per data row, column → cell text, in file order. */
  readonly rows: readonly Readonly<Record<string, string>>[];
  readonly format: CsvFormat;
}

/** A dataset: the four source files. */
export type Dataset = Readonly<Record<SourceName, SourceTable>>;

// ---------------------------------------------------------------------------------------------
// Cells

/** Characters that make CSV and UTF-8 handling interesting, mixed with plain ones. */
const SPECIAL_CHARS = [',', '"', '\n', '\r', '\r\n', ' ', '\t', ';', "'", 'é', 'ß', 'Ø', '中', '😀', '\u00a0', '\ufeff'];
const charArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...'abcxyzABC019_-.@'.split('')) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_CHARS) },
);

/** Free text: may need quoting, may be multi-line, may be non-ASCII. */
export const textArb: fc.Arbitrary<string> = fc.string({ unit: charArb, maxLength: 10 });

/** A non-empty id with no surrounding whitespace (the pipeline trims ids). */
export const idArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `cust_${String(n).padStart(8, '0')}`) },
  { weight: 1, arbitrary: fc.string({ unit: charArb, minLength: 1, maxLength: 8 }).filter((s) => s.trim() === s && s !== '') },
);

/** Status-like values in the spellings real exports use; the enrichment must normalise them. */
const PAYMENT_STATUSES = ['active', 'Active', 'ACTIVE', ' active ', 'Past Due', 'past_due', 'PAST-DUE', 'past due', 'failed', 'Failed', 'cancelled', 'trialing'];
const PLANS = ['starter', 'Starter', 'free', 'basic', 'BASIC', 'business', 'Business', 'professional', 'Professional', 'enterprise', 'Enterprise'];
const DEAL_STAGES = ['enterprise', 'Enterprise', 'ENTERPRISE', 'Prospecting', 'Negotiation', 'Closed Won', 'Closed Lost'];
const POOLS: Readonly<Record<string, readonly string[]>> = {
  payment_status: PAYMENT_STATUSES,
  plan: PLANS,
  deal_stage: DEAL_STAGES,
};

/** Values at the enrichment's thresholds, where an off-by-one would show. */
const USAGE_EDGES = [0, 29.99, 30, 49.99, 50, 59.99, 60, 79.99, 80, 100];

/** Valid spellings of a number: all parse to the same value. */
function spell(value: number, style: number, integer: boolean): string {
  switch (style) {
    case 1:
      return `+${value}`;
    case 2:
      return integer ? `${value}.0` : value.toFixed(2);
    case 3:
      return `0${value}`;
    case 4:
      return value.toExponential();
    default:
      return String(value);
  }
}

function numberCellArb(column: string, kind: Extract<FieldKind, { type: 'int' | 'number' }>): fc.Arbitrary<string> {
  const min = kind.min ?? 0;
  const max = kind.max ?? 100_000;
  const integer = kind.type === 'int';
  const values = integer
    ? fc.integer({ min, max })
    : fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((k) => k / 100);
  const withEdges = column === 'usage_pct' ? fc.oneof(values, fc.constantFrom(...USAGE_EDGES)) : values;
  return fc
    .tuple(withEdges, fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }))
    .map(([v, style]) => spell(v, style, integer));
}

const DAY_MS = 86_400_000;
/** Calendar dates 1990-01-01 .. about 2044, as YYYY-MM-DD. */
const dateCellArb = fc.integer({ min: 7305, max: 27_000 }).map((d) => new Date(d * DAY_MS).toISOString().slice(0, 10));

/** A valid cell for `column`; '' (an empty cell, meaning "absent") about one time in six. */
function cellArb(column: string, kind: FieldKind): fc.Arbitrary<string> {
  let value: fc.Arbitrary<string>;
  const pool = POOLS[column];
  if (pool !== undefined) value = fc.constantFrom(...pool);
  else if (kind.type === 'string') value = textArb;
  else if (kind.type === 'date') value = dateCellArb;
  else value = numberCellArb(column, kind);
  return fc.option(value, { nil: '' });
}

// ---------------------------------------------------------------------------------------------
// Tables and datasets

/** Extra columns a source may carry (kept on the profile as text), some awkward to quote. */
const EXTRA_COLUMNS = ['region', 'notes', 'Notes, quoted', 'say "hi"', '名前', 'health_score'];
const MAX_EXTRAS = 2;
const MAX_PICK = 63;

const formatArb: fc.Arbitrary<CsvFormat> = fc.record({
  crlf: fc.boolean(),
  bom: fc.boolean(),
  quoteAll: fc.boolean(),
  noFinalNewline: fc.boolean(),
});

/** A table before its ids are resolved: each row picks an id from the dataset's pool by index. */
interface RawTable {
  readonly rows: readonly { readonly pick: number; readonly known: Readonly<Record<string, string>>; readonly extra: readonly string[] }[];
  readonly extras: readonly string[];
  readonly dropped: readonly string[];
  readonly order: readonly number[];
  readonly format: CsvFormat;
}

function rawTableArb(source: SourceName, maxRows: number): fc.Arbitrary<RawTable> {
  const fields = Object.entries(SOURCE_FIELDS[source]).filter(([name]) => name !== 'customer_id');
  const known: Record<string, fc.Arbitrary<string>> = {};
  for (const [name, kind] of fields) known[name] = cellArb(name, kind);
  const names = fields.map(([name]) => name);
  return fc.record({
    rows: fc.array(
      fc.record({
        pick: fc.nat({ max: MAX_PICK }),
        known: fc.record(known),
        extra: fc.array(textArb, { minLength: MAX_EXTRAS, maxLength: MAX_EXTRAS }),
      }),
      { maxLength: maxRows },
    ),
    extras: fc.uniqueArray(fc.constantFrom(...EXTRA_COLUMNS), { maxLength: MAX_EXTRAS }),
    dropped: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray(names, { maxLength: 3 }) }),
    order: fc.array(fc.nat({ max: 7 }), { minLength: names.length + MAX_EXTRAS + 1, maxLength: names.length + MAX_EXTRAS + 1 }),
    format: formatArb,
  });
}

function resolveTable(source: SourceName, raw: RawTable, ids: readonly string[]): SourceTable {
  const known = Object.keys(SOURCE_FIELDS[source]).filter((c) => !raw.dropped.includes(c));
  const natural = [...known, ...raw.extras];
  // A stable sort by the generated keys: all-zero keys (what shrinking tends to) keep the natural order.
  const columns = natural
    .map((c, i) => ({ c, k: raw.order[i] ?? 0, i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.c);
  const rows = raw.rows.map((r) => {
    const cells: Record<string, string> = { customer_id: ids[r.pick % ids.length]! };
    for (const c of known) if (c !== 'customer_id') cells[c] = r.known[c] ?? '';
    raw.extras.forEach((c, i) => {
      cells[c] = r.extra[i] ?? '';
    });
    return cells;
  });
  return { columns, rows, format: raw.format };
}

export interface DatasetOptions {
  /** Most distinct customer ids in the dataset (default 8: duplicates and gaps are frequent). */
  readonly maxCustomers?: number;
  /** Most data rows per file (default 10). */
  readonly maxRows?: number;
}

/**
 * Small valid datasets. Rows of every source draw their ids from one pool, so a customer may be
 * missing from any source, appear several times in one, or be an orphan (in no CRM row).
 */
export function datasetArb(options: DatasetOptions = {}): fc.Arbitrary<Dataset> {
  const maxRows = options.maxRows ?? 10;
  return fc
    .record({
      ids: fc.uniqueArray(idArb, { minLength: 1, maxLength: options.maxCustomers ?? 8 }),
      crm: rawTableArb('crm', maxRows),
      billing: rawTableArb('billing', maxRows),
      product: rawTableArb('product', maxRows),
      support: rawTableArb('support', maxRows),
    })
    .map(({ ids, ...raw }) => {
      const out = {} as Record<SourceName, SourceTable>;
      for (const s of SOURCE_NAMES) out[s] = resolveTable(s, raw[s], ids);
      // A failing property prints its counterexample as the CSV files themselves.
      return Object.defineProperty(out, fc.toStringMethod, { value: () => describeDataset(out), enumerable: false });
    });
}

/**
 * How shards obtain their rows (RunInput.data_path): `scan` (every shard streams every source) or
 * `partition` (partition_source splits each source into per-shard slices first). Small inputs
 * default to `scan`, so the suites pick one explicitly to cover both.
 */
export const dataPathArb: fc.Arbitrary<'scan' | 'partition'> = fc.constantFrom('scan', 'partition');

/** Shard counts for pipeline runs: mostly small (fast), up to `max`, edges included. */
export function shardCountArb(max = 64): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: Math.min(8, max) }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max }) },
    { weight: 1, arbitrary: fc.constantFrom(1, max) },
  );
}
