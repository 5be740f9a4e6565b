/**
 * Failed scheduling cycles that stand for the next ones. When a cycle proved
 * at once that a filter rejects every node (KubeScheduler.rejectedAtOnce:
 * every filter before it skipped in PreFilter, and its own proof, which reads
 * only the pod's requests and the cluster) and its PostFilter could evict
 * nobody, a pod with the same requests, priority and preemption policy whose
 * PreFilter skips the same filters fails the same way while the cluster is
 * unchanged. At saturation most cycles are such retries, so the kube policy
 * answers them from here without the rest of the cycle.
 *
 * "Unchanged" is the cluster's version (requested capacity, schedulable
 * nodes) together with the policy's own count of changes to what its plugins
 * read (bound pods, terminating pods, node updates). Any change forgets all.
 */

/** Kinds of pod remembered at once; more are simply not remembered. */
const SIZE = 8;

export class FailureMemo {
  private readonly requests: Float64Array[] = [];
  private readonly priority = new Float64Array(SIZE);
  private readonly mayPreempt = new Uint8Array(SIZE);
  /** Per entry: the filter that rejected every node, and the cycle's requeueOn, hintOn and rejectors. */
  readonly filter = new Int32Array(SIZE);
  readonly requeueOn = new Int32Array(SIZE);
  readonly hintOn = new Int32Array(SIZE);
  readonly rejectors = new Int32Array(SIZE);
  private count = 0;
  private version = -1;
  private changes = -1;

  /** The entry for a pod with `requests`, `priority` and whether it may preempt, remembered at (version, changes); −1 when none. */
  find(requests: Float64Array, priority: number, mayPreempt: boolean, version: number, changes: number): number {
    if (version !== this.version || changes !== this.changes) return -1;
    const may = mayPreempt ? 1 : 0;
    for (let i = 0; i < this.count; i++) {
      if (this.priority[i] === priority && this.mayPreempt[i] === may && sameValues(this.requests[i]!, requests)) return i;
    }
    return -1;
  }

  /** Remembers a failure at (version, changes): filters[filter] rejected every node at once. */
  remember(
    requests: Float64Array,
    priority: number,
    mayPreempt: boolean,
    version: number,
    changes: number,
    outcome: { readonly filter: number; readonly requeueOn: number; readonly hintOn: number; readonly rejectors: number },
  ): void {
    if (version !== this.version || changes !== this.changes) {
      this.version = version;
      this.changes = changes;
      this.count = 0;
    }
    if (this.find(requests, priority, mayPreempt, version, changes) >= 0 || this.count === SIZE) return;
    const i = this.count++;
    let copy = this.requests[i];
    if (copy === undefined || copy.length !== requests.length) copy = this.requests[i] = new Float64Array(requests.length);
    copy.set(requests);
    this.priority[i] = priority;
    this.mayPreempt[i] = mayPreempt ? 1 : 0;
    this.filter[i] = outcome.filter;
    this.requeueOn[i] = outcome.requeueOn;
    this.hintOn[i] = outcome.hintOn;
    this.rejectors[i] = outcome.rejectors;
  }
}

/** Whether two request vectors are equal, value by value. */
export function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
  return true;
}
