import { InvalidOptionError } from '../core/errors.js';
import { SOURCE_NAMES } from '../core/schema.js';
import type { SourceName } from '../core/schema.js';
import { defineTask } from '../runtime/task.js';
import type { TaskContext } from '../runtime/task.js';
import { deal, eachInTurn } from './groups.js';
import { PARTITION_SOURCES_OPTIONS } from './options.js';
import { partitionOne } from './partition-source.js';
import type { PartitionInput, PartitionResult } from './partition-source.js';

/** Input of `partition_sources`: a PartitionInput for each of `sources`, run one after the other. */
export type PartitionGroupInput = Omit<PartitionInput, 'source'> & { readonly sources: readonly SourceName[] };

/** Output of `partition_sources`: each source's result, in `sources` order. */
export interface PartitionGroupResult {
  readonly sources: PartitionResult[];
}

/**
 * `partition_sources(ctx, input)`: `partition_source` for each source of a group in one process
 * (one process start per group); a retry reuses the sources already finished.
 */
export const partitionSources = defineTask(PARTITION_SOURCES_OPTIONS, async (_ctx: TaskContext, input: PartitionGroupInput): Promise<PartitionGroupResult> => {
  const { sources: group, ...rest } = checkGroup(input);
  return { sources: await eachInTurn(group, (source) => partitionOne({ ...rest, source })) };
});

function checkGroup(input: PartitionGroupInput): PartitionGroupInput {
  if (typeof input !== 'object' || input === null) throw new InvalidOptionError(`PartitionGroupInput must be a JSON object, got ${JSON.stringify(input)}`);
  const sources: unknown = input.sources;
  if (!Array.isArray(sources) || sources.length === 0 || new Set(sources).size !== sources.length || !sources.every((s) => (SOURCE_NAMES as readonly unknown[]).includes(s))) {
    throw new InvalidOptionError(`PartitionGroupInput.sources must be a non-empty list of distinct sources (${SOURCE_NAMES.join(', ')}), got ${JSON.stringify(sources)}`);
  }
  return input;
}

/**
 * Splits the four sources into `groups` groups of about equal bytes (largest first, to the
 * lightest group), sources in SOURCE_NAMES order, groups by first source.
 */
export function dealSources(bytes: Readonly<Record<SourceName, number>>, groups: number): SourceName[][] {
  return deal(SOURCE_NAMES.map((s) => bytes[s]), groups, 'balanced').map((g) => g.map((i) => SOURCE_NAMES[i]!));
}
