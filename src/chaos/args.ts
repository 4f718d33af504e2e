/** `npm run chaos` options: the table, the help text and the parsing (argv in, settings or an error out). */
import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../core/errors.js';
import { assertShardCount } from '../core/routing.js';
import { formatHelp, numberIn, parseTable, wholeNumberIn } from '../cli/options.js';
import { SCENARIO_NAMES } from './scenarios.js';
import type { DrillOptions } from './drill.js';
import type { ScenarioName } from './scenarios.js';

/** The drill's options. */
export const DRILL_OPTIONS = {
  data: { type: 'string', value: 'DIR', help: 'source CSVs', shownDefault: 'data/, or src/testdata/tutorial-2000 when data/ is empty' },
  shards: { type: 'string', value: 'N', help: 'shard count', default: 10, parse: wholeNumberIn(1, 1024) },
  concurrency: { type: 'string', value: 'N', help: 'shards running at once', shownDefault: 'CPU count', parse: wholeNumberIn(1, 256) },
  seed: { type: 'string', value: 'S', help: 'seed of the failure rate and of the kill point', default: 1, parse: wholeNumberIn(0, Number.MAX_SAFE_INTEGER) },
  'fail-rate': { type: 'string', value: 'R', help: 'fraction of attempts failing in fail-rate', default: 0.3, parse: numberIn(0, 0.9) },
  shard: { type: 'string', value: 'K', help: 'shard hit by fail-shard, crash and hang', shownDefault: '3, or the last shard' },
  'hang-timeout': { type: 'string', value: 'S', help: 'process_shard timeout in the hang scenario', default: 5, parse: wholeNumberIn(1, 600) },
  'retry-wait-ms': { type: 'string', value: 'MS', help: 'first retry wait in the drill (task: 2000)', default: 50, parse: wholeNumberIn(0, 60_000) },
  scenarios: { type: 'string', value: 'LIST', help: `comma-separated subset of ${SCENARIO_NAMES.join(',')}` },
  out: { type: 'string', value: 'DIR', help: "keep every scenario's output under DIR", shownDefault: 'a temporary folder, removed on success' },
  json: { type: 'boolean', help: 'print the report as JSON' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const;

export const DRILL_USAGE = formatHelp(
  'npm run chaos -- [options]',
  'Runs the pipeline under injected faults and proves recovery: a fault-free baseline, then\nfail-shard, fail-rate, crash, hang and kill-resume, each checked against the baseline.',
  DRILL_OPTIONS,
);

/** The drill's settings as the command line gave them. */
export interface DrillArgs extends Pick<DrillOptions, 'shards' | 'concurrency' | 'seed' | 'failRate' | 'target' | 'hangTimeoutSeconds'> {
  readonly help: boolean;
  readonly json: boolean;
  /** --data as given; the CLI picks the default. */
  readonly data: string | undefined;
  readonly out: string | undefined;
  readonly retryWaitMs: number;
  readonly scenarios: ScenarioName[];
}

/** Parses `npm run chaos` arguments; a refused option throws one line naming it and its value. */
export function parseDrillArgs(argv: readonly string[]): DrillArgs {
  const values = parseTable(argv, DRILL_OPTIONS);
  const { shards } = values;
  assertShardCount(shards, '--shards');
  const scenarios = (values.scenarios ?? SCENARIO_NAMES.join(',')).split(',').map((s) => s.trim());
  for (const s of scenarios) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(s)) throw new InvalidOptionError(`--scenarios: unknown scenario ${JSON.stringify(s)} (known: ${SCENARIO_NAMES.join(', ')})`);
  }
  return {
    help: values.help === true,
    json: values.json === true,
    data: values.data,
    out: values.out,
    shards,
    concurrency: values.concurrency ?? availableParallelism(),
    seed: values.seed,
    failRate: values['fail-rate'],
    target: values.shard === undefined ? Math.min(3, shards - 1) : wholeNumberIn(0, shards - 1)(values.shard, '--shard'),
    hangTimeoutSeconds: values['hang-timeout'],
    retryWaitMs: values['retry-wait-ms'],
    scenarios: scenarios as ScenarioName[],
  };
}
