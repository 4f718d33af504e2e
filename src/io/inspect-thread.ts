/**
 * Worker-thread entry of `inspectSources` (inspect-source.ts): inspects the sources it is given
 * one after another and posts their outcomes, errors included, as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceName } from '../core/schema.js';
import { outcomeOf } from './inspect-source.js';
import type { InspectOutcome } from './inspect-source.js';

const { data, sources } = workerData as { data: string; sources: SourceName[] };
const outcomes: [SourceName, InspectOutcome][] = [];
for (const source of sources) outcomes.push([source, await outcomeOf(data, source)]);
parentPort!.postMessage(outcomes);
