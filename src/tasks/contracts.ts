/**
 * The JSON shapes that cross task boundaries. They carry descriptors (where the data is, which
 * shard, where output goes) and compact results, never rows, so every argument stays far below
 * Render's 4 MB cap whatever the dataset size.
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
  /**
   * Where the run's outputs go: a local directory, or a store location `s3://bucket/prefix`
   * (tasks then work in private staging folders and publish each finished file to the store
   * under the same relative key; see docs/object-store.md).
   */
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
   * `partition`: read and split each source once, then each shard parses only its slice.
   * `scan`: every shard streams every source (no spill area needed). Unset: `scan` for one shard,
   * for inputs under 8 MiB and, with a local out_dir, under `CM_DATA_PATH=scan` (tasks share no
   * disk, as on Render); `partition` otherwise, including every store out_dir.
   */
  readonly data_path?: 'partition' | 'scan';
  /**
   * Reuse shards a previous run over the same input finished (default true): a shard whose
   * manifest matches its output file's checksum is not recomputed. False (`--force`) recomputes.
   */
  readonly resume?: boolean;
  /**
   * How many shard tasks the shards are dealt to, 1..shards. Unset (or ≥ shards): one
   * `process_shard` run per shard, the tutorial's fan-out, which on Render gives every shard an
   * instance of its own. Fewer: `process_shards` runs, each taking a consecutive group of shards
   * one after the other in one process; every shard's output, result and retry safety are the
   * same, and the run pays for starting a process and warming its JIT once per task instead of
   * once per shard (the local CLI's default: as many as run at once).
   */
  readonly workers?: number;
}

/** Input of `prepare_run`: where the four sources are. */
export interface PrepareInput {
  /** A local directory or an http(s) base URL, as in RunInput.data. */
  readonly data: string;
  /**
   * `full` (the default): stream every source (sizes, sha256, header and UTF-8 checks, input
   * digest). `headers`, for store data (`s3://…`) on the partition path: HEAD each source and read
   * only its header line; the split then hashes and checks the whole of each source.
   */
  readonly mode?: 'full' | 'headers';
}

/** Output of `prepare_run`: the sources are usable; `input_digest` names their content. */
export interface PrepareResult {
  /**
   * sha256 over `<source>:<sha256>\n` for crm, billing, product, support: equal digests, equal
   * input. Absent in `headers` mode.
   */
  readonly input_digest?: string;
  readonly sources: Record<SourceName, SourceDigest | SourceHead>;
}

/**
 * How a shard obtains its rows. `scan`: it streams every source and keeps the rows it owns (works
 * anywhere, costs a full read per shard). `partitioned`: each source was split once into
 * per-shard slices under `spill_dir` (storage the shards share: a folder of the local runtime's
 * disk, or a store location `s3://bucket/prefix/.spill/…` from which each shard downloads its own).
 */
export type ShardLayout =
  | {
      readonly kind: 'scan';
      /**
       * Bytes of the four sources together (from prepare_run): sizes a shard's memory needs when
       * the sources are remote and cannot be measured from the shard (see shard/ranges.ts).
       */
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

/**
 * Input of `process_shards`: a ShardInput for each of `shard_indices` (consecutive, ascending),
 * which one process runs one after the other.
 */
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
  /**
   * The run's one rejects report (relative to out_dir, `rejects.jsonl`): every rejected row, in
   * (source, line) order. Set by the orchestrator; absent from a bare aggregate.
   */
  readonly rejects_report?: string;
  readonly shards: { readonly shard_index: number; readonly profiles: number; readonly elapsed_ms: number; readonly checksum: string }[];
  /** Rows inserted / updated / unchanged over all shards, when the sink is a database. */
  readonly load?: { readonly inserted: number; readonly updated: number; readonly unchanged: number };
  /** sha256 of the four source files' content: with the shard count, what defines this run. */
  readonly input_digest?: string;
  /** Profiles dropped because their idempotency_key was already written (normally 0). */
  readonly duplicates_dropped?: number;
  /**
   * Shards whose finished output was reused instead of recomputed (like elapsed_ms, run metadata):
   * finished by an earlier run over the same input, or, where shards are dealt to fewer workers,
   * by an earlier attempt of their `process_shards` task that failed on a later shard.
   */
  readonly reused_shards?: number[];
  readonly elapsed_ms: number;
}
