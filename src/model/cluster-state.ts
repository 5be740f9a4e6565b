/**
 * The cluster's resource accounting as struct-of-arrays: one typed array per
 * dimension for allocatable and for requested, indexed by node. Policies read
 * these arrays directly; `reserve`/`unreserve` are the mutations, and
 * reserve refuses any over-commit. A pod that is already running on a node
 * when the state is built (an imported cluster, a static pod) is added by
 * `admitRunning`, which takes it even past the node's allocatable: such a
 * state is real (allocatable shrank, the kubelet admitted static pods on its
 * own) and is filtered and scored as it is. No scheduling decision uses it.
 */
import type { NodeIndex } from '../core/ids.js';
import type { NodeSpec } from './cluster.js';
import type { ResourceSpace } from './resources.js';
import { NodeImages } from './node-images.js';
import type { NodeImagesView } from './node-images.js';
import { LocalVolumes } from './volumes.js';

/** What a policy may read. */
export interface ClusterView {
  readonly space: ResourceSpace;
  readonly nodeCount: number;
  readonly nodes: readonly NodeSpec[];
  /** allocatable[dim][node]. */
  readonly allocatable: readonly Float64Array[];
  /** requested[dim][node]: the sum of the requests of pods bound to the node (may exceed allocatable: see admitRunning). */
  readonly requested: readonly Float64Array[];
  /**
   * schedulable[node] = 1 while the node may take new pods; 0 while the
   * control plane has it tainted out (NotReady after a failure, or not joined
   * yet). Every policy leaves out nodes where it is 0 (PodView's eligible and
   * fitsOn do).
   */
  readonly schedulable: Uint8Array;
  /** How many nodes are unschedulable now (schedulable[node] = 0). */
  readonly unschedulableCount: number;
  /** Changes whenever requested or schedulable changes, so a reader can cache what it derives from them. */
  readonly version: number;
  /** Whether `request` fits in the node's free capacity in every dimension. */
  fits(node: NodeIndex, request: Float64Array): boolean;
  /** The nodes' local persistent volumes and the claims bound to them (none when absent). */
  readonly volumes?: LocalVolumes | undefined;
  /** The container images on each node now (node.status.images). */
  readonly images: NodeImagesView;
  /** What the nodes' running pods use now (measured), for policies that place by usage. */
  readonly usage: NodeUsage;
}

/**
 * Measured use per node, as a node agent reports it (kept current by the
 * simulation's contention model, src/sim/usage/). Only runs that model usage
 * fill it; elsewhere it stays zero.
 */
export class NodeUsage {
  /** CPU in use now, millicores. */
  readonly cpu: Float64Array;
  /** Memory in use now (working set), bytes. */
  readonly memory: Float64Array;
  /**
   * The CPU and memory requests of the pods whose use is in `cpu`/`memory`
   * (pods that have started); requested − these are pods bound but not yet
   * measured, which a load-aware policy estimates.
   */
  readonly measuredCpuRequests: Float64Array;
  readonly measuredMemoryRequests: Float64Array;
  /** What the working pods demand of the node's NVMe (bytes/s) and NIC (bits/s) bandwidth now, granted or not. */
  readonly nvmeDemand: Float64Array;
  readonly nicDemand: Float64Array;

  constructor(nodeCount: number) {
    this.cpu = new Float64Array(nodeCount);
    this.memory = new Float64Array(nodeCount);
    this.measuredCpuRequests = new Float64Array(nodeCount);
    this.measuredMemoryRequests = new Float64Array(nodeCount);
    this.nvmeDemand = new Float64Array(nodeCount);
    this.nicDemand = new Float64Array(nodeCount);
  }
}

export class ClusterState implements ClusterView {
  readonly nodeCount: number;
  readonly allocatable: Float64Array[];
  readonly requested: Float64Array[];
  /** Local PVs and claims; the simulator binds and releases claims with their pods. */
  readonly volumes: LocalVolumes;
  /** The images on each node; the container runtime adds what it pulls and removes what it collects. */
  readonly images: NodeImages;
  readonly schedulable: Uint8Array;
  readonly usage: NodeUsage;
  version = 0;
  private unschedulableNodes = 0;
  private readonly dims: number;

  /**
   * `overcommit[d]` scales what the scheduler sees of dimension d (cpu 1.5:
   * nodes take requests up to 1.5× their allocatable CPU); the nodes
   * themselves (NodeSpec.allocatable) keep their real capacity, which running
   * pods share.
   */
  constructor(
    readonly space: ResourceSpace,
    readonly nodes: readonly NodeSpec[],
    readonly overcommit?: Float64Array,
  ) {
    this.nodeCount = nodes.length;
    this.dims = space.size;
    this.allocatable = [];
    this.requested = [];
    for (let d = 0; d < this.dims; d++) {
      const alloc = new Float64Array(this.nodeCount);
      const factor = overcommit?.[d] ?? 1;
      for (let n = 0; n < this.nodeCount; n++) alloc[n] = overcommitted(nodes[n]!.allocatable[d]!, factor);
      this.allocatable.push(alloc);
      this.requested.push(new Float64Array(this.nodeCount));
    }
    this.volumes = new LocalVolumes(nodes.map((n) => n.localVolumes));
    this.images = new NodeImages(this.nodeCount, nodes.map((n) => n.images));
    this.schedulable = new Uint8Array(this.nodeCount).fill(1);
    this.usage = new NodeUsage(this.nodeCount);
  }

  /** How many nodes are unschedulable now. */
  get unschedulableCount(): number {
    return this.unschedulableNodes;
  }

  /** Lets the node take new pods, or not; returns whether that changed. */
  setSchedulable(node: NodeIndex, schedulable: boolean): boolean {
    const v = schedulable ? 1 : 0;
    if (this.schedulable[node] === v) return false;
    this.schedulable[node] = v;
    this.unschedulableNodes += schedulable ? -1 : 1;
    this.version++;
    return true;
  }

  fits(node: NodeIndex, request: Float64Array): boolean {
    for (let d = 0; d < this.dims; d++) {
      const r = request[d]!;
      if (r > 0 && this.requested[d]![node]! + r > this.allocatable[d]![node]!) return false;
    }
    return true;
  }

  /** Adds the request to the node if it fits; returns false (and changes nothing) if it would over-commit. */
  reserve(node: NodeIndex, request: Float64Array): boolean {
    if (!this.isNode(node) || !this.fits(node, request)) return false;
    for (let d = 0; d < this.dims; d++) this.requested[d]![node]! += request[d]!;
    this.version++;
    return true;
  }

  /**
   * Adds the request of a pod already running on the node, whether or not it
   * fits: the one way requested may exceed allocatable. Only for the state a
   * run or an explanation starts from (pods bound before it began); every
   * placement decided during a run goes through `reserve`.
   */
  admitRunning(node: NodeIndex, request: Float64Array): void {
    if (!this.isNode(node)) throw new Error(`admitRunning on ${node}, which is not a node of this cluster`);
    for (let d = 0; d < this.dims; d++) this.requested[d]![node]! += request[d]!;
    this.version++;
  }

  /** Removes a request added by `reserve` or `admitRunning`. Going below zero means a bookkeeping bug, so it throws. */
  unreserve(node: NodeIndex, request: Float64Array): void {
    if (!this.isNode(node)) throw new Error(`unreserve on ${node}, which is not a node of this cluster`);
    for (let d = 0; d < this.dims; d++) {
      if (this.requested[d]![node]! < request[d]!) {
        throw new Error(`unreserve of ${this.space.names[d]} on node ${this.nodes[node]?.name ?? node} below zero`);
      }
    }
    for (let d = 0; d < this.dims; d++) this.requested[d]![node]! -= request[d]!;
    this.version++;
  }

  private isNode(node: number): boolean {
    return Number.isInteger(node) && node >= 0 && node < this.nodeCount;
  }
}

/** Capacity scaled by an over-commit factor, floored to whole units (millicores, bytes) as a quantity is. */
export function overcommitted(allocatable: number, factor: number): number {
  return factor === 1 ? allocatable : Math.floor(allocatable * factor);
}
