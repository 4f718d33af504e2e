/**
 * The JSON shapes that cross task boundaries. They carry descriptors (where the data is, which
 * shard, where output goes) and compact results, never rows, so every argument stays far below
 * Render's 4 MB cap whatever the dataset size.
 */
import type { Distribution } from '../core/stats.js';
import type { Profile } from '../core/merge.js';
import type { SourceName } from '../core/schema.js';

/** Input of `merge_customer_data`. */
export interface RunInput {
  /** A local directory or an http(s) base URL holding crm.csv, billing.csv, product.csv, support.csv. */
  readonly data: string;
  /** Directory the shards write their output under. */
  readonly out_dir: string;
  /** Number of shards, 1..1024. */
  readonly shards: number;
  /** Rows that may be rejected before the run fails (default 0: strict). */
  readonly max_rejects?: number;
  /** Names the run in logs; derived from the input when absent. */
  readonly run_id?: string;
}

/** Input of `process_shard`. */
export interface ShardInput {
  readonly run_id: string;
  readonly shard_index: number;
  readonly shard_count: number;
  readonly data: string;
  readonly out_dir: string;
}

/** Rows of one source as a shard (or the run) accounted for them: read = merged + rejected. */
export interface SourceCounts {
  readonly read: number;
  readonly merged: number;
  readonly rejected: number;
  /** Merged rows that a later row of the same customer superseded (see the merge rule). */
  readonly duplicates: number;
}

export type { Distribution };

/** Output of `process_shard`. Paths are relative to the run's `out_dir`. */
export interface ShardResult {
  readonly shard_index: number;
  readonly shard_count: number;
  readonly profiles: number;
  readonly sources: Record<SourceName, SourceCounts>;
  /** Customers of this shard absent from CRM. */
  readonly orphans: number;
  readonly health_score_sum: number;
  readonly churn_distribution: Distribution;
  readonly expansion_distribution: Distribution;
  /** The shard's profile with the smallest customer id, or null for an empty shard. */
  readonly sample_profile: Profile | null;
  readonly output_file: string;
  /** sha256 of the output file, hex. */
  readonly checksum: string;
  /** Rows inserted / updated / unchanged, when the sink is a database. */
  readonly load?: { readonly inserted: number; readonly updated: number; readonly unchanged: number };
  /** Rejected rows of this shard (JSON lines), or null when none. */
  readonly rejects_file: string | null;
  readonly elapsed_ms: number;
}

/** Output of `merge_customer_data`: the tutorial's fields plus what a user needs to trust it. */
export interface RunResult {
  readonly run_id: string;
  readonly profiles_generated: number;
  /** Data rows read from all four sources (merged + rejected). */
  readonly records_processed: number;
  readonly shards_processed: number;
  readonly sample_profile: Profile | null;
  readonly statistics: {
    readonly avg_health_score: number;
    readonly health_score_sum: number;
    readonly churn_distribution: Distribution;
    readonly expansion_distribution: Distribution;
  };
  readonly sources: Record<SourceName, SourceCounts>;
  readonly orphans: number;
  readonly rejected: number;
  readonly out_dir: string;
  readonly output_files: string[];
  readonly rejects_files: string[];
  readonly shards: { readonly shard_index: number; readonly profiles: number; readonly elapsed_ms: number; readonly checksum: string }[];
  readonly elapsed_ms: number;
}
