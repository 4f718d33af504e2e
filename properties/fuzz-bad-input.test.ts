/**
 * Fuzzing the whole pipeline with broken input: valid CSVs are mutated byte-wise (bytes dropped,
 * duplicated, swapped; files truncated; quotes, commas and line ends injected) and the run must
 * either fail fast with a clear `SourceFileError` / `InvalidOptionError` naming the right file,
 * exactly when an independent check says the file is unusable, or complete with conservation per
 * source: every rejected row in the report, rows read equal to
 * the number of data records an independent, slow parser finds, and rows merged equal to that
 * number less the report's entries. Nothing else may escape.
 *
 * Runs on the in-process runtime for speed; numRuns comes from properties/setup.ts.
 */
import { isUtf8 } from 'node:buffer';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, SourceFileError } from '../src/core/errors.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../src/core/schema.js';
import type { SourceName } from '../src/core/schema.js';
import { InlineRuntime } from '../src/runtime/inline.js';
import { dataEventsSlowly, parseCsvSlowly } from '../src/testing/csv-oracle.js';
import type { RunResult } from '../src/tasks/contracts.js';
import { mergeCustomerData } from '../src/tasks/merge-customer-data.js';
import type { RejectRecord } from '../src/tasks/shard/work.js';

process.env['LOG_LEVEL'] ??= 'silent';

const BASE = fileURLToPath(new URL('../src/testdata/bad/base/', import.meta.url));
let base: Record<SourceName, Buffer>;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'fuzz-bad-input-'));
  base = { crm: Buffer.alloc(0), billing: Buffer.alloc(0), product: Buffer.alloc(0), support: Buffer.alloc(0) };
  for (const s of SOURCE_NAMES) base[s] = await readFile(join(BASE, SOURCE_FILES[s]));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

type Mutation =
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number }
  | { readonly kind: 'swap'; readonly at: number; readonly with: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'inject'; readonly at: number; readonly text: string };

const position = fc.nat({ max: 100_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  position.map((at) => ({ kind: 'drop' as const, at })),
  position.map((at) => ({ kind: 'duplicate' as const, at })),
  fc.tuple(position, position).map(([at, w]) => ({ kind: 'swap' as const, at, with: w })),
  { weight: 1, arbitrary: position.map((at) => ({ kind: 'truncate' as const, at })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(position, fc.constantFrom('"', ',', '\n', '\r\n', '\r', '""', ',"', '"\n', '\n\n'))
      .map(([at, text]) => ({ kind: 'inject' as const, at, text })),
  },
);

/** Applies a mutation; positions wrap around the current length, so every draw lands. */
function mutate(bytes: Buffer, m: Mutation): Buffer {
  const n = bytes.length;
  if (n === 0) return m.kind === 'inject' ? Buffer.from(m.text) : bytes;
  const at = m.at % n;
  switch (m.kind) {
    case 'drop':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
    case 'duplicate':
      return Buffer.concat([bytes.subarray(0, at + 1), bytes.subarray(at)]);
    case 'swap': {
      const copy = Buffer.from(bytes);
      const w = m.with % n;
      copy[at] = bytes[w]!;
      copy[w] = bytes[at]!;
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'inject':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text), bytes.subarray(at)]);
  }
}

const damage = fc.array(fc.record({ source: fc.constantFrom(...SOURCE_NAMES), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) }), {
  minLength: 1,
  maxLength: 3,
});

/**
 * Why a source cannot be used at all, decided without the pipeline's code: empty, not UTF-8, no
 * record, a malformed first record, or a header with an unnamed, repeated or missing customer_id
 * column. Undefined when usable.
 */
function unusable(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return 'empty';
  if (!isUtf8(bytes)) return 'not UTF-8';
  const events = parseCsvSlowly(bytes.toString('utf8'), 'first');
  const first = events[0];
  if (first === undefined) return 'no header';
  if (first.kind === 'malformed') return 'malformed header';
  const names = first.fields.map((f) => f.trim());
  if (names.some((n) => n === '') || new Set(names).size !== names.length || !names.includes('customer_id')) return 'bad header';
  return undefined;
}

function innermost(err: unknown): unknown {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e;
}

let serial = 0;

describe('fuzzing the pipeline with mutated CSVs', () => {
  it('seed 505: fails fast with a clear error exactly when a file is unusable, else conserves every row', async () => {
    await fc.assert(
      fc.asyncProperty(damage, fc.integer({ min: 1, max: 4 }), async (damages, shards) => {
        const files = { ...base };
        for (const d of damages) for (const m of d.mutations) files[d.source] = mutate(files[d.source], m);
        const dir = join(tmp, `run-${serial++}`);
        const data = join(dir, 'data');
        const out = join(dir, 'out');
        await rm(dir, { recursive: true, force: true });
        await mkdir(data, { recursive: true });
        for (const s of SOURCE_NAMES) await writeFile(join(data, SOURCE_FILES[s]), files[s]);
        const firstBad = SOURCE_NAMES.find((s) => unusable(files[s]) !== undefined);

        let result: RunResult | undefined;
        try {
          const rt = new InlineRuntime({ retry: { maxRetries: 0, waitDurationMs: 0 }, sleep: async () => {} });
          result = await rt.run(mergeCustomerData, { data, out_dir: out, shards, max_rejects: 1_000_000 });
        } catch (err) {
          const e = innermost(err);
          // Only the two permanent, user-facing error kinds may escape, with one clear line.
          expect(e instanceof SourceFileError || e instanceof InvalidOptionError, `unexpected ${String(e)}`).toBe(true);
          const message = (e as Error).message;
          expect(message).not.toContain('\n');
          expect(firstBad, `failed although every file is usable: ${message}`).toBeDefined();
          expect(message.startsWith(`${join(data, SOURCE_FILES[firstBad!])}: `), message).toBe(true);
          await rm(dir, { recursive: true, force: true });
          return;
        }
        expect(firstBad, `completed although ${firstBad} is ${firstBad && unusable(files[firstBad])}`).toBeUndefined();
        const text = await readFile(join(out, 'rejects.jsonl'), 'utf8');
        const report = text === '' ? [] : text.trimEnd().split('\n').map((l) => JSON.parse(l) as RejectRecord);
        for (const s of SOURCE_NAMES) {
          const c = result.sources[s];
          const mine = report.filter((r) => r.source === s);
          expect(mine.length, `${s}: every rejected row is in the report`).toBe(c.rejected);
          const events = parseCsvSlowly(files[s].toString('utf8'), 'first');
          // read is merged + rejected by construction: each side is checked against an independent count.
          const records = dataEventsSlowly(files[s].toString('utf8'));
          expect(c.read, `${s}: rows read = data records found independently`).toBe(records);
          expect(c.merged, `${s}: rows merged = records found independently - entries of the report`).toBe(records - mine.length);
          const starts = new Set(events.slice(1).map((e) => e.line));
          for (const r of mine) expect(starts.has(r.line), `${s}: reject at line ${r.line} starts a record`).toBe(true);
        }
        expect(result.records_processed).toBe(SOURCE_NAMES.reduce((n, s) => n + result!.sources[s].read, 0));
        await rm(dir, { recursive: true, force: true });
      }),
      { seed: 505 },
    );
  }, 900_000);
});
