/**
 * The one implementation of PodView: a cursor pointed at the pod under
 * decision and reused for every decision, so asking a policy allocates
 * nothing. The simulator points it at pod-table slots; static packing
 * (compaction) at snapshot pods.
 */
import type { NodeIndex, PodSlot } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import type { Labels } from '../model/labels.js';
import type { PodTemplate, PodUsage } from '../workload/pod.js';
import type { PodView } from './types.js';

export class PodCursor implements PodView {
  slot = 0 as PodSlot;
  requests: Float64Array = new Float64Array(0);
  priority = 0;
  tenant = '';
  owner = '';
  labels: Labels = {};
  template!: PodTemplate;
  arrival = 0;
  duration = 0;
  startTime = -1;
  /** admits[node] = 1 where the pod's eligibility class may go; null: every node. */
  admits: Uint8Array | null = null;
  volumeSet = -1;
  /** Set after `point` by an owner that knows it (the simulator); undefined otherwise. */
  usage: PodUsage | undefined = undefined;

  constructor(private readonly cluster: ClusterView) {}

  /** Points the cursor at a pod; returns it for chaining. */
  point(slot: number, template: PodTemplate, requests: Float64Array, arrival: number, duration: number, startTime: number, admits: Uint8Array | null, volumeSet: number): this {
    this.slot = slot as PodSlot;
    this.requests = requests;
    this.priority = template.priority;
    this.tenant = template.tenant;
    this.owner = template.owner;
    this.labels = template.labels;
    this.template = template;
    this.arrival = arrival;
    this.duration = duration;
    this.startTime = startTime;
    this.admits = admits;
    this.volumeSet = volumeSet;
    this.usage = undefined;
    return this;
  }

  eligible(node: NodeIndex): boolean {
    if (this.admits !== null && this.admits[node] !== 1) return false;
    if (this.cluster.schedulable[node] === 0) return false;
    return this.volumeSet < 0 || this.cluster.volumes!.check(this.volumeSet, node) === 0;
  }

  fitsOn(node: NodeIndex): boolean {
    if (this.admits !== null && this.admits[node] !== 1) return false;
    if (this.cluster.schedulable[node] === 0) return false;
    if (!this.cluster.fits(node, this.requests)) return false;
    // Volumes last: the costliest check, and most nodes fail on resources first.
    return this.volumeSet < 0 || this.cluster.volumes!.check(this.volumeSet, node) === 0;
  }
}
