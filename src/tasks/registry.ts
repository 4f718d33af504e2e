import type { AnyTask } from '../runtime/task.js';
import { mergeCustomerData } from './merge-customer-data.js';
import { partitionSource } from './partition-source.js';
import { partitionSources } from './partition-sources.js';
import { prepareRun } from './prepare-run.js';
import { processShard } from './process-shard.js';
import { processShards } from './process-shards.js';

/**
 * Every task of the project, exactly as registered everywhere: the embedded runtime's workers
 * look tasks up here by name, and the Render entry registers these same definitions.
 */
export const tasks: readonly AnyTask[] = [prepareRun, partitionSource, partitionSources, processShard, processShards, mergeCustomerData];
