/**
 * The byte engine's public face: CSV bytes to typed rows and rejects, routed by id, merged into
 * profiles in a columnar byte arena. Code outside src/engine/ imports the engine only from here.
 */
export { copyBytes } from './arena.js';
export { CsvParser } from './csv.js';
export type { CsvEvent, CsvMalformed, CsvParserOptions, CsvRecord, LineRouter } from './csv.js';
export { Merger, MergerMemory, zeroCounts } from './merge.js';
export type { MergeCounts } from './merge.js';
export { shardOfBytes, shardOfUnchecked } from './route.js';
export { checkHeader, headerOf, leadingId, noHeader, readRowBatches, readRows } from './rows.js';
export type { LeadingColumn, ReadRowsOptions, Reject, RowEvent } from './rows.js';
export { makeRow, rowFields } from './source-row.js';
export type { SourceRow } from './source-row.js';
export { Utf8Validator, firstInvalidUtf8 } from './utf8.js';
