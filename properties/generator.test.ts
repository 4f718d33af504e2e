/**
 * Law 8: generator round trip. For random seeds, sizes and realism knobs, the files
 * `generateDataset` writes parse back (through the pipeline's own `readRows`) into exactly the
 * records the generator's per-customer function says it wrote, in file order; planted bad lines
 * (`dirty`) become rejects, one each, and disturb no clean row.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { readRows, rowFields } from '../src/engine/index.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../src/core/schema.js';
import type { SourceFields } from '../src/core/schema.js';
import { emittedRows, generateDataset } from '../generators/index.js';
import type { AnyRecord, RowOptions } from '../generators/index.js';
import { withTempDir } from './pipeline.js';
import { budget, pipelineRuns } from './runs.js';

/** What a parsed row of `record` must hold: every non-empty cell but the id, numbers as numbers. */
function fieldsOf(record: AnyRecord): SourceFields {
  const out: SourceFields = {};
  for (const [column, value] of Object.entries(record)) if (column !== 'customer_id' && value !== '') out[column] = value;
  return out;
}

const rate = (max: number) => fc.oneof(fc.constant(0), fc.double({ min: 0, max, noNaN: true }));
const knobsArb = fc.record({
  coverage: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  duplicates: rate(2),
  orphans: rate(0.5),
});

const runs = budget(pipelineRuns(), 1_500);

test.prop([fc.nat({ max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 60 }), knobsArb, rate(0.3)], runs.params)(
  'law 8, generator round trip: generated files parse back into exactly the records generated for (seed, index), in file order, and every planted bad line is one reject',
  (seed, customers, knobs, dirty) =>
    withTempDir(async (dir) => {
      const out = join(dir, 'data');
      const report = await generateDataset({ customers, seed, out, workers: 0, quiet: true, ...knobs, dirty });
      const options: RowOptions = { customers, ...knobs };
      const expected = Array.from({ length: customers }, (_, i) => emittedRows(seed, i, options));
      let rejects = 0;
      for (const source of SOURCE_NAMES) {
        const file = join(out, SOURCE_FILES[source]);
        const rows: { customerId: string; fields: SourceFields }[] = [];
        for await (const ev of readRows(createReadStream(file), { file, source })) {
          if (ev.kind === 'row') rows.push({ customerId: ev.customerId, fields: rowFields(ev) });
          else rejects++;
        }
        const want = expected.flatMap((e) => e[source].map((r) => ({ customerId: String(r.customer_id), fields: fieldsOf(r) })));
        expect(rows, `${SOURCE_FILES[source]} (seed ${seed}, ${customers} customers)`).toStrictEqual(want);
      }
      // report.planted counts every planted line, the unclosed quote that ends each file included.
      expect(rejects, 'one reject per planted line').toBe(report.planted);
      if (dirty === 0) expect(rejects).toBe(0);
    }),
  runs.timeout,
);

