/** Each shard's story in a run (attempts, failures, retries), from the runtime's events and the workers' logs. */
import type { RuntimeEvent } from '../runtime/events.js';

export interface AttemptRecord {
  readonly attempt: number;
  readonly ok: boolean;
  readonly error?: string;
}

export interface ShardStory {
  /** The shard, or -1 when no log line of the run named it. */
  readonly shard: number;
  readonly runId: string;
  readonly attempts: readonly AttemptRecord[];
}

/** A worker log line as the drill keeps it. */
export interface WorkerLine {
  readonly runId: string;
  readonly attempt: number;
  readonly line: string;
}

/** Builds the stories of every `process_shard` run, ordered by shard. */
export function shardStories(events: readonly RuntimeEvent[], lines: readonly WorkerLine[]): ShardStory[] {
  const shardOf = new Map<string, number>();
  for (const l of lines) {
    if (shardOf.has(l.runId)) continue;
    const shard = parsed(l.line)?.['shard'];
    if (typeof shard === 'number') shardOf.set(l.runId, shard);
  }
  const attempts = new Map<string, AttemptRecord[]>();
  for (const e of events) {
    if (e.task !== 'process_shard') continue;
    if (e.type === 'run_started') attempts.set(e.runId, []);
    else if (e.type === 'attempt_failed') attempts.get(e.runId)?.push({ attempt: e.attempt, ok: false, error: e.error });
    else if (e.type === 'attempt_succeeded') attempts.get(e.runId)?.push({ attempt: e.attempt, ok: true });
  }
  return [...attempts]
    .map(([runId, a]) => ({ shard: shardOf.get(runId) ?? -1, runId, attempts: a }))
    .sort((x, y) => x.shard - y.shard);
}

/** A story whose shard failed at least once and then succeeded: a retry healed it. */
export function healed(s: ShardStory): boolean {
  return s.attempts.some((a) => !a.ok) && s.attempts[s.attempts.length - 1]?.ok === true;
}

/** One line per story, for the report: `shard 3: attempt 1 failed (…); attempt 2 succeeded`. */
export function describeStory(s: ShardStory): string {
  const parts = s.attempts.map((a) => (a.ok ? `attempt ${a.attempt} succeeded` : `attempt ${a.attempt} failed (${a.error ?? '?'})`));
  return `shard ${s.shard}: ${parts.join('; ')}${healed(s) ? ' -> healed by retry' : ''} [runtime run ${s.runId}]`;
}

/** A JSON log line as an object, or undefined when the line is not JSON. */
export function parsed(line: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(line) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
