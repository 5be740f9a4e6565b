/**
 * The bind stage, as in kube-scheduler's framework after a node is chosen:
 * Reserve (the pod's requests and volume claims are held on the node, and
 * the policy sees the pod as assumed there), Permit (a gang's pods wait for
 * each other), then Bind (written through the API server when that is
 * modelled), after which the node's kubelet takes the pod. A pod already
 * running when the run starts (`boundAtStart`) skips all of it: it is on its
 * node from the first instant.
 */
import type { NodeIndex, PodSlot } from '../core/ids.js';
import { PodState } from './pod-table.js';
import { PolicyError } from './world.js';
import type { World } from './world.js';

export interface BindStagePort {
  /** The pod is reserved on `node`; `claimed` volume claims were bound to PVs there. */
  placed(slot: PodSlot, node: NodeIndex, claimed: number): void;
  /** Permit: `commit` now, or later when the pod's gang is complete. */
  permit(slot: PodSlot, node: NodeIndex): void;
  /** The pod was bound to a node that failed before the scheduler knew: it never starts. */
  lost(slot: PodSlot, node: NodeIndex): void;
  /** The binding is made: write it, then launch the pod on its node. */
  bind(slot: PodSlot, node: NodeIndex): void;
  /** The node's kubelet takes a pod that is bound already. */
  launch(slot: PodSlot, node: NodeIndex): void;
}

export class BindStage {
  private readonly nodeNamed: Map<string, NodeIndex>;

  constructor(
    private readonly world: World,
    private readonly down: Uint8Array,
    private readonly port: BindStagePort,
  ) {
    this.nodeNamed = new Map(world.cluster.nodes.map((n) => [n.name, n.index]));
  }

  /** Whether the pod, just created, is one already running on its node when the run starts (`boundAtStart`). */
  runningAtStart(slot: PodSlot): boolean {
    return this.world.kernel.now === 0 && this.world.pods.template[slot]!.boundAtStart !== undefined;
  }

  /**
   * Binds a pod that is already running when the run starts to its
   * `boundAtStart` node, without a scheduling cycle: its requests are added
   * by ClusterState.admitRunning, even past the node's allocatable (an
   * imported cluster as it is), and the kubelet takes it. Returns false,
   * doing nothing, for any other pod.
   */
  placeIfRunning(slot: PodSlot): boolean {
    if (!this.runningAtStart(slot)) return false;
    const { kernel, cluster, pods: p, policy } = this.world;
    const node = this.nodeNamed.get(p.template[slot]!.boundAtStart!)!;
    cluster.admitRunning(node, p.requests[slot]!);
    p.state[slot] = PodState.Running;
    p.node[slot] = node;
    p.bindAt[slot] = kernel.now;
    policy.onBind?.(this.world.view(slot), node);
    this.port.placed(slot, node, 0);
    this.commit(slot, node, false);
    return true;
  }

  /** Reserve, then Permit. Throws PolicyError if the node cannot take the pod. */
  place(slot: PodSlot, node: NodeIndex): void {
    const { kernel, cluster, pods: p, policy } = this.world;
    // VolumeBinding's Reserve and PreBind: the set's unbound claims take the PVs Filter found on the node.
    const set = p.volumes[slot]!;
    const claimed = set < 0 ? 0 : cluster.volumes.bind(set, node);
    if (claimed < 0) throw new PolicyError(`pod ${p.id[slot]} (${p.template[slot]!.owner}) cannot bind its volume claims on node ${node}`);
    if (!cluster.reserve(node, p.requests[slot]!)) {
      throw new PolicyError(`reserve refused pod ${p.id[slot]} on node ${node}: it would over-commit the node`);
    }
    p.state[slot] = PodState.Running;
    p.node[slot] = node;
    // The policy sees the pod as assumed from now (its start time for preemption's ordering); commit sets it again at binding.
    p.bindAt[slot] = kernel.now;
    policy.onBind?.(this.world.view(slot), node);
    this.port.placed(slot, node, claimed);
    this.port.permit(slot, node);
  }

  /** The binding: the pod is bound to the node it was placed on (written, unless `write` is false), and its kubelet takes it. */
  commit(slot: PodSlot, node: NodeIndex, write = true): void {
    const { kernel, pods: p, observers } = this.world;
    const now = kernel.now;
    p.state[slot] = PodState.Running;
    p.bindAt[slot] = now;
    // Bound before the scheduler learnt the node was gone: it never starts.
    const lost = this.down[node] === 1;
    if (lost) p.state[slot] = PodState.Lost;
    for (const o of observers) o.podBound?.(slot, node, now);
    if (lost) this.port.lost(slot, node);
    else if (write) this.port.bind(slot, node);
    else this.port.launch(slot, node);
  }
}
