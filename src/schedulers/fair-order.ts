/**
 * Orders of pending pods by resource shares, for callers that choose which
 * pod goes next (compaction, `rackbench compact --order`).
 *
 * - Dominant share, largest first: open-simulator's greedy queue
 *   (alibaba/open-simulator, pkg/algo/greed.go, `GreedQueue`) sorts the pods
 *   to place by their dominant share of the cluster — the largest, over
 *   resources, of request / the cluster's total allocatable — in
 *   decreasing order, so big pods are placed while there is room. Here the
 *   resources are every dimension but the pod count (open-simulator: CPU
 *   and memory); equal shares keep arrival order.
 * - DRF (Ghodsi et al., "Dominant Resource Fairness: Fair Allocation of
 *   Multiple Resource Types", NSDI 2011, section 4, Algorithm 1):
 *   progressive filling across tenants: the next pod is the oldest pending
 *   pod of the tenant with the lowest dominant share of what its running
 *   pods hold (quantized as in vbp/drf.ts, ties to the tenant seen first).
 */
import { PODS } from '../model/resources.js';
import { dominantShare as shareOf, shareKey } from './dominant-share.js';

/** A pod's dominant share as compared: max over dimensions but the pod count of request / total, rounded by shareKey. */
export function dominantShare(requests: Float64Array, totals: Float64Array): number {
  return shareKey(shareOf(requests, totals, PODS));
}

/** Indices of `pods` by decreasing dominant share of `totals`, equal shares in index order. */
export function dominantShareOrder(pods: readonly Float64Array[], totals: Float64Array): number[] {
  const shares = pods.map((r) => dominantShare(r, totals));
  return pods.map((_, i) => i).sort((a, b) => shares[b]! - shares[a]! || a - b);
}

/**
 * DRF's progressive filling over pending pods. `push` adds a pending pod of a
 * tenant, `next` takes the pod to try next, `started`/`ended` account a
 * pod's requests to its tenant's holdings.
 */
export class DrfQueue {
  private readonly tenants = new Map<string, number>();
  private readonly held: Float64Array[] = [];
  private readonly pending: number[][] = [];
  private readonly heads: number[] = [];

  constructor(private readonly totals: Float64Array) {}

  private tenant(name: string): number {
    let t = this.tenants.get(name);
    if (t === undefined) {
      t = this.held.length;
      this.tenants.set(name, t);
      this.held.push(new Float64Array(this.totals.length));
      this.pending.push([]);
      this.heads.push(0);
    }
    return t;
  }

  /** A tenant's dominant share of the cluster (0 for a tenant never seen). */
  share(name: string): number {
    const t = this.tenants.get(name);
    return t === undefined ? 0 : dominantShare(this.held[t]!, this.totals);
  }

  push(tenant: string, pod: number): void {
    this.pending[this.tenant(tenant)]!.push(pod);
  }

  /** The oldest pending pod of the tenant with the lowest dominant share, removed from the queue; −1 when none is pending. */
  next(): number {
    let best = -1;
    let lowest = Infinity;
    for (let t = 0; t < this.held.length; t++) {
      if (this.heads[t]! >= this.pending[t]!.length) continue;
      const share = dominantShare(this.held[t]!, this.totals);
      if (share < lowest) {
        lowest = share;
        best = t;
      }
    }
    if (best < 0) return -1;
    return this.pending[best]![this.heads[best]!++]!;
  }

  started(tenant: string, requests: Float64Array): void {
    const h = this.held[this.tenant(tenant)]!;
    for (let d = 0; d < h.length; d++) h[d]! += requests[d]!;
  }

  ended(tenant: string, requests: Float64Array): void {
    const h = this.held[this.tenant(tenant)]!;
    for (let d = 0; d < h.length; d++) h[d]! -= requests[d]!;
  }
}
