/**
 * How many cases a property checks: a fixed count for each `fc.assert`, on the fixed seed of
 * test/setup/fast-check.ts, so every run of the suite checks the same cases and takes the same time.
 * RACKBENCH_PROPERTY_SCALE=k runs k times as many, for a long hunt (FC_SEED=<seed> for other cases).
 */
export const PROPERTY_SCALE = Number(process.env.RACKBENCH_PROPERTY_SCALE ?? 1);

/** `n` cases, times the scale. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * PROPERTY_SCALE));
}
