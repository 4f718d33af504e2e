import { InvalidOptionError } from '../../core/errors.js';

/**
 * Deals shards 0..shards-1 to `workers` shard tasks: consecutive groups whose sizes differ by at
 * most one, larger groups first. Every shard is in exactly one group and the groups, read in
 * order, list the shards in order (batches.test.ts). With as many workers as shards (or
 * more) every group holds one shard: the tutorial's one task per shard.
 */
export function dealShards(shards: number, workers: number): number[][] {
  if (!Number.isInteger(shards) || shards < 1) throw new InvalidOptionError(`shard count must be a whole number ≥ 1, got ${JSON.stringify(shards)}`);
  if (!Number.isInteger(workers) || workers < 1) throw new InvalidOptionError(`workers must be a whole number ≥ 1, got ${JSON.stringify(workers)}`);
  const groups = Math.min(shards, workers);
  const base = Math.floor(shards / groups);
  const extra = shards % groups;
  const out: number[][] = [];
  let next = 0;
  for (let g = 0; g < groups; g++) {
    const size = base + (g < extra ? 1 : 0);
    out.push(Array.from({ length: size }, (_, k) => next + k));
    next += size;
  }
  return out;
}
