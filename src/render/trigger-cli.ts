#!/usr/bin/env node
/**
 * `npm run trigger -- [--shards N] [--local] [--data URL] [--json]`: runs merge_customer_data on
 * Render Workflows and prints the outcome; reports failures as `npm start` does.
 */
import { reportFailure } from '../cli/failure.js';
import type { TriggerClientLike } from './client.js';
import { loadRenderClass } from './sdk.js';
import { clientOptions, renderTarget } from './target.js';
import { TRIGGER_USAGE, parseTriggerArgs } from './trigger-args.js';
import { formatOutcome, triggerRun } from './trigger.js';
import { triggerFailure } from './trigger-failure.js';

async function main(): Promise<number> {
  const opts = parseTriggerArgs(process.argv.slice(2), process.env, process.cwd());
  if (opts.help) {
    process.stdout.write(`${TRIGGER_USAGE}\n`);
    return 0;
  }
  const Render = await loadRenderClass<TriggerClientLike>();
  const client = new Render(clientOptions(opts));
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const outcome = await triggerRun(client, {
    slug: opts.slug,
    input: opts.input,
    onStarted: (id) => say(`started ${opts.slug}/merge_customer_data as task run ${id}${opts.local ? ' (local dev server)' : ''}`),
    onStatus: (status) => say(`  run status: ${status}`),
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatOutcome(outcome)}\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const argv = process.argv.slice(2);
    const local = argv.includes('--local') || renderTarget(false, process.env).local;
    process.exitCode = reportFailure('customer-merge trigger', triggerFailure(err, local), argv);
  },
);
