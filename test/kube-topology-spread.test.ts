import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import { isEmptySelector, selectorMatches, selectorOf, withLabels } from '../src/model/label-selector.js';
import type { LabelSelector, TopologySpreadConstraint } from '../src/model/label-selector.js';
import { PODS } from '../src/model/resources.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { explainCases, filterCaseData, filterCases, scoreCaseData } from '../src/explain/cases.js';
import type { FilterStatus } from '../src/explain/cases.js';
import { prepareRun, runOne } from '../src/runner/run-one.js';
import { KubeCluster } from '../src/schedulers/kube/cluster.js';
import { argsSchema } from '../src/schedulers/kube/plugins/pod-topology-spread.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';

import { loadVectors } from './support/vectors.js';
import type { FilterVector, ScoreVector } from './support/vectors.js';
import { runs } from './support/property-runs.js';

const FILTER = new URL('./fixtures/kube-pts-filter-vectors.json', import.meta.url);
const SCORE = new URL('./fixtures/kube-pts-score-vectors.json', import.meta.url);

const load = loadVectors;

describe('PodTopologySpread Filter vectors (test/fixtures/kube-pts-filter-vectors.json)', () => {
  const got = new Map(filterCases(FILTER.pathname).cases.map((c) => [c.id, c]));
  it.each(load<FilterVector>(FILTER).map((c) => [`${c.id}: ${c.test_name}`, c] as const))('%s', (_name, c) => {
    const statuses = Object.fromEntries(Object.entries(got.get(c.id)!.nodes).map(([node, r]) => [node, r.status]));
    expect(statuses).toEqual(c.expected_filter);
  });
});

describe('PodTopologySpread Score vectors (test/fixtures/kube-pts-score-vectors.json)', () => {
  const got = new Map(explainCases(SCORE.pathname).cases.map((c) => [c.id, c]));
  it.each(load<ScoreVector>(SCORE).map((c) => [`${c.id}: ${c.test_name}`, c] as const))('%s', (_name, c) => {
    if (c.expected_scores !== undefined) expect(got.get(c.id)!.scores).toEqual(c.expected_scores);
    expect(got.get(c.id)!.normalized).toEqual(c.expected_normalized);
  });
});

describe('label selectors (LabelSelectorAsSelector)', () => {
  it('an absent selector matches nothing, an empty one everything', () => {
    expect(selectorMatches(selectorOf(undefined), {})).toBe(false);
    expect(selectorMatches(selectorOf({}), { any: 'thing' })).toBe(true);
    expect(isEmptySelector(selectorOf({}))).toBe(true);
    expect(isEmptySelector(selectorOf(undefined))).toBe(false);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const s = selectorOf({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] });
    expect(selectorMatches(s, { app: 'web' })).toBe(true);
    expect(selectorMatches(s, { app: 'web', tier: 'fe' })).toBe(true);
    expect(selectorMatches(s, { app: 'web', tier: 'db' })).toBe(false);
    expect(selectorMatches(s, { tier: 'fe' })).toBe(false);
    expect(selectorMatches(selectorOf({ matchExpressions: [{ key: 'constructor', operator: 'DoesNotExist' }] }), {})).toBe(true);
  });

  it('matchLabelKeys narrow a selector, but a selector that matches nothing stays so', () => {
    expect(selectorMatches(withLabels(selectorOf({}), { app: 'a' }), { app: 'b' })).toBe(false);
    expect(selectorMatches(withLabels(selectorOf(undefined), { app: 'a' }), { app: 'a' })).toBe(false);
  });
});

/** A one-constraint case over four nodes in two zones (node-c has no zone label), with two matching pods on node-a. */
function defaultsCase(args: unknown, defaultSelector: Record<string, string>, candidates?: string[]) {
  const zone = 'topology.kubernetes.io/zone';
  return {
    id: 'd',
    plugin: 'PodTopologySpread',
    args,
    nodes: [
      { name: 'node-a', labels: { [zone]: 'z1' } },
      { name: 'node-b', labels: { [zone]: 'z2' } },
      { name: 'node-c', labels: {} },
    ],
    existing_pods: [
      { node: 'node-a', labels: { app: 'web' } },
      { node: 'node-a', labels: { app: 'web' } },
    ],
    incoming_pod: { labels: { app: 'web' }, defaultSelector },
    ...(candidates === undefined ? {} : { candidates }),
  };
}

describe('default constraints', () => {
  const list = (whenUnsatisfiable: string) => ({
    defaultingType: 'List',
    defaultConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable }],
  });

  it('the System defaults only score, and only pods something selects', () => {
    const filtered = filterCaseData(defaultsCase(undefined, { app: 'web' }));
    expect(Object.values(filtered.nodes).every((r) => r.status === 'Success')).toBe(true);
    // hostname maxSkew 3 (size 3: w = ln 5) + zone maxSkew 5 (domains z1, z2 and "" for node-c: w = ln 5):
    // node-a round(2·ln5 + 2 + 2·ln5 + 4) = 12; node-b round(2 + 4) = 6; node-c has no zone: round(2) = 2.
    const scored = scoreCaseData(defaultsCase(undefined, { app: 'web' }));
    expect(scored.scores).toEqual({ 'node-a': 12, 'node-b': 6, 'node-c': 2 });
    // 100·(12 + 2 − s)/12
    expect(scored.normalized).toEqual({ 'node-a': 16, 'node-b': 66, 'node-c': 100 });
    // An empty DefaultSelector: no defaults, PreScore skips (raw 0).
    expect(scoreCaseData(defaultsCase(undefined, {})).scores).toEqual({ 'node-a': 0, 'node-b': 0, 'node-c': 0 });
  });

  it('List defaulting replaces them; DoNotSchedule defaults filter', () => {
    const filtered = filterCaseData(defaultsCase(list('DoNotSchedule'), { app: 'web' }));
    // z1 has 2, z2 has 0: node-a's skew 2 + 1 − 0 > 1; node-c lacks the zone label.
    expect(Object.fromEntries(Object.entries(filtered.nodes).map(([n, r]) => [n, r.status]))).toEqual({
      'node-a': 'Unschedulable',
      'node-b': 'Success',
      'node-c': 'UnschedulableAndUnresolvable',
    });
    expect(filtered.nodes['node-a']).toMatchObject({ code: 2, unresolvable: false });
    // Nothing selects the pod: no constraints, PreFilter skips.
    expect(Object.values(filterCaseData(defaultsCase(list('DoNotSchedule'), {})).nodes).every((r) => r.status === 'Success')).toBe(true);
  });

  it('with List defaulting, nodes without the key are ignored in scoring (they are not with System)', () => {
    const scored = scoreCaseData(defaultsCase(list('ScheduleAnyway'), { app: 'web' }));
    // Domains z1, z2 among the non-ignored nodes: w = ln 4; node-a round(2·ln4) = 3, node-b 0.
    expect(scored.scores).toEqual({ 'node-a': 3, 'node-b': 0, 'node-c': 0 });
    expect(scored.normalized).toEqual({ 'node-a': 0, 'node-b': 100, 'node-c': 0 });
  });

  it('validates its args as ValidatePodTopologySpreadArgs does', () => {
    expect(argsSchema.safeParse(list('DoNotSchedule')).success).toBe(true);
    expect(argsSchema.safeParse({ defaultConstraints: list('DoNotSchedule').defaultConstraints }).success).toBe(false);
    expect(
      argsSchema.safeParse({
        defaultingType: 'List',
        defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} }],
      }).success,
    ).toBe(false);
  });
});

describe('scenario topologySpreadConstraints are validated as the API server does', () => {
  const scenario = (topologySpreadConstraints: unknown) => ({
    name: 't',
    cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 1 } }] },
    workload: { services: [{ name: 'web', replicas: 1, requests: { cpu: 0.1 }, topologySpreadConstraints }] },
  });
  const ok = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } };

  it('accepts a Kubernetes-shaped constraint', () => {
    expect(scenarioFromData(scenario([ok]), 't').workload.services[0]!.topologySpreadConstraints).toEqual([ok]);
  });

  it.each([
    ['maxSkew 0', [{ ...ok, maxSkew: 0 }]],
    ['an unknown whenUnsatisfiable', [{ ...ok, whenUnsatisfiable: 'Sometimes' }]],
    ['In without values', [{ ...ok, labelSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }]],
    ['Exists with values', [{ ...ok, labelSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } }]],
    ['minDomains with ScheduleAnyway', [{ ...ok, whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }]],
    ['two constraints on one key and action', [ok, { ...ok, maxSkew: 2 }]],
  ])('rejects %s', (_what, constraints) => {
    expect(() => scenarioFromData(scenario(constraints), 't')).toThrow();
  });
});

describe('KubeCluster pod groups', () => {
  const scenario = scenarioFromData({ name: 't', cluster: { pools: [{ name: 'n', count: 3, capacity: { cpu: 4 } }] }, workload: {} }, 't');
  const space = resourceSpaceOf(scenario);

  it('one group per namespace and labels, whatever the objects', () => {
    const kube = new KubeCluster(new ClusterState(space, buildNodes(scenario, space)));
    const a = kube.group('ns', { app: 'web', tier: 'fe' });
    expect(kube.group('ns', { tier: 'fe', app: 'web' })).toBe(a);
    expect(kube.group('other', { app: 'web', tier: 'fe' })).not.toBe(a);
    expect(kube.groupCount).toBe(2);
  });

  it('bind then release leaves every count as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('a', 'b', 'c'), fc.constantFrom('ns1', 'ns2')), { maxLength: 30 }), (binds) => {
        const kube = new KubeCluster(new ClusterState(space, buildNodes(scenario, space)));
        const groups = binds.map(([, app, ns]) => kube.group(ns, { app }));
        binds.forEach(([node], i) => kube.bind(asNode(node), 100, 200, groups[i]));
        const total = kube.podsByGroup.reduce((s, g) => s + g.reduce((x, y) => x + y, 0), 0);
        expect(total).toBe(binds.length);
        binds.forEach(([node], i) => kube.release(asNode(node), 100, 200, groups[i]));
        for (const g of kube.podsByGroup) expect([...g]).toEqual([0, 0, 0]);
        expect([...kube.nonZeroCpu]).toEqual([0, 0, 0]);
      }),
      { numRuns: runs(100) },
    );
  });
});

/**
 * A naive reference of the plugin, straight from upstream's description
 * (per-pod lists and string-keyed maps), to check the typed-array
 * implementation on random clusters.
 */
interface RefPod {
  node: string;
  namespace: string;
  labels: Record<string, string>;
}
interface RefNode {
  name: string;
  labels: Record<string, string>;
}
interface RefCase {
  nodes: RefNode[];
  pods: RefPod[];
  incoming: {
    labels: Record<string, string>;
    nodeSelector: Record<string, string>;
    constraints: TopologySpreadConstraint[];
    /** Used (with the System default constraints) when `constraints` is empty. */
    defaultSelector: Record<string, string>;
  };
  candidates: string[];
}

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';

/** The constraints that apply, and whether nodes lacking a key are ignored in scoring (not with the System defaults). */
function refConstraints(c: RefCase): { constraints: TopologySpreadConstraint[]; requireAll: boolean } {
  if (c.incoming.constraints.length > 0) return { constraints: c.incoming.constraints, requireAll: true };
  if (Object.keys(c.incoming.defaultSelector).length === 0) return { constraints: [], requireAll: false };
  const labelSelector = { matchLabels: c.incoming.defaultSelector };
  return {
    constraints: [
      { maxSkew: 3, topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
      { maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
    ],
    requireAll: false,
  };
}

function refMatches(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (sel === undefined) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === 'In' && !(has && e.values!.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && e.values!.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
const selectorIsEmpty = (sel: LabelSelector | undefined): boolean =>
  sel !== undefined && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;

function refCount(c: RefCase, con: TopologySpreadConstraint, node: string): number {
  if (selectorIsEmpty(con.labelSelector)) return 0;
  return c.pods.filter((p) => p.node === node && p.namespace === 'default' && refMatches(con.labelSelector, p.labels)).length;
}
const refIncluded = (c: RefCase, con: TopologySpreadConstraint, n: RefNode): boolean =>
  (con.nodeAffinityPolicy ?? 'Honor') === 'Ignore' || Object.entries(c.incoming.nodeSelector).every(([k, v]) => n.labels[k] === v);
const refHasAll = (cons: TopologySpreadConstraint[], n: RefNode): boolean => cons.every((k) => Object.hasOwn(n.labels, k.topologyKey));

function refFilter(c: RefCase): Record<string, FilterStatus> {
  const hard = refConstraints(c).constraints.filter((k) => k.whenUnsatisfiable === 'DoNotSchedule');
  const maps = hard.map(() => new Map<string, number>());
  for (const n of c.nodes) {
    if (!refHasAll(hard, n)) continue;
    hard.forEach((con, i) => {
      if (!refIncluded(c, con, n)) return;
      const v = n.labels[con.topologyKey]!;
      maps[i]!.set(v, (maps[i]!.get(v) ?? 0) + refCount(c, con, n.name));
    });
  }
  const out: Record<string, FilterStatus> = {};
  for (const n of c.nodes) {
    out[n.name] = 'Success';
    for (let i = 0; i < hard.length; i++) {
      const con = hard[i]!;
      if (!Object.hasOwn(n.labels, con.topologyKey)) {
        out[n.name] = 'UnschedulableAndUnresolvable';
        break;
      }
      const m = maps[i]!;
      const min = m.size < (con.minDomains ?? 1) ? 0 : Math.min(...m.values());
      const self = refMatches(con.labelSelector, c.incoming.labels) ? 1 : 0;
      if ((m.get(n.labels[con.topologyKey]!) ?? 0) + self - min > con.maxSkew) {
        out[n.name] = 'Unschedulable';
        break;
      }
    }
  }
  return out;
}

function refScore(c: RefCase): { raw: Record<string, number>; normalized: Record<string, number> } {
  const { constraints, requireAll } = refConstraints(c);
  const soft = constraints.filter((k) => k.whenUnsatisfiable === 'ScheduleAnyway');
  const byName = new Map(c.nodes.map((n) => [n.name, n]));
  const candidates = c.candidates.map((name) => byName.get(name)!);
  const ignored = new Set(candidates.filter((n) => requireAll && !refHasAll(soft, n)).map((n) => n.name));
  const counted = candidates.filter((n) => !ignored.has(n.name));
  // A node without the label is in the domain "" (only without requireAll).
  const value = (n: RefNode, key: string): string => n.labels[key] ?? '';
  const domains = soft.map((con) => new Map<string, number>(counted.map((n) => [value(n, con.topologyKey), 0])));
  const weights = soft.map((con, i) => Math.log((con.topologyKey === HOSTNAME ? counted.length : domains[i]!.size) + 2));
  for (const n of c.nodes) {
    if (requireAll && !refHasAll(soft, n)) continue;
    soft.forEach((con, i) => {
      const v = value(n, con.topologyKey);
      if (con.topologyKey !== HOSTNAME && refIncluded(c, con, n) && domains[i]!.has(v)) domains[i]!.set(v, domains[i]!.get(v)! + refCount(c, con, n.name));
    });
  }
  const raw: Record<string, number> = {};
  for (const n of candidates) {
    if (ignored.has(n.name)) {
      raw[n.name] = 0;
      continue;
    }
    let s = 0;
    soft.forEach((con, i) => {
      if (!Object.hasOwn(n.labels, con.topologyKey)) return;
      const cnt = con.topologyKey === HOSTNAME ? refCount(c, con, n.name) : domains[i]!.get(n.labels[con.topologyKey]!)!;
      s += cnt * weights[i]! + (con.maxSkew - 1);
    });
    raw[n.name] = Math.round(s);
  }
  const kept = candidates.filter((n) => !ignored.has(n.name)).map((n) => raw[n.name]!);
  const max = Math.max(0, ...kept);
  const min = Math.min(...kept);
  const normalized: Record<string, number> = {};
  for (const n of candidates) {
    normalized[n.name] = ignored.has(n.name) ? 0 : max === 0 ? 100 : Math.trunc((100 * (max + min - raw[n.name]!)) / max);
  }
  return { raw, normalized };
}

const label = (key: string, values: string[]) => fc.option(fc.constantFrom(...values), { nil: undefined }).map((v) => (v === undefined ? {} : { [key]: v }));
const podLabels = fc.tuple(label('app', ['a', 'b']), label('tier', ['x'])).map(([a, b]) => ({ ...a, ...b }));
const selector: fc.Arbitrary<LabelSelector | undefined> = fc.constantFrom<LabelSelector | undefined>(
  undefined,
  {},
  { matchLabels: { app: 'a' } },
  { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
  { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] },
  { matchLabels: { app: 'b' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
);
const refCase: fc.Arbitrary<RefCase> = fc
  .record({
    // A zone label may be empty: such nodes share the domain "" with unlabelled ones under the System defaults.
    nodes: fc.array(fc.tuple(label(ZONE, ['z1', 'z2', 'z3', '']), label('rack', ['r1', 'r2'])), { minLength: 1, maxLength: 6 }),
    pods: fc.array(fc.record({ node: fc.nat(), namespace: fc.constantFrom('default', 'other'), labels: podLabels }), { maxLength: 14 }),
    incomingLabels: podLabels,
    nodeSelector: fc.constantFrom<Record<string, string>>({}, { [ZONE]: 'z1' }),
    keys: fc.shuffledSubarray([ZONE, 'rack', HOSTNAME], { minLength: 1, maxLength: 2 }),
    // Some pods have no constraints of their own and get the System defaults with their DefaultSelector.
    useDefaults: fc.boolean(),
    defaultSelector: fc.constantFrom<Record<string, string>>({}, { app: 'a' }, { app: 'b', tier: 'x' }),
    constraint: fc.array(
      fc.record({
        maxSkew: fc.integer({ min: 1, max: 3 }),
        hard: fc.boolean(),
        labelSelector: selector,
        minDomains: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        nodeAffinityPolicy: fc.constantFrom<'Honor' | 'Ignore' | undefined>(undefined, 'Honor', 'Ignore'),
      }),
      { minLength: 2, maxLength: 2 },
    ),
    candidates: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  })
  .map((r) => {
    const nodes = r.nodes.map(([z, k], i) => ({ name: `n${i}`, labels: { ...z, ...k, [HOSTNAME]: `n${i}` } }));
    const constraints = r.keys.map((topologyKey, i) => {
      const k = r.constraint[i]!;
      return {
        maxSkew: k.maxSkew,
        topologyKey,
        whenUnsatisfiable: k.hard ? ('DoNotSchedule' as const) : ('ScheduleAnyway' as const),
        ...(k.labelSelector === undefined ? {} : { labelSelector: k.labelSelector }),
        ...(k.hard && k.minDomains !== undefined ? { minDomains: k.minDomains } : {}),
        ...(k.nodeAffinityPolicy === undefined ? {} : { nodeAffinityPolicy: k.nodeAffinityPolicy }),
      };
    });
    const chosen = nodes.filter((_, i) => r.candidates[i]).map((n) => n.name);
    return {
      nodes,
      pods: r.pods.map((p) => ({ ...p, node: nodes[p.node % nodes.length]!.name })),
      incoming: { labels: r.incomingLabels, nodeSelector: r.nodeSelector, constraints: r.useDefaults ? [] : constraints, defaultSelector: r.defaultSelector },
      candidates: chosen.length > 0 ? chosen : [nodes[0]!.name],
    };
  });

const asCaseData = (c: RefCase) => ({
  id: 'p',
  plugin: 'PodTopologySpread',
  nodes: c.nodes.map((n) => ({ name: n.name, labels: n.labels, hostnameLabel: false })),
  existing_pods: c.pods.map((p) => ({ node: p.node, namespace: p.namespace, labels: p.labels })),
  incoming_pod: {
    labels: c.incoming.labels,
    nodeSelector: c.incoming.nodeSelector,
    topologySpreadConstraints: c.incoming.constraints,
    defaultSelector: c.incoming.defaultSelector,
  },
  candidates: c.candidates,
});

describe('PodTopologySpread against a naive reference', () => {
  it('Filter gives the reference status on random clusters', () => {
    fc.assert(
      fc.property(refCase, (c) => {
        const got = filterCaseData(asCaseData(c)).nodes;
        expect(Object.fromEntries(Object.entries(got).map(([n, r]) => [n, r.status]))).toEqual(refFilter(c));
      }),
      { numRuns: runs(400) },
    );
  });

  it('Score and NormalizeScore give the reference scores on random clusters', () => {
    fc.assert(
      fc.property(refCase, (c) => {
        fc.pre(refConstraints(c).constraints.some((k) => k.whenUnsatisfiable === 'ScheduleAnyway'));
        const got = scoreCaseData(asCaseData(c));
        const want = refScore(c);
        expect(got.scores).toEqual(want.raw);
        expect(got.normalized).toEqual(want.normalized);
      }),
      { numRuns: runs(400) },
    );
  });
});

describe('end to end (runOne)', () => {
  const kubeConfig = (profile: object) => ({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [profile],
  });
  const mostAllocated = { pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] };
  const scenario = {
    name: 'spread',
    cluster: { pools: [{ name: 'n', count: 3, capacity: { cpu: 8, memory: '32Gi' }, zones: ['a', 'b', 'c'] }] },
    // 1 CPU and 4 GiB per replica keep CPU and memory shares equal, so BalancedAllocation is the same everywhere.
    workload: { services: [{ name: 'web', replicas: 6, requests: { cpu: 1, memory: '4Gi' }, labels: { app: 'web' } }] },
    simulation: { until: '1m' },
    schedulers: {
      'kube-most': kubeConfig(mostAllocated),
      'kube-most-nospread': kubeConfig({ ...mostAllocated, plugins: { multiPoint: { disabled: [{ name: 'PodTopologySpread' }] } } }),
    },
  };
  /** Pods per node at the end of the run, smallest first. */
  const spread = (scheduler: string, seed: number, data: object = scenario): number[] => {
    const run = prepareRun({ scenario: scenarioFromData(data, 'spread'), source: 'spread', scheduler, queue: 'priority', seed });
    run.sim.run();
    return Array.from(run.cluster.requested[PODS]!).sort((x, y) => x - y);
  };

  it.each([1, 2, 3])('kube-default spreads 6 replicas over 3 zones as 2/2/2 (seed %i)', (seed) => {
    expect(spread('kube-default', seed)).toEqual([2, 2, 2]);
  });

  it.each([1, 2, 3])('the system default constraints outweigh MostAllocated packing; without PodTopologySpread it packs (seed %i)', (seed) => {
    // Second replica: MostAllocated prefers the used node by 25 − 12 = 13 points (weight 1); PodTopologySpread
    // prefers the others by 100 − 66 = 34 points (weight 2).
    expect(spread('kube-most', seed)).toEqual([2, 2, 2]);
    expect(spread('kube-most-nospread', seed)).toEqual([0, 0, 6]);
    expect(runOne({ scenario: scenarioFromData(scenario, 'spread'), source: 'spread', scheduler: 'kube-most-nospread', queue: 'priority', seed }).metrics.active_nodes_peak).toBe(1);
    expect(runOne({ scenario: scenarioFromData(scenario, 'spread'), source: 'spread', scheduler: 'kube-most', queue: 'priority', seed }).metrics.active_nodes_peak).toBe(3);
  });

  it('a DoNotSchedule constraint leaves a replica pending rather than exceed maxSkew', () => {
    const hard = (topologySpreadConstraints?: object[]) => ({
      name: 'hard',
      cluster: {
        pools: [
          { name: 'big', count: 1, capacity: { cpu: 8, memory: '32Gi' }, zones: ['a'] },
          { name: 'small', count: 1, capacity: { cpu: 1, memory: '4Gi' }, zones: ['b'] },
        ],
      },
      workload: {
        services: [{ name: 'web', replicas: 4, requests: { cpu: 1, memory: '1Gi' }, labels: { app: 'web' }, ...(topologySpreadConstraints ? { topologySpreadConstraints } : {}) }],
      },
      simulation: { until: '1m' },
    });
    const constraint = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } };
    const run = (data: object) => runOne({ scenario: scenarioFromData(data, 'hard'), source: 'hard', scheduler: 'kube-default', queue: 'priority', seed: 1 }).metrics;
    // Zone b holds one replica; a third in zone a would make the skew 3 − 1 = 2 > 1.
    const constrained = run(hard([constraint]));
    expect(constrained.pods_scheduled).toBe(3);
    expect(constrained.pods_pending_end).toBe(1);
    expect(run(hard()).pods_scheduled).toBe(4);
  });
});
