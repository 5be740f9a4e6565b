/**
 * Numbers in result files are rounded to 6 decimal places: microsecond
 * precision for seconds, and far below any meaningful difference for ratios.
 * Rounding also keeps files readable and diffs small.
 */
export function round6(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}
