import { randomBytes } from 'node:crypto';
import { getLogger } from '../log/logger.js';
import type { EventLog } from '../log/logger.js';
import { errorFields } from '../log/redact.js';
import { openOutArea } from '../io/out-area.js';
import { removeAttemptMarkers } from './shard/attempt.js';
import type { RunResult, ShardInput, ShardResult } from './contracts.js';

/**
 * The orchestrator's per-invocation hardening: an execution id scoping attempt markers, the
 * idempotency fields of every ShardInput, run-level logs, and checks on the shards' results.
 */
export interface Execution {
  readonly executionId: string;
  readonly log: EventLog;
  /** Spread into every ShardInput. */
  readonly shardFields: Pick<ShardInput, 'input_digest' | 'execution_id' | 'resume'>;
  /**
   * Checks the shard results (each index exactly once, all of this input digest) and adds the
   * run-level hardening fields to the aggregate.
   */
  result(aggregated: RunResult, shards: readonly ShardResult[]): RunResult;
  /** Logs `run_completed` and removes this invocation's attempt markers. */
  completed(result: RunResult): Promise<void>;
  /** Logs `run_failed`. */
  failed(err: unknown): void;
}

/** Starts an execution of run `runId` and logs `run_started`. */
export function startExecution(
  runId: string,
  run: { readonly out_dir: string; readonly shards: number; readonly resume?: boolean },
  inputDigest: string | undefined,
): Execution {
  const t0 = performance.now();
  const executionId = `${runId}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const log = getLogger({ run_id: runId, task: 'merge_customer_data' });
  const resume = run.resume !== false;
  log.info('run_started', {
    shards: run.shards,
    resume,
    execution_id: executionId,
    ...(inputDigest !== undefined ? { input_digest: inputDigest.slice(0, 12) } : {}),
  });
  return {
    executionId,
    log,
    shardFields: { ...(inputDigest !== undefined ? { input_digest: inputDigest } : {}), execution_id: executionId, resume },
    result(aggregated, shards) {
      const seen = new Set<number>();
      for (const s of shards) {
        if (seen.has(s.shard_index) || s.shard_index >= run.shards || s.shard_count !== run.shards) {
          throw new Error(`shard results do not cover shards 0..${run.shards - 1} exactly once (got shard ${s.shard_index} of ${s.shard_count})`);
        }
        seen.add(s.shard_index);
        if (inputDigest !== undefined && s.input_digest !== inputDigest) {
          throw new Error(`shard ${s.shard_index} returned output of another input (digest ${String(s.input_digest).slice(0, 12)}, run ${inputDigest.slice(0, 12)})`);
        }
      }
      if (seen.size !== run.shards) throw new Error(`${run.shards - seen.size} shard result(s) missing`);
      const reused = shards.filter((s) => s.reused === true).map((s) => s.shard_index).sort((a, b) => a - b);
      const { elapsed_ms, ...rest } = aggregated;
      return {
        ...rest,
        ...(inputDigest !== undefined ? { input_digest: inputDigest } : {}),
        duplicates_dropped: shards.reduce((n, s) => n + (s.duplicates_dropped ?? 0), 0),
        reused_shards: reused,
        elapsed_ms,
      };
    },
    async completed(result) {
      log.info('run_completed', {
        profiles: result.profiles_generated,
        records: result.records_processed,
        shards: result.shards_processed,
        reused_shards: result.reused_shards?.length ?? 0,
        duplicates_dropped: result.duplicates_dropped ?? 0,
        rejected: result.rejected,
        elapsed_ms: Math.round(performance.now() - t0),
      });
      const area = await openOutArea(run.out_dir);
      await removeAttemptMarkers(run.out_dir, executionId, area)
        .catch(() => undefined)
        .finally(() => area.close());
    },
    failed(err) {
      log.error('run_failed', { error: errorFields(err), elapsed_ms: Math.round(performance.now() - t0) });
    },
  };
}
