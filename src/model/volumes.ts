/**
 * Node-local persistent volumes and the claims bound to them: the state
 * kube-scheduler's VolumeBinding plugin reads (its PV and PVC caches) and the
 * rule every policy must respect, so it lives with the cluster state.
 *
 * Each node of a pool with `localVolumes` has static PVs of a storage class
 * whose node affinity is that node (kubernetes.io/hostname), as the local
 * static provisioner creates them. Storage classes are WaitForFirstConsumer
 * with no provisioner: a claim binds when its pod is bound, to the smallest
 * available PV of its class on the pod's node
 * (component-helpers/storage/volume/pv_helpers.go FindMatchingVolume;
 * scheduler framework/plugins/volumebinding/binder.go findMatchingVolumes,
 * claims taken in increasing size). A claim bound to a PV keeps its pods on
 * that PV's node (binder.go checkBoundClaims).
 *
 * Claims come in sets, one per pod (or per service replica, whose claims
 * outlive its pods). Everything is struct-of-arrays; checking a node
 * allocates nothing.
 */
import type { NodeIndex } from '../core/ids.js';
import { resized } from '../core/typed-arrays.js';

/** A pool's static local PVs: `count` PVs of `capacity` bytes per node. */
export interface LocalVolumeSpec {
  readonly storageClass: string;
  readonly capacity: number;
  readonly count: number;
}

/** A pod's PersistentVolumeClaim: storage class and requested bytes. */
export interface VolumeClaimSpec {
  readonly name: string;
  readonly storageClass: string;
  readonly size: number;
}

/** Reason bits of a node that cannot take a claim set (binder.go FindPodVolumes). */
export const NODE_CONFLICT = 1;
export const BIND_CONFLICT = 2;

/** binder.go's ConflictReasons, v1.34. */
export const ERR_REASON_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity";
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";

/** Where a pod's node must come from, as the reasons of `check` say it. */
export function conflictReasons(bits: number): string {
  const out: string[] = [];
  if ((bits & NODE_CONFLICT) !== 0) out.push(ERR_REASON_NODE_CONFLICT);
  if ((bits & BIND_CONFLICT) !== 0) out.push(ERR_REASON_BIND_CONFLICT);
  return out.join(', ');
}

const NONE = -1;

export class LocalVolumes {
  /** Per PV: its node, class id, capacity (bytes) and the claim bound to it (−1: Available). */
  readonly pvNode: Int32Array;
  readonly pvClass: Int32Array;
  readonly pvCapacity: Float64Array;
  readonly pvClaim: Int32Array;
  /** PVs of node n are nodePvs[nodeStart[n] .. nodeStart[n+1]), by increasing capacity, then creation. */
  readonly nodeStart: Int32Array;
  readonly nodePvs: Int32Array;
  /** Storage class names by id. */
  readonly classNames: string[] = [];
  private readonly classIds = new Map<string, number>();

  /** Per claim: class id, requested bytes, bound PV (−1: unbound). */
  claimClass = new Int32Array(64);
  claimSize = new Float64Array(64);
  claimPv = new Int32Array(64).fill(NONE);
  private freeClaims: number[] = [];
  private claimCount = 0;
  /** Claim sets: the claims of each, in increasing requested size (binder.go byPVCSize); null when the set is free. */
  private readonly sets: (Int32Array | null)[] = [];
  private freeSets: number[] = [];
  private readonly setsBySpec = new WeakMap<readonly VolumeClaimSpec[], Int32Array>();
  /** Per PV: the check() call that last chose it (findMatchingVolumes' chosenPVs, without a map). */
  private readonly chosenIn: Int32Array;
  private epoch = 0;
  /** Bound PVs (bindings made and not released). */
  bound = 0;

  /** `perNode[n]`: the local PVs of node n (empty or undefined for none). */
  constructor(perNode: readonly (readonly LocalVolumeSpec[] | undefined)[]) {
    const n = perNode.length;
    this.nodeStart = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) for (const v of perNode[i] ?? []) total += v.count;
    this.pvNode = new Int32Array(total);
    this.pvClass = new Int32Array(total);
    this.pvCapacity = new Float64Array(total);
    this.pvClaim = new Int32Array(total).fill(NONE);
    this.nodePvs = new Int32Array(total);
    this.chosenIn = new Int32Array(total);
    let pv = 0;
    for (let i = 0; i < n; i++) {
      this.nodeStart[i] = pv;
      const first = pv;
      for (const v of perNode[i] ?? []) {
        const c = this.classId(v.storageClass);
        for (let k = 0; k < v.count; k++) {
          this.pvNode[pv] = i;
          this.pvClass[pv] = c;
          this.pvCapacity[pv] = v.capacity;
          pv++;
        }
      }
      const ids = Array.from({ length: pv - first }, (_, k) => first + k).sort((a, b) => this.pvCapacity[a]! - this.pvCapacity[b]! || a - b);
      this.nodePvs.set(ids, first);
    }
    this.nodeStart[n] = pv;
  }

  get pvCount(): number {
    return this.pvNode.length;
  }

  /** The storage class of PV `pv`. */
  classOf(pv: number): string {
    return this.classNames[this.pvClass[pv]!]!;
  }

  /** The claims of a set, in increasing size; empty for a free or unknown set. */
  claimsOf(set: number): Int32Array {
    return this.sets[set] ?? EMPTY;
  }

  /** Creates a claim set of unbound claims (a StatefulSet replica's PVCs, or a pod's ephemeral PVCs). */
  createSet(claims: readonly VolumeClaimSpec[]): number {
    let order = this.setsBySpec.get(claims);
    if (order === undefined) {
      // Stable, so claims of equal size keep the pod's volume order.
      order = Int32Array.from(claims.map((_, i) => i).sort((a, b) => claims[a]!.size - claims[b]!.size || a - b));
      this.setsBySpec.set(claims, order);
    }
    const ids = new Int32Array(claims.length);
    for (let i = 0; i < order.length; i++) {
      const spec = claims[order[i]!]!;
      const id = this.newClaim();
      this.claimClass[id] = this.classId(spec.storageClass);
      this.claimSize[id] = spec.size;
      this.claimPv[id] = NONE;
      ids[i] = id;
    }
    const set = this.freeSets.pop() ?? this.sets.length;
    this.sets[set] = ids;
    return set;
  }

  /** Deletes a set's claims; their PVs become Available again. Returns how many PVs were released. */
  deleteSet(set: number): number {
    const ids = this.sets[set];
    if (ids === null || ids === undefined) throw new Error(`claim set ${set} does not exist`);
    let released = 0;
    for (const id of ids) {
      const pv = this.claimPv[id]!;
      if (pv !== NONE) {
        this.pvClaim[pv] = NONE;
        this.bound--;
        released++;
      }
      this.claimPv[id] = NONE;
      this.freeClaims.push(id);
    }
    this.sets[set] = null;
    this.freeSets.push(set);
    return released;
  }

  /**
   * FindPodVolumes for a set on a node: 0 when every bound claim's PV is on
   * the node and every unbound claim finds a distinct Available PV of its
   * class there with capacity ≥ its request; otherwise NODE_CONFLICT and/or
   * BIND_CONFLICT. With `empty`, as if no PV were bound (could the node ever hold them).
   */
  check(set: number, node: NodeIndex, empty = false): number {
    return this.match(this.sets[set] ?? EMPTY, node, empty, false);
  }

  /**
   * AssumePodVolumes + BindPodVolumes: binds the set's unbound claims to the
   * PVs `check` chose on `node`. Returns how many claims were bound, or −1
   * (nothing changed) when the node does not pass `check`.
   */
  bind(set: number, node: NodeIndex): number {
    const ids = this.sets[set] ?? EMPTY;
    if (this.match(ids, node, false, false) !== 0) return -1;
    return this.match(ids, node, false, true);
  }

  /** The PVs on `node` (nodePvs range). */
  pvsOn(node: NodeIndex): Int32Array {
    return this.nodePvs.subarray(this.nodeStart[node]!, this.nodeStart[node + 1]!);
  }

  private match(ids: Int32Array, node: number, empty: boolean, commit: boolean): number {
    const epoch = ++this.epoch;
    const from = this.nodeStart[node]!;
    const to = this.nodeStart[node + 1]!;
    let bits = 0;
    let made = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const bound = empty ? NONE : this.claimPv[id]!;
      if (bound !== NONE) {
        if (this.pvNode[bound] !== node) bits |= NODE_CONFLICT;
        continue;
      }
      const cls = this.claimClass[id]!;
      const size = this.claimSize[id]!;
      let found = NONE;
      // The node's PVs are sorted by capacity, so the first fit is the smallest (ties: the first created).
      for (let k = from; k < to; k++) {
        const pv = this.nodePvs[k]!;
        if (this.pvClass[pv] !== cls || this.pvCapacity[pv]! < size || this.chosenIn[pv] === epoch) continue;
        if (!empty && this.pvClaim[pv] !== NONE) continue;
        found = pv;
        break;
      }
      if (found === NONE) {
        bits |= BIND_CONFLICT;
        continue;
      }
      this.chosenIn[found] = epoch;
      if (commit) {
        this.pvClaim[found] = id;
        this.claimPv[id] = found;
        this.bound++;
        made++;
      }
    }
    return commit ? made : bits;
  }

  private classId(name: string): number {
    let c = this.classIds.get(name);
    if (c === undefined) {
      c = this.classNames.length;
      this.classNames.push(name);
      this.classIds.set(name, c);
    }
    return c;
  }

  private newClaim(): number {
    const free = this.freeClaims.pop();
    if (free !== undefined) return free;
    const id = this.claimCount++;
    if (id >= this.claimClass.length) {
      const n = this.claimClass.length * 2;
      this.claimClass = resized(this.claimClass, n);
      this.claimSize = resized(this.claimSize, n);
      const pv = resized(this.claimPv, n);
      pv.fill(NONE, id);
      this.claimPv = pv;
    }
    return id;
  }
}

const EMPTY = new Int32Array(0);
