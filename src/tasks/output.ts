import type { ShardInput } from './contracts.js';

const pad = (n: number): string => String(n).padStart(4, '0');

/** Where a shard writes its profiles, relative to the run's out_dir. */
export function profilesFile(input: Pick<ShardInput, 'shard_index' | 'shard_count'>): string {
  return `profiles/shard-${pad(input.shard_index)}-of-${pad(input.shard_count)}.jsonl`;
}

/** Where a shard writes its rejected rows, relative to the run's out_dir. */
export function rejectsFile(input: Pick<ShardInput, 'shard_index' | 'shard_count'>): string {
  return `rejects/shard-${pad(input.shard_index)}-of-${pad(input.shard_count)}.jsonl`;
}
