/**
 * Eligibility classes: pods with the same nodeSelector, required node affinity and tolerations may go
 * to the same nodes, so which nodes admit them is computed once per class,
 * not per pod or per decision.
 */
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import { matchesRequiredAffinity } from '../model/affinity.js';
import { matchesSelector, toleratesAll } from '../model/labels.js';
import type { Taint } from '../model/labels.js';
import { formatQuantity } from '../model/quantity.js';
import type { LocalVolumes } from '../model/volumes.js';
import type { PodTemplate } from '../workload/pod.js';

/** The taint a cordoned node behaves as if it had. */
const CORDONED: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** The class key of a template with no nodeSelector, tolerations or required node affinity (as JSON.stringify writes it). */
const UNCONSTRAINED = JSON.stringify([{}, [], null]);

/** How many constrained templates' classes are remembered before the memo starts over. */
const TEMPLATE_MEMO = 4096;

function isEmpty(labels: object): boolean {
  for (const _ in labels) return false;
  return true;
}

export interface EligibilityClass {
  /** admits[node] = 1 when the node admits the class; null when every node does. */
  readonly admits: Uint8Array | null;
  /** The distinct allocatable vectors of admitting nodes, to tell at once whether a pod can ever fit. */
  readonly shapes: readonly Float64Array[];
}

export class EligibilityClasses {
  readonly classes: EligibilityClass[] = [];
  private readonly byTemplate = new Map<PodTemplate, number>();
  /** The class of templates without constraints, once one has been seen (−1 before). */
  private unconstrained = -1;
  private readonly byKey = new Map<string, number>();
  private readonly anyTaints: boolean;
  private readonly claimsVerdict = new WeakMap<PodTemplate, string | null>();

  constructor(private readonly cluster: ClusterView) {
    this.anyTaints = cluster.nodes.some((n) => n.unschedulable || n.taints.some((t) => t.effect !== 'PreferNoSchedule'));
  }

  /** The class index of pods made from `template`. */
  classOf(template: PodTemplate): number {
    const required = template.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    // A template without any constraint (a trace can give every pod its own) is told apart in a few reads:
    // it is never remembered, so such templates neither pay a map insertion each nor grow the map without bound.
    if (required === undefined && template.tolerations.length === 0 && isEmpty(template.nodeSelector)) {
      if (this.unconstrained < 0) this.unconstrained = this.classFor(UNCONSTRAINED, template);
      return this.unconstrained;
    }
    let c = this.byTemplate.get(template);
    if (c === undefined) {
      c = this.classFor(JSON.stringify([template.nodeSelector, template.tolerations, required ?? null]), template);
      // A cache over classes that byKey keeps: emptied when full, so a trace of one-pod templates stays bounded.
      if (this.byTemplate.size >= TEMPLATE_MEMO) this.byTemplate.clear();
      this.byTemplate.set(template, c);
    }
    return c;
  }

  /** The class of this key, built from `template` the first time. */
  private classFor(key: string, template: PodTemplate): number {
    let c = this.byKey.get(key);
    if (c === undefined) {
      c = this.classes.length;
      this.classes.push(this.build(template));
      this.byKey.set(key, c);
    }
    return c;
  }

  /**
   * Why no node could ever hold a pod of this class with these requests, or
   * undefined when some admitting node is large enough when empty.
   */
  neverFits(c: number, requests: Float64Array): string | undefined {
    const { shapes } = this.classes[c]!;
    if (shapes.length === 0) return 'no node matches its nodeSelector and node affinity and has only taints it tolerates';
    for (const shape of shapes) if (covers(shape, requests)) return undefined;
    const space = this.cluster.space;
    const short: string[] = [];
    for (let d = 0; d < requests.length; d++) {
      let largest = 0;
      for (const shape of shapes) largest = Math.max(largest, shape[d]!);
      if (requests[d]! > largest) {
        const unit = space.unitOf(d);
        short.push(`${space.names[d]} ${formatQuantity(requests[d]!, unit)} > largest allocatable ${formatQuantity(largest, unit)}`);
      }
    }
    return short.length > 0
      ? `larger than every node: ${short.join(', ')}`
      : 'no single node has all of its requests at once';
  }

  /**
   * Why no admitting node could ever hold the template's volume claims (not
   * even with all its local PVs available), or undefined. `set` is a new,
   * unbound claim set of the template; the verdict is kept per template.
   */
  neverHoldsClaims(c: number, template: PodTemplate, set: number, volumes: LocalVolumes): string | undefined {
    let verdict = this.claimsVerdict.get(template);
    if (verdict === undefined) {
      verdict = 'no node it may run on has local persistent volumes of the classes and sizes its volume claims need';
      const { admits } = this.classes[c]!;
      for (let n = 0; n < this.cluster.nodeCount; n++) {
        if ((admits === null || admits[n] === 1) && volumes.check(set, n as NodeIndex, true) === 0) {
          verdict = null;
          break;
        }
      }
      this.claimsVerdict.set(template, verdict);
    }
    return verdict ?? undefined;
  }

  private build(template: PodTemplate): EligibilityClass {
    const { nodes } = this.cluster;
    const required = template.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const unconstrained = Object.keys(template.nodeSelector).length === 0 && required === undefined && !this.anyTaints;
    const admits = unconstrained ? null : new Uint8Array(nodes.length);
    const shapes = new Map<string, Float64Array>();
    for (const node of nodes) {
      const ok =
        unconstrained ||
        (matchesSelector(template.nodeSelector, node.labels) &&
          matchesRequiredAffinity(template.affinity, node.labels) &&
          toleratesAll(template.tolerations, node.unschedulable ? [...node.taints, CORDONED] : node.taints));
      if (!ok) continue;
      if (admits !== null) admits[node.index] = 1;
      // What the scheduler sees (over-committed where the cluster is), not the node's own capacity.
      const shape = Float64Array.from(this.cluster.allocatable, (alloc) => alloc[node.index]!);
      shapes.set(shape.join(','), shape);
    }
    return { admits, shapes: [...shapes.values()] };
  }
}

function covers(shape: Float64Array, requests: Float64Array): boolean {
  for (let d = 0; d < requests.length; d++) if (requests[d]! > shape[d]!) return false;
  return true;
}
