/**
 * The one line the CLI prints when a run fails: the message of the innermost cause. A failure
 * inside `prepare_run` or a shard reaches the CLI wrapped as "Subtask failed: …" by each task
 * level; the innermost error is the one that names the file, line, field or option.
 */
export function failureLine(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 16; depth++) {
    const cause = (e as { cause?: unknown } | null)?.cause;
    if (!(cause instanceof Error)) break;
    e = cause;
  }
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? '';
}
