/**
 * `rackbench explain --cases FILE`: runs one kube plugin's Score on table-
 * driven cases, in the format of upstream-derived score vectors: nodes with
 * allocatable, pods already bound to them, an incoming pod made of
 * containers, and the plugin's args. Prints each node's raw Score output
 * (before NormalizeScore and weights), as the upstream tests assert it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { asNode } from '../core/ids.js';
import type { NodeSpec } from '../model/cluster.js';
import { ClusterState } from '../model/cluster-state.js';
import { InputError, parseYaml, validateWith } from '../model/scenario-file.js';
import { DEFAULT_MAX_PODS, PODS, ResourceSpace } from '../model/resources.js';
import { KubeCluster } from '../schedulers/kube/cluster.js';
import { SKIP } from '../schedulers/kube/framework.js';
import { podResources } from '../schedulers/kube/pod.js';
import type { ContainerSpec, KubePod } from '../schedulers/kube/pod.js';
import { KUBE_PLUGINS } from '../schedulers/kube/registry.js';

const amounts = z.record(z.string(), z.number().nonnegative());
const container = z.looseObject({ requests: amounts.optional(), restartPolicy: z.literal('Always').optional() });
const taint = z.strictObject({ key: z.string(), value: z.string().optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']) });
const podSpec = {
  containers: z.array(container).default([]),
  initContainers: z.array(container).default([]),
  overhead: amounts.optional(),
  labels: z.record(z.string(), z.string()).default({}),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(z.looseObject({})).default([]),
  affinity: z.looseObject({}).optional(),
  nodeName: z.string().default(''),
  priority: z.number().int().default(0),
};

const caseSchema = z.looseObject({
  id: z.string().min(1),
  plugin: z.string().min(1),
  args: z.unknown().optional(),
  nodes: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        allocatable: amounts,
        labels: z.record(z.string(), z.string()).default({}),
        taints: z.array(taint).default([]),
        unschedulable: z.boolean().default(false),
      }),
    )
    .min(1),
  existing_pods: z.array(z.looseObject({ node: z.string().min(1), ...podSpec })).default([]),
  incoming_pod: z.looseObject(podSpec),
});

const fileSchema = z.looseObject({ cases: z.array(caseSchema) });

type Case = z.output<typeof caseSchema>;

export interface CaseScores {
  readonly id: string;
  /** Raw Score output per node. */
  readonly scores: Record<string, number>;
  /** After the plugin's NormalizeScore (the raw scores when it has none). */
  readonly normalized: Record<string, number>;
}

/** The case format names CPU in millicores and memory in bytes; other resources keep their names. */
function resourceName(key: string): string {
  return key === 'cpu_milli' ? 'cpu' : key === 'memory_bytes' ? 'memory' : key;
}

const renamed = (m: Readonly<Record<string, number>> | undefined): Record<string, number> | undefined =>
  m === undefined ? undefined : Object.fromEntries(Object.entries(m).map(([k, v]) => [resourceName(k), v]));

const containers = (list: readonly { requests?: Record<string, number> | undefined; restartPolicy?: 'Always' | undefined }[]): ContainerSpec[] =>
  list.map((c) => ({ requests: renamed(c.requests), restartPolicy: c.restartPolicy }));

export function scoreCase(c: Case, file: string): CaseScores {
  const factory = KUBE_PLUGINS.get(c.plugin)?.factory;
  if (factory === undefined) {
    throw new InputError(file, [{ path: `cases[${c.id}].plugin`, message: `"${c.plugin}" is not a plugin rackbench models; known: ${[...KUBE_PLUGINS.keys()].join(', ')}` }]);
  }
  const names = new Set<string>();
  for (const n of c.nodes) for (const k of Object.keys(n.allocatable)) names.add(resourceName(k));
  const space = new ResourceSpace([...names]);
  const nodes: NodeSpec[] = c.nodes.map((n, i) => {
    const allocatable = space.zeros();
    for (const [k, v] of Object.entries(n.allocatable)) allocatable[space.indexOf(resourceName(k))!] = v;
    // Nodes built without a pod count (upstream's makeNode) are not limited by it when scoring.
    if (n.allocatable.pods === undefined) allocatable[PODS] = DEFAULT_MAX_PODS;
    return {
      index: asNode(i),
      name: n.name,
      pool: 'case',
      zone: '',
      rack: '',
      labels: { ...n.labels, 'kubernetes.io/hostname': n.name },
      taints: n.taints,
      unschedulable: n.unschedulable,
      capacity: allocatable,
      allocatable,
    };
  });
  const state = new ClusterState(space, nodes);
  const kube = new KubeCluster(state);
  for (const p of c.existing_pods) {
    const node = nodes.findIndex((n) => n.name === p.node);
    if (node < 0) throw new InputError(file, [{ path: `cases[${c.id}].existing_pods`, message: `no node named "${p.node}"` }]);
    const r = podResources(space, containers(p.containers), containers(p.initContainers), renamed(p.overhead));
    r.requests[PODS] = 1;
    if (!state.reserve(asNode(node), r.requests)) {
      throw new InputError(file, [{ path: `cases[${c.id}].existing_pods`, message: `the pods on ${p.node} exceed its allocatable` }]);
    }
    kube.bind(asNode(node), r.nonZeroCpu, r.nonZeroMemory);
  }
  const incoming = c.incoming_pod;
  const r = podResources(space, containers(incoming.containers), containers(incoming.initContainers), renamed(incoming.overhead));
  r.requests[PODS] = 1;
  const pod: KubePod = {
    requests: r.requests,
    nonZeroCpu: r.nonZeroCpu,
    nonZeroMemory: r.nonZeroMemory,
    priority: incoming.priority,
    labels: incoming.labels,
    nodeSelector: incoming.nodeSelector,
    tolerations: incoming.tolerations as KubePod['tolerations'],
    affinity: incoming.affinity as KubePod['affinity'],
    nodeName: incoming.nodeName,
  };
  const plugin = factory(c.args, kube);
  const all = Int32Array.from(nodes, (n) => n.index);
  const skipped = plugin.preScore?.(pod, all, all.length) === SKIP;
  const raw = new Float64Array(nodes.length);
  for (const n of nodes) raw[n.index] = skipped || plugin.score === undefined ? 0 : plugin.score(pod, n.index);
  const scores = Object.fromEntries(nodes.map((n) => [n.name, raw[n.index]!]));
  if (!skipped) plugin.normalizeScore?.(pod, raw, all, all.length);
  const normalized = Object.fromEntries(nodes.map((n) => [n.name, raw[n.index]!]));
  return { id: c.id, scores, normalized };
}

/** Validates and scores one case given as plain data. */
export function scoreCaseData(data: unknown, source = 'case'): CaseScores {
  return scoreCase(validateWith(caseSchema, data, source), source);
}

/** Reads a cases file (JSON or YAML) and scores every case. Throws InputError on bad input. */
export function explainCases(file: string): { cases: CaseScores[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(file, [{ path: '', message: 'cannot read the file' }]);
  }
  const parsed = parseYaml(text, file);
  const data = validateWith(fileSchema, parsed.data, file, parsed);
  return { cases: data.cases.map((c) => scoreCase(c, file)) };
}
