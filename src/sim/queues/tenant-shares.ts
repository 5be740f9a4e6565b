/**
 * What each tenant's bound pods request, for the disciplines that share the
 * cluster between tenants (drf, and Tetris's fairness knob). A tenant's
 * dominant share is its largest share of any resource but the pod count
 * (Ghodsi et al., "Dominant Resource Fairness", NSDI 2011, section 4).
 */
import type { PodSlot } from '../../core/ids.js';
import type { ClusterState } from '../../model/cluster-state.js';
import { PODS } from '../../model/resources.js';
import { dominantShare } from '../../schedulers/dominant-share.js';
import type { PodTable } from '../pod-table.js';

export class TenantShares {
  /** Σ over the cluster of each dimension's allocatable. */
  readonly total: Float64Array;
  /** Per tenant index, the requests its bound pods hold. */
  private readonly used: Float64Array[] = [];
  private readonly index = new Map<string, number>();

  /** `bySlots`: a tenant's share is its running pods as a share of the cluster's pod capacity (slot-fair). */
  constructor(
    private readonly cluster: ClusterState,
    private readonly pods: PodTable,
    private readonly bySlots = false,
  ) {
    this.total = cluster.space.zeros();
    for (let d = 0; d < this.total.length; d++) for (const a of cluster.allocatable[d]!) this.total[d]! += a;
  }

  /** Tenants seen so far (indices 0 … count − 1, in the order they were first seen). */
  get count(): number {
    return this.used.length;
  }

  /** The tenant's index, registering a tenant seen for the first time. */
  indexOf(tenant: string): number {
    let i = this.index.get(tenant);
    if (i === undefined) {
      i = this.used.length;
      this.index.set(tenant, i);
      this.used.push(this.cluster.space.zeros());
    }
    return i;
  }

  /** The pod's requests join (+1, bound) or leave (−1) its tenant's holdings. */
  account(slot: PodSlot, sign: 1 | -1): void {
    const used = this.used[this.indexOf(this.pods.template[slot]!.tenant)]!;
    const req = this.pods.requests[slot]!;
    for (let d = 0; d < used.length; d++) used[d]! += sign * req[d]!;
  }

  /** The tenant's largest share of any resource but the pod count, by what its bound pods request (exact; compare with shareKey). */
  dominantShare(tenant: number): number {
    if (this.bySlots) return this.total[PODS]! > 0 ? this.used[tenant]![PODS]! / this.total[PODS]! : 0;
    return dominantShare(this.used[tenant]!, this.total, PODS);
  }
}
