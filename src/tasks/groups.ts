import { InvalidOptionError } from '../core/errors.js';

/**
 * `consecutive`: runs of items whose sizes differ by at most one, larger first (weights unused).
 * `balanced`: heaviest item first to the lightest group so far (ties: the earlier one).
 */
export type DealRule = 'consecutive' | 'balanced';

/**
 * Deals items 0..weights.length-1 to min(items, groups) non-empty groups by `rule`: each item in
 * one group, items ascending, groups ordered by first item. `what` names the count in errors.
 */
export function deal(weights: readonly number[], groups: number, rule: DealRule, what = 'groups'): number[][] {
  if (!Number.isInteger(groups) || groups < 1) throw new InvalidOptionError(`${what} must be a whole number ≥ 1, got ${JSON.stringify(groups)}`);
  const n = Math.min(groups, weights.length);
  return rule === 'consecutive' ? consecutive(weights.length, n) : balanced(weights, n);
}

function consecutive(items: number, n: number): number[][] {
  const base = Math.floor(items / n);
  const extra = items % n;
  const out: number[][] = [];
  let next = 0;
  for (let g = 0; g < n; g++) {
    const size = base + (g < extra ? 1 : 0);
    out.push(Array.from({ length: size }, (_, k) => next + k));
    next += size;
  }
  return out;
}

function balanced(weights: readonly number[], n: number): number[][] {
  const load = new Array<number>(n).fill(0);
  const members: number[][] = Array.from({ length: n }, () => []);
  const heaviestFirst = weights.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
  for (const item of heaviestFirst) {
    const g = load.indexOf(Math.min(...load));
    load[g]! += weights[item]!;
    members[g]!.push(item);
  }
  return members.map((m) => m.sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
}

/**
 * A group task's body: `one` for each item of the group, one after the other in this process,
 * the results in the group's order. A failure fails the group; its retry runs the group again.
 */
export async function eachInTurn<I, R>(items: readonly I[], one: (item: I) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await one(item));
  return results;
}
