const pad = (n: number): string => String(n).padStart(4, '0');

/** What names a shard's files: its index and count, and the digest of the run's input when known. */
export interface ShardNaming {
  readonly shard_index: number;
  readonly shard_count: number;
  readonly input_digest?: string | undefined;
}

/**
 * The folder of one input's outputs: the first 12 hex digits of its input digest, so a re-run over
 * the same input finds its finished shards (the manifest checks the full digest). Without a digest,
 * files go directly under `profiles/`.
 */
export function digestDir(digest: string | undefined): string {
  return digest === undefined ? '' : `${digest.slice(0, 12)}/`;
}

/** `shard-0003-of-0010`: index and count, zero-padded so names sort in shard order. */
export function shardStem(input: ShardNaming): string {
  return `shard-${pad(input.shard_index)}-of-${pad(input.shard_count)}`;
}

/** Where a shard writes its profiles, relative to the run's out_dir: `profiles/<digest12>/shard-0003-of-0010.jsonl`. */
export function profilesFile(input: ShardNaming): string {
  return `profiles/${digestDir(input.input_digest)}${shardStem(input)}.jsonl`;
}

/** Where a shard writes its rejected rows, relative to the run's out_dir. */
export function rejectsFile(input: ShardNaming): string {
  return `rejects/${digestDir(input.input_digest)}${shardStem(input)}.jsonl`;
}

/** Where a shard leaves its manifest once its output is complete, relative to the run's out_dir. */
export function manifestFile(input: ShardNaming): string {
  return `manifests/${digestDir(input.input_digest)}${shardStem(input)}.json`;
}

/** Folder of one orchestrator invocation's attempt markers, relative to out_dir (see `claimAttempt`). */
export function attemptsDir(executionId: string): string {
  return `.attempts/${executionId}`;
}
