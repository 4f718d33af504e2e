/**
 * The dataset generator's public API: write datasets with `generateDataset`, and get
 * the exact records any customer has with `customerRows` / `emittedRows` (for parse-back and
 * property tests). Everything here is deterministic in (seed, options).
 */
export { COLUMNS, NUMERIC_COLUMNS, SIDE_SOURCES, SOURCES, SOURCE_FILE } from './columns.js';
export type { SideSource, Source } from './columns.js';
export { customerId, idWidth } from './context.js';
export { generateDataset } from './dataset.js';
export type { FileReport, GenerateOptions, GenerateReport } from './dataset.js';
export { DEFAULT_REFERENCE_DATE } from './dates.js';
export { BAD_NUMBERS, DIRTY_KINDS } from './planted.js';
export type { DirtyKind, PlantedRow } from './planted.js';
export { GenerationAbortedError, GeneratorOptionError, WorkerFailedError, WorkerScriptMissingError } from './errors.js';
export { DIRTY_MANIFEST_FILE, MANIFEST_FILE } from './manifest.js';
export type { FileSummary } from './manifest.js';
export type { Progress } from './progress.js';
export { cellText, recordCells } from './records.js';
export type { AnyRecord, BillingRecord, CrmRecord, ProductRecord, SourceRecords, SupportRecord } from './records.js';
export { customerRows, emittedRows } from './rows.js';
export type { CustomerRows, EmittedRows, RowOptions } from './rows.js';
export { normaliseSpec } from './spec.js';
export type { Coverage, DataSpec, RealismOptions } from './spec.js';
