
/** Counts what `uniqueByKey` dropped. */
export interface DropCounter {
  dropped: number;
}

/**
 * The writer's guard for "one record per idempotency_key": passes profiles through, dropping any
 * whose key equals one already passed, and counts the drops. Profiles arrive sorted by customer
 * id and a key starts with its customer id, so a repeated key can only follow its twin: one
 * remembered key per customer is enough (memory stays flat). The merge emits one profile per
 * customer, so the count is 0 unless something upstream broke; it is reported, never hidden.
 * Across shards, keys are disjoint by routing (a customer id has exactly one shard).
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
