/**
 * What kube plugins read about nodes: the shared resource arrays, plus what
 * kube-scheduler keeps in NodeInfo that the simulator does not — the
 * NonZeroRequested CPU and memory sums, and which pods are on each node (as
 * counts per pod group, enough to count the pods a label selector matches) —
 * and the snapshot's node order.
 *
 * A terminating pod (deletionTimestamp set: a preemption victim in its grace
 * period) stays in NodeInfo until it is gone, so it keeps its requests and
 * host ports; it moves to a group of its own kind, flagged `terminating`,
 * which InterPodAffinity counts like any other and PodTopologySpread leaves
 * out (podtopologyspread/common.go, countPodsMatchSelector).
 */
import type { NodeIndex } from '../../core/ids.js';
import { hasPodAffinityTerms } from '../../model/affinity.js';
import type { Affinity } from '../../model/affinity.js';
import type { ClusterView } from '../../model/cluster-state.js';
import type { HostPort } from '../../model/container.js';
import type { Labels } from '../../model/labels.js';

/** The nodes' values of one topology label. */
export interface TopologyDomains {
  /** Per node: the index of its value in `values`, or −1 when the node lacks the label. */
  readonly of: Int32Array;
  /** The distinct values; index 0 is always the empty value "", whether or not a node has it. */
  readonly values: readonly string[];
  /** Per value: how many nodes have it. */
  readonly nodes: Int32Array;
}

/** A topology label whose pods are also counted per value, kept up to date by bind and release. */
export interface TrackedDomains extends TopologyDomains {
  /** Per pod group: its pods bound to nodes with each value, and in a last slot (index values.length) to nodes without the label. */
  readonly podsByGroup: readonly Int32Array[];
}

interface Tracked {
  readonly of: Int32Array;
  readonly missing: number;
  readonly podsByGroup: Int32Array[];
}

export class KubeCluster {
  /** NodeInfo.NonZeroRequested: requests with the per-container defaults for missing CPU/memory. */
  readonly nonZeroCpu: Float64Array;
  readonly nonZeroMemory: Float64Array;
  /**
   * The order the scheduler walks nodes in: zones interleaved round-robin, as
   * the scheduler cache's nodeTree lists them (backend/cache/node_tree.go).
   */
  readonly order: Int32Array;
  /** walkPosition[node]: the node's index in `order`. */
  readonly walkPosition: Int32Array;
  /**
   * Pod groups: pods with the same namespace and labels, which every label
   * selector matches or not alike (in the simulator, the pods of one
   * PodTemplate), and the same pod (anti-)affinity terms. Groups are numbered
   * from 0 in order of first use and never removed, so a plugin can remember
   * which groups a selector matches.
   */
  readonly groupNamespace: string[] = [];
  readonly groupLabels: Labels[] = [];
  /** Per group: whether its pods are terminating. */
  readonly groupTerminating: boolean[] = [];
  /** Per group: the affinity whose pod (anti-)affinity terms its pods carry, or undefined for none. */
  readonly groupAffinity: (Affinity | undefined)[] = [];
  /** The groups whose pods carry pod (anti-)affinity terms, in order of first use. */
  readonly affinityGroups: number[] = [];
  /** Per group: how many of its pods are bound, on any node. */
  readonly groupPods: number[] = [];
  /** Per group, per node: how many of the group's pods are bound there. */
  readonly podsByGroup: Int32Array[] = [];
  private readonly groupIds = new Map<string, number>();
  /** Group ids by labels object, then namespace and pod-affinity key, so a template's pods find theirs without building a key. */
  private readonly groupCache = new WeakMap<Labels, Map<string, number>>();
  /** The key of an affinity's pod (anti-)affinity terms ('' for none), per affinity object. */
  private readonly affinityKeys = new WeakMap<Affinity, string>();
  private readonly domainTables = new Map<string, TopologyDomains>();
  private readonly trackedTables = new Map<string, TrackedDomains>();
  private readonly tracked: Tracked[] = [];
  /**
   * NodeInfo.UsedPorts, per node (created on first use): per (protocol, port)
   * key (see portKeys), how many bound pods use it on each host IP id.
   */
  private readonly usedPorts: (Map<number, Map<number, number>> | undefined)[];
  /** Host IP ids: "0.0.0.0" is 0, others numbered from 1 in order of first use. */
  private readonly ipIds = new Map<string, number>([['0.0.0.0', 0]]);
  private readonly portKeyCache = new WeakMap<readonly HostPort[], Int32Array>();
  /**
   * A what-if change to one node's requested resources, seen by
   * NodeResourcesFit's single-node filter (never by its batch filterNodes):
   * preemption's dry run removes victims and adds nominated pods here
   * instead of cloning NodeInfo (preemption.go SelectVictimsOnNode,
   * framework.go addGENominatedPods). −1 when no node has one.
   */
  overlayNode = -1;
  readonly overlay: Float64Array;

  constructor(readonly view: ClusterView) {
    const n = view.nodeCount;
    this.overlay = new Float64Array(view.space.size);
    this.nonZeroCpu = new Float64Array(n);
    this.nonZeroMemory = new Float64Array(n);
    this.order = zoneInterleavedOrder(view);
    this.walkPosition = new Int32Array(n);
    this.order.forEach((node, i) => (this.walkPosition[node] = i));
    this.usedPorts = new Array<Map<number, Map<number, number>> | undefined>(n).fill(undefined);
  }

  /**
   * A pod's host ports as pairs [protocol·65536 + port, host IP id], computed
   * once per ports array (a template's pods share theirs).
   */
  portKeys(ports: readonly HostPort[]): Int32Array {
    let keys = this.portKeyCache.get(ports);
    if (keys === undefined) {
      keys = new Int32Array(ports.length * 2);
      ports.forEach((p, i) => {
        keys![2 * i] = PROTOCOLS.indexOf(p.protocol) * 65536 + p.port;
        let ip = this.ipIds.get(p.hostIP);
        if (ip === undefined) {
          ip = this.ipIds.size;
          this.ipIds.set(p.hostIP, ip);
        }
        keys![2 * i + 1] = ip;
      });
      this.portKeyCache.set(ports, keys);
    }
    return keys;
  }

  /** Records the host ports of a pod bound to `node`. */
  bindPorts(node: NodeIndex, ports: readonly HostPort[]): void {
    if (ports.length === 0) return;
    const keys = this.portKeys(ports);
    let used = this.usedPorts[node];
    if (used === undefined) {
      used = new Map();
      this.usedPorts[node] = used;
    }
    for (let i = 0; i < keys.length; i += 2) {
      let ips = used.get(keys[i]!);
      if (ips === undefined) {
        ips = new Map();
        used.set(keys[i]!, ips);
      }
      ips.set(keys[i + 1]!, (ips.get(keys[i + 1]!) ?? 0) + 1);
    }
  }

  /** Releases the host ports of a pod leaving `node`; the same arguments as its bindPorts. */
  releasePorts(node: NodeIndex, ports: readonly HostPort[]): void {
    if (ports.length === 0) return;
    const keys = this.portKeys(ports);
    const used = this.usedPorts[node];
    for (let i = 0; i < keys.length; i += 2) {
      const ips = used?.get(keys[i]!);
      const count = ips?.get(keys[i + 1]!);
      if (ips === undefined || count === undefined) throw new Error(`releasePorts: node ${node} does not hold port ${keys[i]! % 65536}`);
      if (count > 1) ips.set(keys[i + 1]!, count - 1);
      else {
        ips.delete(keys[i + 1]!);
        if (ips.size === 0) used!.delete(keys[i]!);
      }
    }
  }

  /**
   * HostPortInfo.CheckConflict for each of a pod's port keys: whether a pod
   * bound to `node` uses the same protocol and port on an address the wanted
   * one overlaps (0.0.0.0 overlaps every address).
   */
  portsConflict(node: NodeIndex, keys: Int32Array): boolean {
    const used = this.usedPorts[node];
    if (used === undefined || used.size === 0) return false;
    for (let i = 0; i < keys.length; i += 2) {
      const ips = used.get(keys[i]!);
      if (ips === undefined) continue;
      const ip = keys[i + 1]!;
      if (ip === 0 || ips.has(ip) || ips.has(0)) return true;
    }
    return false;
  }

  get groupCount(): number {
    return this.groupNamespace.length;
  }

  /**
   * The group of pods with this namespace, labels and pod (anti-)affinity
   * terms (those of `affinity`), terminating or not, created on first use.
   */
  group(namespace: string, labels: Labels, affinity?: Affinity, terminating = false): number {
    const affinityKey = affinity === undefined ? '' : this.affinityKey(affinity);
    const cacheKey = `${terminating ? '\u0001' : ''}${affinityKey === '' ? namespace : `${namespace}\u0000${affinityKey}`}`;
    let byNamespace = this.groupCache.get(labels);
    const cached = byNamespace?.get(cacheKey);
    if (cached !== undefined) return cached;
    const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = JSON.stringify([namespace, sorted, affinityKey, terminating]);
    let id = this.groupIds.get(key);
    if (id === undefined) {
      id = this.groupNamespace.length;
      this.groupIds.set(key, id);
      this.groupNamespace.push(namespace);
      this.groupLabels.push(labels);
      this.groupTerminating.push(terminating);
      this.groupAffinity.push(affinityKey === '' ? undefined : affinity);
      if (affinityKey !== '') this.affinityGroups.push(id);
      this.groupPods.push(0);
      this.podsByGroup.push(new Int32Array(this.view.nodeCount));
      for (const t of this.tracked) t.podsByGroup.push(new Int32Array(t.missing + 1));
    }
    if (byNamespace === undefined) {
      byNamespace = new Map();
      this.groupCache.set(labels, byNamespace);
    }
    byNamespace.set(cacheKey, id);
    return id;
  }

  private affinityKey(affinity: Affinity): string {
    let key = this.affinityKeys.get(affinity);
    if (key === undefined) {
      key = hasPodAffinityTerms(affinity) ? JSON.stringify([affinity.podAffinity ?? null, affinity.podAntiAffinity ?? null]) : '';
      this.affinityKeys.set(affinity, key);
    }
    return key;
  }

  /** Records a pod bound to `node` (after ClusterState.reserve); `group` is its pod group, or −1 to leave it uncounted. */
  bind(node: NodeIndex, nonZeroCpu: number, nonZeroMemory: number, group = -1): void {
    this.nonZeroCpu[node]! += nonZeroCpu;
    this.nonZeroMemory[node]! += nonZeroMemory;
    if (group >= 0) this.count(node, group, 1);
  }

  /** Records a pod leaving `node`; the same arguments as its bind (with its group now). */
  release(node: NodeIndex, nonZeroCpu: number, nonZeroMemory: number, group = -1): void {
    this.nonZeroCpu[node]! -= nonZeroCpu;
    this.nonZeroMemory[node]! -= nonZeroMemory;
    if (group >= 0) this.count(node, group, -1);
  }

  /** Moves a pod bound to `node` from one group to another (it began terminating); its requests stay. */
  regroup(node: NodeIndex, from: number, to: number): void {
    this.count(node, from, -1);
    this.count(node, to, 1);
  }

  private count(node: NodeIndex, group: number, delta: 1 | -1): void {
    this.groupPods[group]! += delta;
    this.podsByGroup[group]![node]! += delta;
    for (const t of this.tracked) {
      const d = t.of[node]!;
      t.podsByGroup[group]![d < 0 ? t.missing : d]! += delta;
    }
  }

  /** The nodes' values of label `key` (node labels do not change during a run, so this is computed once per key). */
  domains(key: string): TopologyDomains {
    let table = this.domainTables.get(key);
    if (table === undefined) {
      const values = [''];
      const index = new Map<string, number>([['', 0]]);
      const of = new Int32Array(this.view.nodeCount).fill(-1);
      for (const node of this.view.nodes) {
        if (!Object.hasOwn(node.labels, key)) continue;
        const value = node.labels[key]!;
        let d = index.get(value);
        if (d === undefined) {
          d = values.length;
          index.set(value, d);
          values.push(value);
        }
        of[node.index] = d;
      }
      const nodes = new Int32Array(values.length);
      for (let i = 0; i < of.length; i++) if (of[i]! >= 0) nodes[of[i]!]! += 1;
      table = { of, values, nodes };
      this.domainTables.set(key, table);
    }
    return table;
  }

  /**
   * domains(key), plus the pods of every group counted per value from now on,
   * so a spread over few domains (zones, racks) needs no walk over the nodes.
   * Each tracked label costs every bind and release one more update.
   */
  trackDomains(key: string): TrackedDomains {
    let table = this.trackedTables.get(key);
    if (table === undefined) {
      const { of, values, nodes } = this.domains(key);
      const missing = values.length;
      const podsByGroup = this.podsByGroup.map((perNode) => {
        const perDomain = new Int32Array(missing + 1);
        for (let i = 0; i < perNode.length; i++) perDomain[of[i]! < 0 ? missing : of[i]!]! += perNode[i]!;
        return perDomain;
      });
      this.tracked.push({ of, missing, podsByGroup });
      table = { of, values, nodes, podsByGroup };
      this.trackedTables.set(key, table);
    }
    return table;
  }
}

/** Protocols in port keys' order. */
const PROTOCOLS: readonly HostPort['protocol'][] = ['TCP', 'UDP', 'SCTP'];

/** Nodes grouped by region/zone in order of first appearance, then taken one per zone in turn. */
function zoneInterleavedOrder(view: ClusterView): Int32Array {
  const zones = new Map<string, number[]>();
  for (const node of view.nodes) {
    const key = `${node.labels['topology.kubernetes.io/region'] ?? ''}:\u0000:${node.labels['topology.kubernetes.io/zone'] ?? ''}`;
    const list = zones.get(key);
    if (list) list.push(node.index);
    else zones.set(key, [node.index]);
  }
  const order = new Int32Array(view.nodeCount);
  const lists = [...zones.values()];
  let k = 0;
  for (let round = 0; k < order.length; round++) {
    for (const list of lists) if (round < list.length) order[k++] = list[round]!;
  }
  return order;
}
