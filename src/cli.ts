#!/usr/bin/env node
/**
 * `npm start -- [options]`: runs `merge_customer_data` on the embedded runtime. Progress on stderr,
 * the summary (or `--json` RunResult) on stdout; on failure exit 1 with one line (src/cli/failure.ts).
 */
import { resolve } from 'node:path';
import { USAGE, parseCli } from './cli/args.js';
import { failureOf, reportFailure } from './cli/failure.js';
import { checkPaths } from './cli/paths.js';
import { Progress } from './cli/progress.js';
import { formatSummary } from './cli/summary.js';
import { isRemote } from './io/source.js';
import { isStoreLocation } from './io/source-store.js';
import { formatLocation, parseLocation } from './io/store/index.js';
import { configureLogging, parseLogLevel } from './log/logger.js';
import { LocalRuntime } from './runtime/local.js';
import { LOCAL_DATABASE_URL, DATABASE_URL_ENV, checkDatabaseUrl } from './sinks/postgres-url.js';
import { mergeCustomerData } from './tasks/merge-customer-data.js';

async function main(): Promise<number> {
  const opts = parseCli(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  await checkPaths(opts);
  let env: Record<string, string> | undefined;
  if (opts.sink === 'postgres') {
    // The URL reaches the tasks only through their environment, never through task arguments:
    // the root task runs in this process, the shards in workers that get `env`.
    const from = opts.databaseUrl !== undefined ? '--database-url' : process.env[DATABASE_URL_ENV] ? DATABASE_URL_ENV : 'default';
    const url = checkDatabaseUrl(opts.databaseUrl ?? (process.env[DATABASE_URL_ENV] || LOCAL_DATABASE_URL), from);
    process.env[DATABASE_URL_ENV] = url;
    env = { [DATABASE_URL_ENV]: url };
  }
  // Every log line goes through `progress.log` so the bar stays intact. Without LOG_LEVEL the CLI
  // logs nothing (progress already reports failed attempts); LOG_LEVEL=info tells each shard's story.
  const progress = new Progress(opts.shards, process.stderr, opts.workers);
  const logLevel = parseLogLevel(process.env['LOG_LEVEL'], 'silent');
  configureLogging({ level: logLevel, write: progress.log });
  const runtime = new LocalRuntime({
    concurrency: opts.concurrency,
    env: { ...env, LOG_LEVEL: logLevel, LOG_FORMAT: 'json' },
    onWorkerStderr: (line) => progress.log(line),
  });
  runtime.on(progress.onEvent);
  try {
    const result = await runtime.run(mergeCustomerData, {
      data: isRemote(opts.data) ? opts.data : resolve(opts.data),
      out_dir: isStoreLocation(opts.out) ? formatLocation(parseLocation(opts.out)) : resolve(opts.out),
      shards: opts.shards,
      workers: opts.workers,
      max_rejects: opts.maxRejects,
      resume: opts.resume,
      ...(opts.sink === 'postgres' ? { sink: { kind: 'postgres' as const } } : {}),
      ...(opts.dataPath !== undefined ? { data_path: opts.dataPath } : {}),
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
    process.exitCode = reportFailure('customer-merge', failureOf(err), process.argv.slice(2));
  },
);
