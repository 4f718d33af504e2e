/**
 * The load band of the balance law (law 2), derived rather than picked.
 *
 * Model: an ideal hash sends each of n ids to shard j independently with probability p = 1/N,
 * so the load L_j of shard j is Binomial(n, p) with mean μ = n/N. Chernoff bounds (for δ > 0):
 *   upper tail  P(L_j ≥ (1+δ)μ) ≤ exp(−δ²μ / (2+δ))
 *   lower tail  P(L_j ≤ (1−δ)μ) ≤ exp(−δ²μ / 2)          (0 < δ < 1)
 * A union bound over the N shards and both tails gives P(some shard is outside the band) ≤ α
 * when each single bound is set to α/(2N). With t = ln(2N/α):
 *   upper: δ²μ − tδ − 2t = 0   ⇒  δ_up  = (t + √(t² + 8μt)) / (2μ)
 *   lower: δ²μ = 2t            ⇒  δ_low = √(2t/μ)
 * We take α = 1e−9: a correct md5 router fails this test with probability below one in a billion
 * (for a fixed dataset the outcome is deterministic; α says how unlucky md5 would have to be).
 * With n ≥ 20,000 the band is tight enough to bite: for N = 64, n = 20,000 the upper bound is
 * μ·1.45 (μ = 312.5, about 8 standard deviations), for n = 100,000 it is μ·1.19; a router that
 * piles two N-ths of the ids on one shard (an off-by-one modulo, say) or leaves a shard empty
 * fails it for every N ≥ 2.
 */

/** False-alarm probability of the balance law for a correct uniform router. */
export const BALANCE_ALPHA = 1e-9;

/** The load band [lower, upper] every one of `shards` shards must fall in for `n` ids (see above). */
export function loadBand(n: number, shards: number, alpha = BALANCE_ALPHA): { mean: number; lower: number; upper: number } {
  const mean = n / shards;
  if (shards === 1) return { mean, lower: n, upper: n };
  const t = Math.log((2 * shards) / alpha);
  const deltaUp = (t + Math.sqrt(t * t + 8 * mean * t)) / (2 * mean);
  const deltaLow = Math.sqrt((2 * t) / mean);
  return { mean, lower: Math.max(0, (1 - deltaLow) * mean), upper: (1 + deltaUp) * mean };
}
