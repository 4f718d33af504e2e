/**
 * A task registry for the "killed mid-load" test of the PostgreSQL sink: the project's tasks,
 * with every shard's first load exiting its worker process after COPY and the upsert, before
 * COMMIT. Workers load it by path (`LocalRuntime({ registry })`), so it lives under src/ and is
 * compiled by `npm run build`. The platform passes no attempt number, so a shard's first attempt
 * leaves a marker under `<out_dir>/.test-markers/` and the retry, finding it, goes on.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setBeforeCommit } from '../sinks/postgres.js';
import type { ShardTarget } from '../sinks/sink.js';
import { tasks as projectTasks } from '../tasks/registry.js';

/** Exits the process on a shard's first load; later loads of the shard go on. */
export function crashOnFirstLoad(input: ShardTarget): void {
  const dir = join(input.out_dir, '.test-markers');
  const marker = join(dir, `pg-crash-before-commit-shard-${input.shard_index}-of-${input.shard_count}`);
  if (existsSync(marker)) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, `${process.pid}\n`);
  process.stderr.write(`crashing shard ${input.shard_index} before COMMIT\n`);
  process.exit(1);
}

setBeforeCommit(crashOnFirstLoad);

export const tasks = projectTasks;
