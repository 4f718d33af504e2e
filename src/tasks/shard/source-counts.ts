import type { SourceName } from '../../core/schema.js';
import type { SourceCounts } from '../contracts.js';

/** Counts of zero for every source. */
export function zeroSourceCounts(): Record<SourceName, SourceCounts> {
  const z = { read: 0, merged: 0, rejected: 0, duplicates: 0 };
  return { crm: { ...z }, billing: { ...z }, product: { ...z }, support: { ...z } };
}
