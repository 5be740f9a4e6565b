/**
 * The Pareto frontier of points where less is better on both axes: a point is
 * on it when no other point is at least as good on both and better on one.
 */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** Whether a dominates b (both minimized). */
export function dominates(a: XY, b: XY): boolean {
  return a.x <= b.x && a.y <= b.y && (a.x < b.x || a.y < b.y);
}

/**
 * Indices of the non-dominated points, by ascending x (then y). A sort and one
 * sweep: O(n log n). Equal points are all kept.
 */
export function paretoFrontier(points: readonly XY[]): number[] {
  const order = points.map((_, i) => i).sort((a, b) => points[a]!.x - points[b]!.x || points[a]!.y - points[b]!.y);
  const out: number[] = [];
  let bestY = Infinity;
  let last: XY | undefined;
  for (const i of order) {
    const p = points[i]!;
    if (p.y < bestY || (last !== undefined && p.x === last.x && p.y === last.y)) {
      out.push(i);
      bestY = Math.min(bestY, p.y);
      last = p;
    }
  }
  return out;
}
