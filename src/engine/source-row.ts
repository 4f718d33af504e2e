import { ENRICHMENT_FIELDS } from '../core/enrich.js';
import type { SourceFields, SourceName } from '../core/schema.js';

/**
 * A typed, validated row of one source. Its fields travel as JSON text, made once while typing and
 * never re-serialised; `rowFields` gives the object back.
 */
export interface SourceRow {
  readonly kind: 'row';
  readonly source: SourceName;
  readonly line: number;
  readonly customerId: string;
  /** The typed fields without `customer_id`, empty cells absent: exactly `JSON.stringify(fields)`. */
  readonly json: string;
  /** The typed values of the row's ENRICHMENT_FIELDS that are present (what enrich reads). */
  readonly pick: SourceFields;
}

/** The fields object of a row (numbers for numeric columns, strings otherwise). */
export function rowFields(row: SourceRow): SourceFields {
  return JSON.parse(row.json) as SourceFields;
}

/** A row from a fields object: for tests and callers that build rows by hand. */
export function makeRow(source: SourceName, line: number, customerId: string, fields: SourceFields): SourceRow {
  const pick: SourceFields = {};
  for (const name of ENRICHMENT_FIELDS[source]) {
    const v = fields[name];
    if (v !== undefined) pick[name] = v;
  }
  return { kind: 'row', source, line, customerId, json: JSON.stringify(fields), pick };
}
