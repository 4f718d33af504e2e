#!/usr/bin/env node
/**
 * `npm start -- [options]`: runs `merge_customer_data` on the embedded local runtime. Progress
 * goes to stderr, the summary (or, with `--json`, only the RunResult) to stdout. Exit code 0 on
 * success; otherwise 1 with a one-line reason on stderr.
 */
import { resolve } from 'node:path';
import { USAGE, parseCli } from './cli/args.js';
import { Progress } from './cli/progress.js';
import { formatSummary } from './cli/summary.js';
import { isUrl } from './io/source.js';
import { LocalRuntime } from './runtime/local.js';
import { mergeCustomerData } from './tasks/merge-customer-data.js';

async function main(): Promise<number> {
  const opts = parseCli(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const runtime = new LocalRuntime({ concurrency: opts.concurrency });
  const progress = new Progress(opts.shards);
  runtime.on(progress.onEvent);
  try {
    const result = await runtime.run(mergeCustomerData, {
      data: isUrl(opts.data) ? opts.data : resolve(opts.data),
      out_dir: resolve(opts.out),
      shards: opts.shards,
      max_rejects: opts.maxRejects,
    });
    progress.finish();
    process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSummary(result)}\n`);
    return 0;
  } finally {
    progress.finish();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const cause = (err as { cause?: unknown }).cause;
    const message = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
    process.stderr.write(`customer-merge: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
