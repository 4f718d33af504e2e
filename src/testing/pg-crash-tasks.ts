/**
 * A task registry for the "killed mid-load" PostgreSQL test: each shard's first load exits its
 * worker after COPY and the upsert, before COMMIT; a marker under `.test-markers/` lets the retry pass.
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
