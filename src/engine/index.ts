/**
 * The byte engine's public face: CSV bytes to typed rows and rejects, routed by id, merged into
 * profiles in a columnar byte arena. Code outside src/engine/ imports the engine only from here.
 */
export { copyBytes } from './arena.js';
export { CsvParser } from './csv.js';
export type { CsvParserOptions, CsvSink } from './csv.js';
export { Merger, MergerMemory, zeroCounts } from './merge.js';
export type { MergeCounts } from './merge.js';
export { shardOfBytes, shardOfUnchecked } from './route.js';
export { firstHeader, headerOf, leadingId, malformedHeader, noHeader, readRowBatches, readRows } from './rows.js';
export type { LeadingColumn, ReadRowsOptions, Reject, RowEvent } from './rows.js';
export { rowFields } from './source-row.js';
export type { SourceRow } from './source-row.js';
export { Utf8Validator } from './utf8.js';
