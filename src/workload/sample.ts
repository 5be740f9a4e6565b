/** Drawing integer values (µs, millicores, bytes…) from a scenario's distributions. */
import type { Rng } from '../core/random.js';
import type { Dist } from '../model/dist-schema.js';

/** A standard normal deviate by the Box–Muller transform (one of the pair; the other is discarded to keep streams simple). */
export function standardNormal(rng: Rng): number {
  // 1 − u keeps the logarithm finite: next() may return 0 but never 1.
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Exponential with the given mean: −mean · ln(1 − u). */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/** Index drawn with probability proportional to its weight. */
export function weightedIndex(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

const clamp = (x: number, min: number | undefined, max: number | undefined): number =>
  Math.min(max ?? Infinity, Math.max(min ?? -Infinity, x));

/** One draw from `dist`, rounded to a non-negative integer. */
export function sample(rng: Rng, dist: Dist): number {
  let x: number;
  switch (dist.dist) {
    case 'fixed':
      return dist.value;
    case 'uniform':
      return dist.min + Math.floor(rng.next() * (dist.max - dist.min + 1));
    case 'exponential':
      x = clamp(exponential(rng, dist.mean), undefined, dist.max);
      break;
    case 'lognormal':
      // The median of a lognormal is e^μ, so μ = ln(median).
      x = clamp(dist.median * Math.exp(dist.sigma * standardNormal(rng)), dist.min, dist.max);
      break;
    case 'pareto':
      // Inverse CDF of Pareto(x_m, α): x_m / (1 − u)^(1/α).
      x = clamp(dist.scale / Math.pow(1 - rng.next(), 1 / dist.shape), undefined, dist.max);
      break;
    case 'choice':
      return dist.values[weightedIndex(rng, dist.weights)]!;
  }
  return Math.max(0, Math.round(x));
}
