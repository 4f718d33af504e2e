import type { ProfileLine } from '../core/profile.js';
import type { ShardNaming } from '../io/output-names.js';

/**
 * Where profiles go. Never carries a credential: a PostgreSQL sink's shards read the
 * connection URL from their own environment (`DATABASE_URL`).
 */
export type SinkDescriptor =
  | { readonly kind: 'files' }
  | { readonly kind: 'postgres'; readonly table?: string; readonly schema?: string };

/** What a sink needs of a shard: which shard of how many, its input digest, and the run's out_dir. */
export interface ShardTarget extends ShardNaming {
  readonly out_dir: string;
}

/**
 * Where a shard puts its profiles (never through the orchestrator). All-or-nothing: after `abort`
 * or a crash before `commit`, nothing of the shard is visible under final names.
 */
export interface ProfileSink {
  /** Starts one shard's output. Profiles arrive sorted by customer id. */
  open(input: ShardTarget): Promise<SinkSession>;
}

export interface SinkSession {
  write(profile: ProfileLine): Promise<void> | void;
  commit(): Promise<SinkReceipt>;
  abort(): Promise<void>;
}

/** What a committed shard output is: a file (relative to out_dir) and its checksum, plus any
 * sink-specific counts (rows inserted, updated, unchanged). */
export interface SinkReceipt {
  readonly output_file: string;
  readonly checksum: string;
  readonly load?: { readonly inserted: number; readonly updated: number; readonly unchanged: number };
}
