/**
 * Nodes of a kubectl dump as scenario pools: each node's allocatable becomes
 * its pool's capacity (reserved stays empty), with its labels, taints, zone,
 * rack and images. Identical nodes — same allocatable, role, taints,
 * cordon and labels apart from the per-node ones — share one pool.
 */
import type { Taint } from '../model/labels.js';
import { arrAt, boolAt, describeObject, DumpIssue, formatResource, intAt, isObj, objAt, resourceListAt, strAt, stringMapAt } from './dump.js';
import type { K8sObject } from './dump.js';
import type { Notes } from './pod-spec.js';

export const HOSTNAME = 'kubernetes.io/hostname';
export const ZONE = 'topology.kubernetes.io/zone';
/** The rack label rackbench's cluster builder sets from a pool's `racks`. */
export const RACKBENCH_RACK = 'topology.rackbench.io/rack';
/** Labels that differ on every node and that the cluster builder cannot give per node: dropped. */
const PER_NODE_LABELS = [HOSTNAME, 'k3s.io/hostname', 'k3s.io/internal-ip', 'k3s.io/external-ip', 'rackbench.io/pool'];

export interface NodeImage {
  readonly names: readonly string[];
  readonly sizeBytes: number;
}

export interface ImportedNode {
  /** The node's name in the dump. */
  readonly name: string;
  readonly allocatable: ReadonlyMap<string, number>;
  /** Labels the pool carries: per-node ones, the zone and rackbench's rack label removed. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  readonly role: 'server' | 'agent';
  readonly zone?: string | undefined;
  readonly rack?: string | undefined;
  readonly images: readonly NodeImage[];
  /** Its kubelet is k3s's (status.nodeInfo.kubeletVersion "v1.30.4+k3s1"). */
  readonly k3s: boolean;
}

/** The first rack-like label: rackbench's own, then any key named `rack` or ending in `/rack`. */
function rackLabel(labels: Readonly<Record<string, string>>): [string, string] | undefined {
  if (labels[RACKBENCH_RACK] !== undefined) return [RACKBENCH_RACK, labels[RACKBENCH_RACK]];
  for (const [k, v] of Object.entries(labels)) if (k === 'rack' || k.endsWith('/rack')) return [k, v];
  return undefined;
}

/** Reads one Node. Throws DumpIssue on malformed fields; `warn` receives quirks worth a line of their own. */
export function readNode(o: K8sObject, index: number, notes: Notes, warn: (message: string) => void): ImportedNode {
  const d = o.data;
  const metadata = objAt(d, 'metadata', []) ?? {};
  const spec = objAt(d, 'spec', []) ?? {};
  const status = objAt(d, 'status', []) ?? {};
  let name = strAt(metadata, 'name', ['metadata']);
  if (name === undefined || name === '') {
    const generate = strAt(metadata, 'generateName', ['metadata']);
    name = `${generate ?? 'node-'}${index + 1}`;
    notes.add('nodes without metadata.name (named after their generateName and position)');
  }
  const capacity = resourceListAt(status, 'capacity', ['status']);
  let allocatable = resourceListAt(status, 'allocatable', ['status']);
  if (status.allocatable === undefined || status.allocatable === null) {
    if (capacity.size === 0) throw new DumpIssue(['status'], 'neither status.allocatable nor status.capacity: nothing to size the node by');
    allocatable = capacity;
    notes.add('nodes without status.allocatable (their capacity was used, as allocatable defaults to capacity)');
  }
  for (const [r, v] of allocatable) {
    const c = capacity.get(r);
    if (c !== undefined && v > c) warn(`${describeObject(o)}: allocatable ${r} (${formatResource(r, v)}) exceeds its capacity (${formatResource(r, c)}); the allocatable is kept`);
  }
  for (const r of [...allocatable.keys()]) {
    if (r.startsWith('attachable-volumes-')) {
      allocatable.delete(r);
      notes.add('node volume-attach limits (attachable-volumes-*) dropped, not modelled');
    }
  }
  const all = stringMapAt(metadata, 'labels', ['metadata']);
  const labels: Record<string, string> = {};
  let dropped = false;
  for (const [k, v] of Object.entries(all)) {
    if (PER_NODE_LABELS.includes(k) || (v === name && k !== ZONE)) {
      if (k !== HOSTNAME && k !== 'rackbench.io/pool') dropped = true;
      continue;
    }
    labels[k] = v;
  }
  if (dropped) notes.add('nodes whose per-node labels (k3s.io/hostname, k3s.io/internal-ip, or a label equal to the node name) were dropped; rackbench sets kubernetes.io/hostname');
  const zone = labels[ZONE];
  delete labels[ZONE];
  const rack = rackLabel(labels);
  if (rack?.[0] === RACKBENCH_RACK) delete labels[RACKBENCH_RACK];
  const taints: Taint[] = arrAt(spec, 'taints', ['spec']).map((t, i) => {
    const tp = ['spec', 'taints', i];
    if (!isObj(t)) throw new DumpIssue(tp, 'expected a taint object');
    const key = strAt(t, 'key', tp);
    const effect = strAt(t, 'effect', tp);
    if (key === undefined || key === '') throw new DumpIssue([...tp, 'key'], 'expected a taint key');
    if (effect !== 'NoSchedule' && effect !== 'PreferNoSchedule' && effect !== 'NoExecute') {
      throw new DumpIssue([...tp, 'effect'], `expected NoSchedule, PreferNoSchedule or NoExecute, got ${JSON.stringify(effect)}`);
    }
    const value = strAt(t, 'value', tp);
    return { key, ...(value !== undefined && value !== '' ? { value } : {}), effect };
  });
  const images: NodeImage[] = [];
  arrAt(status, 'images', ['status']).forEach((img, i) => {
    const ip = ['status', 'images', i];
    if (!isObj(img)) throw new DumpIssue(ip, 'expected an image object');
    const names = arrAt(img, 'names', ip).filter((n): n is string => typeof n === 'string' && n !== '');
    const sizeBytes = intAt(img, 'sizeBytes', ip) ?? 0;
    if (names.length > 0 && sizeBytes >= 0) images.push({ names, sizeBytes });
  });
  const nodeInfo = objAt(status, 'nodeInfo', ['status']);
  const kubelet = nodeInfo === undefined ? undefined : strAt(nodeInfo, 'kubeletVersion', ['status', 'nodeInfo']);
  const server = 'node-role.kubernetes.io/control-plane' in all || 'node-role.kubernetes.io/master' in all;
  return {
    name,
    allocatable,
    labels,
    taints,
    unschedulable: boolAt(spec, 'unschedulable', ['spec']) === true,
    role: server ? 'server' : 'agent',
    zone,
    rack: rack?.[1],
    images,
    k3s: kubelet?.includes('+k3s') === true,
  };
}

export interface ImportedPool {
  readonly name: string;
  readonly nodes: readonly ImportedNode[];
}

/** A lowercase DNS-style name (what the scenario schema accepts) made from `text`. */
export function dnsName(text: string, fallback: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return s === '' ? fallback : s;
}

/** Gives out names unique within one namespace of names: `x`, then `x-2`, `x-3` … */
export class UniqueNames {
  private readonly used = new Set<string>();
  take(name: string): string {
    let out = name;
    for (let i = 2; this.used.has(out); i++) out = `${name}-${i}`;
    this.used.add(out);
    return out;
  }
}

function signature(n: ImportedNode): string {
  return JSON.stringify([
    [...n.allocatable].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    Object.entries(n.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    n.taints,
    n.unschedulable,
    n.role,
    n.zone !== undefined,
    n.rack !== undefined,
  ]);
}

/** The name a group of nodes' pool gets: the one node's name, or the common prefix of the names without its trailing digits and dashes. */
function poolBaseName(nodes: readonly ImportedNode[]): string {
  const names = nodes.map((n) => n.name);
  if (names.length === 1) return dnsName(names[0]!, 'node');
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return dnsName(prefix.replace(/[-._0-9]+$/, ''), 'pool');
}

/**
 * Pools in order of their first node. With `group`, identical nodes share a
 * pool; without, each node is a pool of one. Node i (from 0) of a pool is
 * called `<pool>-<i+1>` in the simulation (see buildNodes).
 */
export function poolsOf(nodes: readonly ImportedNode[], group: boolean): ImportedPool[] {
  const groups = new Map<string, ImportedNode[]>();
  nodes.forEach((n, i) => {
    const key = group ? signature(n) : String(i);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [n]);
    else g.push(n);
  });
  const names = new UniqueNames();
  return [...groups.values()].map((g) => ({ name: names.take(poolBaseName(g)), nodes: g }));
}

/** The images every node of the pool has (by their first name), with the first node's sizes. */
export function commonImages(pool: ImportedPool): NodeImage[] {
  const [first, ...rest] = pool.nodes;
  if (first === undefined) return [];
  const sets = rest.map((n) => new Set(n.images.map((i) => i.names[0])));
  return first.images.filter((i) => sets.every((s) => s.has(i.names[0])));
}
