
/** Counts what `uniqueByKey` dropped. */
export interface DropCounter {
  dropped: number;
}

/**
 * Drops any profile whose idempotency_key repeats one already passed, and counts the drops.
 * Input is sorted by id and keys start with the id, so remembering the last key suffices.
 */
export function* uniqueByKey<P extends { readonly customer_id: string; readonly idempotency_key: string }>(profiles: Iterable<P>, counter: DropCounter): Generator<P> {
  let lastId: string | undefined;
  const keys: string[] = [];
  for (const p of profiles) {
    if (p.customer_id !== lastId) {
      lastId = p.customer_id;
      keys.length = 0;
    }
    if (keys.includes(p.idempotency_key)) {
      counter.dropped++;
      continue;
    }
    keys.push(p.idempotency_key);
    yield p;
  }
}
