/**
 * The JSON shapes that cross task boundaries: descriptors and compact results, never rows, so
 * every argument stays far below Render's 4 MB cap.
 */
import type { Distribution } from '../core/stats.js';
import type { Profile } from '../core/profile.js';
import type { SourceName } from '../core/schema.js';
import type { SourceDigest } from '../io/inspect-source.js';
import type { SourceHead } from '../io/inspect-header.js';
import type { SinkDescriptor } from '../sinks/sink.js';

/** Input of `merge_customer_data`. */
export interface RunInput {
  /** A local directory or an http(s) base URL holding crm.csv, billing.csv, product.csv, support.csv. */
  readonly data: string;
  /** Where outputs go: a local directory or `s3://bucket/prefix` (tasks stage privately and publish each file; docs/object-store.md). */
  readonly out_dir: string;
  /** Number of shards, 1..1024. */
  readonly shards: number;
  /** Rows that may be rejected before the run fails (default 0: strict). */
  readonly max_rejects?: number;
  /** Names the run in logs; derived from the input when absent. */
  readonly run_id?: string;
  /** Where shards put their profiles; default files under out_dir. */
  readonly sink?: SinkDescriptor;
  /**
   * `partition`: split each source once, each shard parses its slice; `scan`: every shard streams
   * every source. Unset: decided by `dataPathOf` (merge-customer-data.ts).
   */
  readonly data_path?: 'partition' | 'scan';
  /** Reuse shards a previous run over the same input finished (default true; false is `--force`). */
  readonly resume?: boolean;
  /**
   * Shard tasks the shards are dealt to, 1..shards. Unset or ≥ shards: one `process_shard` per
   * shard; fewer: `process_shards` over consecutive groups, same outputs, one process start per group.
   */
  readonly workers?: number;
}

/** Input of `prepare_run`: where the four sources are. */
export interface PrepareInput {
  /** A local directory or an http(s) base URL, as in RunInput.data. */
  readonly data: string;
  /**
   * `full` (default): stream every source (sizes, sha256, checks, digest). `headers`, for store data
   * on the partition path: HEAD each source and read only its header; the split checks the rest.
   */
  readonly mode?: 'full' | 'headers';
}

/** Output of `prepare_run`: the sources are usable; `input_digest` names their content. */
export interface PrepareResult {
  /** sha256 over `<source>:<sha256>\n` for the four sources: equal digests, equal input. Absent in `headers` mode. */
  readonly input_digest?: string;
  readonly sources: Record<SourceName, SourceDigest | SourceHead>;
}

/**
 * How a shard obtains its rows: `scan` streams every source and keeps its own rows;
 * `partitioned` reads its slices under `spill_dir` (a shared folder or `s3://…/.spill/…`).
 */
export type ShardLayout =
  | {
      readonly kind: 'scan';
      /** Bytes of the four sources (from prepare_run), for the memory plan of remote sources (shard/ranges.ts). */
      readonly source_bytes?: number;
    }
  | { readonly kind: 'partitioned'; readonly spill_dir: string };

/** Input of `process_shard`. */
export interface ShardInput {
  readonly run_id: string;
  readonly shard_index: number;
  readonly shard_count: number;
  readonly data: string;
  /** A local directory or a store location, as in RunInput.out_dir. */
  readonly out_dir: string;
  /** Where this shard puts its profiles; default files under out_dir. */
  readonly sink?: SinkDescriptor;
  /** How the shard obtains its rows; default a scan. */
  readonly layout?: ShardLayout;
  /** sha256 (hex) of the four source files' content, from `prepare_run`; names the output folder. */
  readonly input_digest?: string;
  /** Unique per orchestrator invocation; scopes the attempt markers that number this shard's attempts. */
  readonly execution_id?: string;
  /** Reuse this shard's finished output when its manifest checks out (default true). */
  readonly resume?: boolean;
}

/** Input of `process_shards`: a ShardInput for each of `shard_indices` (consecutive, ascending), run in turn. */
export type ShardBatchInput = Omit<ShardInput, 'shard_index'> & { readonly shard_indices: readonly number[] };

/** Output of `process_shards`: each shard's result, in `shard_indices` order. */
export interface ShardBatchResult {
  readonly shards: ShardResult[];
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
  /** The input digest the output was computed from (absent for a hand-made input without one). */
  readonly input_digest?: string;
  /** Profiles the writer dropped because their idempotency_key repeated one already written (normally 0). */
  readonly duplicates_dropped?: number;
  /** True when this result was read back from a finished shard's manifest instead of computed. */
  readonly reused?: boolean;
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
  /** The run's rejects report (`rejects.jsonl`, relative to out_dir), in (source, line) order; absent from a bare aggregate. */
  readonly rejects_report?: string;
  readonly shards: { readonly shard_index: number; readonly profiles: number; readonly elapsed_ms: number; readonly checksum: string }[];
  /** Rows inserted / updated / unchanged over all shards, when the sink is a database. */
  readonly load?: { readonly inserted: number; readonly updated: number; readonly unchanged: number };
  /** sha256 of the four source files' content: with the shard count, what defines this run. */
  readonly input_digest?: string;
  /** Profiles dropped because their idempotency_key was already written (normally 0). */
  readonly duplicates_dropped?: number;
  /** Shards whose finished output was reused (by an earlier run or attempt) instead of recomputed; run metadata. */
  readonly reused_shards?: number[];
  readonly elapsed_ms: number;
}
