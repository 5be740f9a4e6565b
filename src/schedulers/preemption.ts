/**
 * Priority preemption as an option of any placement policy (`NAME+preempt`):
 * when the policy finds no node for a pod, evict lower-priority pods from
 * one node so that it fits there — the resource part of kube-scheduler's
 * DefaultPreemption (framework/preemption/preemption.go, v1.34):
 *
 * - candidates: nodes that admit the pod (selectors, taints, local volumes)
 *   where it fits once every lower-priority pod is gone;
 * - SelectVictimsOnNode: remove them all, then reprieve the most important
 *   first (higher priority, then earlier start) while the pod still fits;
 * - pickOneNodeForPreemption's criteria (shared with the kube model): lowest
 *   highest-priority victim, smallest priority sum, fewest victims, latest
 *   start among the top victims, then the lowest node index;
 * - PodEligibleToPreemptOthers: a pod whose chosen node still has victims
 *   terminating waits for them instead of evicting more.
 *
 * Victims keep their node for their termination grace period; the pod waits
 * until they are gone. Not modelled: nominated-node protection against other
 * pods taking the freed room first, PodDisruptionBudgets, and affinity-based
 * filters of the wrapped policy (only resources and eligibility are checked).
 */
import type { NodeIndex } from '../core/ids.js';
import { BoundPods, pickOneNodeForPreemption } from './kube/preemption.js';
import type { PlacementPolicy, PodView, PolicyFactory, Preemption } from './types.js';

export const PREEMPT_SUFFIX = '+preempt';

interface Candidate {
  readonly node: number;
  readonly victims: number[];
}

/** `base` with preemption in every queue, named `name`; a policy with its own PostFilter keeps it. */
export function withPreemption(base: PolicyFactory, name: string): PolicyFactory {
  return (ctx) => {
    const inner = base(ctx);
    const { cluster } = ctx;
    const bound = new BoundPods(cluster.nodeCount);
    /** Per node, victims chosen and not yet gone. */
    const terminating = new Int32Array(cluster.nodeCount);
    /** The node each preempting pod (by slot) is waiting on. */
    const nominated = new Map<number, NodeIndex>();
    const dims = cluster.allocatable.length;
    const room = new Float64Array(dims);

    const fitsIn = (req: Float64Array): boolean => {
      for (let d = 0; d < dims; d++) if (req[d]! > room[d]!) return false;
      return true;
    };
    const take = (slot: number, sign: 1 | -1): void => {
      const r = bound.requests[slot]!;
      for (let d = 0; d < dims; d++) room[d]! += sign * r[d]!;
    };

    const victimsOn = (pod: PodView, node: NodeIndex): number[] | null => {
      for (let d = 0; d < dims; d++) room[d] = cluster.allocatable[d]![node]! - cluster.requested[d]![node]!;
      const potential: number[] = [];
      for (const s of bound.onNode[node]!) {
        if (bound.terminating[s] === 0 && bound.priority[s]! < pod.priority) {
          potential.push(s);
          take(s, 1);
        }
      }
      if (potential.length === 0 || !fitsIn(pod.requests)) return null;
      potential.sort((a, b) => bound.priority[b]! - bound.priority[a]! || bound.start[a]! - bound.start[b]!);
      const victims: number[] = [];
      for (const s of potential) {
        take(s, -1);
        if (!fitsIn(pod.requests)) {
          take(s, 1);
          victims.push(s);
        }
      }
      return victims;
    };

    const policy: PlacementPolicy = {
      name,
      preemptInPasses: true,
      onBind: (pod, node) => {
        bound.add(pod.slot!, node, pod.priority, pod.startTime ?? 0, pod.requests, []);
        nominated.delete(pod.slot!);
        inner.onBind?.(pod, node);
      },
      onRelease: (pod, node) => {
        const slot = pod.slot!;
        if (slot < bound.terminating.length && bound.terminating[slot] === 1) {
          bound.terminating[slot] = 0;
          terminating[node]!--;
        }
        bound.remove(slot);
        inner.onRelease?.(pod, node);
      },
      postFilter: (pod, c): Preemption | null => {
        // A policy with its own PostFilter (kube-default's DefaultPreemption) keeps it, now in every queue.
        if (inner.postFilter !== undefined) return inner.postFilter(pod, c);
        const slot = pod.slot;
        if (slot === undefined) return null;
        const waitingOn = nominated.get(slot);
        if (waitingOn !== undefined && terminating[waitingOn]! > 0) return null;
        const candidates: Candidate[] = [];
        for (let n = 0; n < cluster.nodeCount; n++) {
          const node = n as NodeIndex;
          if (!pod.eligible(node)) continue;
          const victims = victimsOn(pod, node);
          if (victims !== null && victims.length > 0) candidates.push({ node, victims });
        }
        if (candidates.length === 0) return null;
        const best = pickOneNodeForPreemption(candidates, bound);
        for (const v of best.victims) bound.terminating[v] = 1;
        terminating[best.node]! += best.victims.length;
        nominated.set(slot, best.node as NodeIndex);
        return { node: best.node as NodeIndex, victims: best.victims };
      },
    };
    if (inner.place !== undefined) policy.place = (pod, c) => inner.place!(pod, c);
    if (inner.filter !== undefined) policy.filter = (pod, node, c) => inner.filter!(pod, node, c);
    if (inner.score !== undefined) policy.score = (pod, node, c) => inner.score!(pod, node, c);
    if (inner.onNodeChanged !== undefined) policy.onNodeChanged = (node) => inner.onNodeChanged!(node);
    if (inner.onTerminating !== undefined) policy.onTerminating = (pod, node) => inner.onTerminating!(pod, node);
    if (inner.evaluatedNodes !== undefined) policy.evaluatedNodes = () => inner.evaluatedNodes!();
    if (inner.requeueOn !== undefined) policy.requeueOn = () => inner.requeueOn!();
    if (inner.hintOn !== undefined) policy.hintOn = () => inner.hintOn!();
    if (inner.queueingHint !== undefined) policy.queueingHint = (pod, event) => inner.queueingHint!(pod, event);
    return policy;
  };
}
