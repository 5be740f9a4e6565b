import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Affinity, PodAffinity, PodAffinityTerm } from '../src/model/affinity.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { selectorMatches, selectorOf } from '../src/model/label-selector.js';
import type { LabelSelector } from '../src/model/label-selector.js';
import { PODS } from '../src/model/resources.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { explainCases, filterCaseData, filterCases, scoreCaseData } from '../src/explain/cases.js';
import type { FilterStatus } from '../src/explain/cases.js';
import { prepareRun, runOne } from '../src/runner/run-one.js';
import { KubeCluster } from '../src/schedulers/kube/cluster.js';
import { SKIP, SUCCESS } from '../src/schedulers/kube/framework.js';
import type { KubePod } from '../src/schedulers/kube/pod.js';
import { loadVectors } from './support/vectors.js';
import type { FilterVector, ScoreVector } from './support/vectors.js';
import { makeKubePod } from '../src/schedulers/kube/pod.js';
import { argsSchema, interPodAffinity } from '../src/schedulers/kube/plugins/inter-pod-affinity.js';
import { runs } from './support/property-runs.js';

const FILTER = new URL('./fixtures/kube-ipa-filter-vectors.json', import.meta.url);
const SCORE = new URL('./fixtures/kube-ipa-score-vectors.json', import.meta.url);

const load = loadVectors;
const statuses = (nodes: Record<string, { status: FilterStatus }>) => Object.fromEntries(Object.entries(nodes).map(([n, r]) => [n, r.status]));

describe('InterPodAffinity Filter vectors (test/fixtures/kube-ipa-filter-vectors.json)', () => {
  const got = new Map(filterCases(FILTER.pathname).cases.map((c) => [c.id, c]));
  it.each(load<FilterVector>(FILTER).map((c) => [`${c.id}: ${c.test_name}`, c] as const))('%s', (_name, c) => {
    expect(statuses(got.get(c.id)!.nodes)).toEqual(c.expected_filter);
  });
});

describe('InterPodAffinity Score vectors (test/fixtures/kube-ipa-score-vectors.json)', () => {
  const got = new Map(explainCases(SCORE.pathname).cases.map((c) => [c.id, c]));
  it.each(load<ScoreVector>(SCORE).map((c) => [`${c.id}: ${c.test_name}`, c] as const))('%s', (_name, c) => {
    expect(got.get(c.id)!.scores).toEqual(c.expected_scores);
    expect(got.get(c.id)!.normalized).toEqual(c.expected_normalized);
  });
});

/** A bare KubeCluster over nodes with these labels, and a KubePod to fill. */
function bare(labels: Record<string, string>[]) {
  const scenario = scenarioFromData({ name: 'bare', cluster: { pools: [{ name: 'n', count: labels.length, capacity: { cpu: 8, memory: '8Gi' } }] }, workload: {} }, 'bare');
  const space = resourceSpaceOf(scenario);
  const nodes = buildNodes(scenario, space).map((n, i) => ({ ...n, labels: labels[i]! }));
  const kube = new KubeCluster(new ClusterState(space, nodes));
  const pod = (namespace: string, podLabels: Record<string, string>, affinity?: Affinity): KubePod =>
    makeKubePod({ requests: space.zeros(), labels: podLabels, affinity, namespace });
  return { kube, pod, nodes: Int32Array.from(labels, (_, i) => i) };
}

const zoneTerm = (app: string, namespaces?: string[]): PodAffinityTerm => ({
  labelSelector: { matchLabels: { app } },
  topologyKey: 'zone',
  ...(namespaces === undefined ? {} : { namespaces }),
});

describe('InterPodAffinity details', () => {
  it('PreScore skips a pod with no terms when nothing on the cluster has any (upstream: "all nodes are same priority as Affinity is nil")', () => {
    const { kube, pod, nodes } = bare([{ zone: 'a' }, { zone: 'b' }]);
    kube.bind(0 as never, 0, 0, kube.group('ns', { app: 'web' }));
    const plugin = interPodAffinity(undefined, kube);
    expect(plugin.preFilter!(pod('ns', { app: 'web' }))).toBe(SKIP);
    expect(plugin.preScore!(pod('ns', { app: 'web' }), nodes, 2)).toBe(SKIP);
  });

  it('a term without namespaces looks in the pod’s own namespace; `namespaces` lists others', () => {
    const { kube, pod } = bare([{ zone: 'a' }, { zone: 'b' }]);
    kube.bind(0 as never, 0, 0, kube.group('other', { app: 'db' }));
    const plugin = interPodAffinity(undefined, kube);
    const required = (term: PodAffinityTerm): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } });
    // Own namespace "ns": the db pod in "other" does not count.
    const own = pod('ns', {}, required(zoneTerm('db')));
    expect(plugin.preFilter!(own)).toBe(SUCCESS);
    expect([plugin.filter!(own, 0 as never), plugin.filter!(own, 1 as never)]).toEqual([SUCCESS, SUCCESS]);
    const listed = pod('ns', {}, required(zoneTerm('db', ['other'])));
    expect(plugin.preFilter!(listed)).toBe(SUCCESS);
    expect([plugin.filter!(listed, 0 as never), plugin.filter!(listed, 1 as never)]).toEqual([2, SUCCESS]);
  });

  it('hardPodAffinityWeight scales existing pods’ required affinity; 0 turns it off', () => {
    const { kube, pod, nodes } = bare([{ zone: 'a' }, { zone: 'b' }]);
    const hard: Affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [zoneTerm('web')] } };
    kube.bind(0 as never, 0, 0, kube.group('ns', { app: 'db' }, hard));
    const incoming = pod('ns', { app: 'web' });
    const scores = (args: unknown) => {
      const plugin = interPodAffinity(args, kube);
      if (plugin.preScore!(incoming, nodes, 2) === SKIP) return 'skip';
      return [plugin.score!(incoming, 0 as never), plugin.score!(incoming, 1 as never)];
    };
    expect(scores(undefined)).toEqual([1, 0]);
    expect(scores({ hardPodAffinityWeight: 7 })).toEqual([7, 0]);
    expect(scores({ hardPodAffinityWeight: 0 })).toBe('skip');
    // Existing pods' terms only count when the incoming pod has preferred terms of its own.
    expect(scores({ ignorePreferredTermsOfExistingPods: true })).toBe('skip');
  });

  it('validates its args as ValidateInterPodAffinityArgs does', () => {
    expect(argsSchema.parse({})).toEqual({ hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });
    expect(argsSchema.safeParse({ hardPodAffinityWeight: 101 }).success).toBe(false);
    expect(argsSchema.safeParse({ hardPodAffinityWeight: -1 }).success).toBe(false);
    expect(argsSchema.safeParse({ unknown: 1 }).success).toBe(false);
  });

  it('the scenario schema takes pod (anti-)affinity in Kubernetes’ shape and refuses namespaceSelector by name', () => {
    const withAffinity = (affinity: object) => ({
      name: 's',
      cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 1, memory: '1Gi' } }] },
      workload: { services: [{ name: 'web', replicas: 1, requests: { cpu: 1 }, affinity }] },
    });
    const term = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' };
    expect(() =>
      scenarioFromData(
        withAffinity({
          podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term }] },
          podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...term, namespaces: ['default'] }] },
        }),
        's',
      ),
    ).not.toThrow();
    expect(() => scenarioFromData(withAffinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...term, namespaceSelector: {} }] } }), 's')).toThrow(
      /namespaceSelector is not supported/,
    );
    expect(() => scenarioFromData(withAffinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {} }] } }), 's')).toThrow(/topologyKey/);
    expect(() => scenarioFromData(withAffinity({ podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: term }] } }), 's')).toThrow();
  });
});

// ---- a deliberately naive reference, straight from the upstream description ----------------------

interface RefPod {
  node: string;
  namespace: string;
  labels: Record<string, string>;
  affinity?: Affinity;
}
interface RefIncoming {
  namespace: string;
  labels: Record<string, string>;
  affinity?: Affinity;
}
interface RefCase {
  nodes: { name: string; labels: Record<string, string> }[];
  pods: RefPod[];
  incoming: RefIncoming;
  args: { hardPodAffinityWeight: number; ignorePreferredTermsOfExistingPods: boolean };
  candidates: string[];
}

/** AffinityTerm.Matches: namespaces (own when none listed) and selector. */
function refMatches(term: PodAffinityTerm, ownNamespace: string, ns: string, labels: Record<string, string>): boolean {
  const namespaces = term.namespaces !== undefined && term.namespaces.length > 0 ? term.namespaces : [ownNamespace];
  return namespaces.includes(ns) && selectorMatches(selectorOf(term.labelSelector), labels);
}
const req = (a: PodAffinity | undefined) => a?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
const pref = (a: PodAffinity | undefined) => a?.preferredDuringSchedulingIgnoredDuringExecution ?? [];

function refFilter(c: RefCase): Record<string, FilterStatus> {
  const nodeLabels = new Map(c.nodes.map((n) => [n.name, n.labels]));
  const inc = c.incoming;
  const reqAff = req(inc.affinity?.podAffinity);
  const reqAnti = req(inc.affinity?.podAntiAffinity);
  const bump = (m: Map<string, number>, node: string, key: string) => {
    const labels = nodeLabels.get(node)!;
    if (Object.hasOwn(labels, key)) m.set(`${key}\u0000${labels[key]}`, (m.get(`${key}\u0000${labels[key]}`) ?? 0) + 1);
  };
  const existingAnti = new Map<string, number>();
  const affinityCounts = new Map<string, number>();
  const antiCounts = new Map<string, number>();
  for (const e of c.pods) {
    for (const t of req(e.affinity?.podAntiAffinity)) if (refMatches(t, e.namespace, inc.namespace, inc.labels)) bump(existingAnti, e.node, t.topologyKey);
    if (reqAff.length > 0 && reqAff.every((t) => refMatches(t, inc.namespace, e.namespace, e.labels))) for (const t of reqAff) bump(affinityCounts, e.node, t.topologyKey);
    for (const t of reqAnti) if (refMatches(t, inc.namespace, e.namespace, e.labels)) bump(antiCounts, e.node, t.topologyKey);
  }
  const out: Record<string, FilterStatus> = {};
  const skip = existingAnti.size === 0 && reqAff.length === 0 && reqAnti.length === 0;
  for (const n of c.nodes) {
    if (skip) {
      out[n.name] = 'Success';
      continue;
    }
    const at = (m: Map<string, number>, key: string) => m.get(`${key}\u0000${n.labels[key]}`) ?? 0;
    let affinityOk = true;
    let podsExist = true;
    for (const t of reqAff) {
      if (!Object.hasOwn(n.labels, t.topologyKey)) affinityOk = false;
      else if (at(affinityCounts, t.topologyKey) <= 0) podsExist = false;
    }
    if (affinityOk && !podsExist) affinityOk = affinityCounts.size === 0 && reqAff.every((t) => refMatches(t, inc.namespace, inc.namespace, inc.labels));
    if (!affinityOk) out[n.name] = 'UnschedulableAndUnresolvable';
    else if (reqAnti.some((t) => Object.hasOwn(n.labels, t.topologyKey) && at(antiCounts, t.topologyKey) > 0)) out[n.name] = 'Unschedulable';
    else if (Object.keys(n.labels).some((k) => at(existingAnti, k) > 0)) out[n.name] = 'Unschedulable';
    else out[n.name] = 'Success';
  }
  return out;
}

function refScore(c: RefCase): { raw: Record<string, number>; normalized: Record<string, number> } {
  const inc = c.incoming;
  const nodeLabels = new Map(c.nodes.map((n) => [n.name, n.labels]));
  const incPrefAff = pref(inc.affinity?.podAffinity);
  const incPrefAnti = pref(inc.affinity?.podAntiAffinity);
  const hasPreferred = incPrefAff.length + incPrefAnti.length > 0;
  const zeros = () => Object.fromEntries(c.candidates.map((n) => [n, 0]));
  if (c.args.ignorePreferredTermsOfExistingPods && !hasPreferred) return { raw: zeros(), normalized: zeros() };
  const topology = new Map<string, Map<string, number>>();
  const add = (labels: Record<string, string>, key: string, w: number) => {
    if (!Object.hasOwn(labels, key)) return;
    if (!topology.has(key)) topology.set(key, new Map());
    const m = topology.get(key)!;
    m.set(labels[key]!, (m.get(labels[key]!) ?? 0) + w);
  };
  for (const e of c.pods) {
    const labels = nodeLabels.get(e.node)!;
    if (Object.keys(labels).length === 0) continue;
    for (const w of incPrefAff) if (refMatches(w.podAffinityTerm, inc.namespace, e.namespace, e.labels)) add(labels, w.podAffinityTerm.topologyKey, w.weight);
    for (const w of incPrefAnti) if (refMatches(w.podAffinityTerm, inc.namespace, e.namespace, e.labels)) add(labels, w.podAffinityTerm.topologyKey, -w.weight);
    if (c.args.hardPodAffinityWeight > 0) {
      for (const t of req(e.affinity?.podAffinity)) if (refMatches(t, e.namespace, inc.namespace, inc.labels)) add(labels, t.topologyKey, c.args.hardPodAffinityWeight);
    }
    for (const w of pref(e.affinity?.podAffinity)) if (refMatches(w.podAffinityTerm, e.namespace, inc.namespace, inc.labels)) add(labels, w.podAffinityTerm.topologyKey, w.weight);
    for (const w of pref(e.affinity?.podAntiAffinity)) if (refMatches(w.podAffinityTerm, e.namespace, inc.namespace, inc.labels)) add(labels, w.podAffinityTerm.topologyKey, -w.weight);
  }
  if (topology.size === 0) return { raw: zeros(), normalized: zeros() };
  const raw: Record<string, number> = {};
  for (const name of c.candidates) {
    const labels = nodeLabels.get(name)!;
    let s = 0;
    for (const [key, values] of topology) if (Object.hasOwn(labels, key)) s += values.get(labels[key]!) ?? 0;
    raw[name] = s;
  }
  const all = Object.values(raw);
  const min = Math.min(...all);
  const max = Math.max(...all);
  const normalized = Object.fromEntries(Object.entries(raw).map(([n, s]) => [n, max - min > 0 ? Math.trunc(100 * ((s - min) / (max - min))) : 0]));
  return { raw, normalized };
}

const KEYS = ['zone', 'host', 'rack'];
const SELECTORS: (LabelSelector | undefined)[] = [
  { matchLabels: { app: 'a' } },
  { matchLabels: { app: 'b' } },
  { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
  { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
  { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] },
  {},
  undefined,
];
const NAMESPACES: (string[] | undefined)[] = [undefined, undefined, [], ['ns1'], ['ns1', 'ns2']];

const arbTerm: fc.Arbitrary<PodAffinityTerm> = fc
  .record({ s: fc.nat(SELECTORS.length - 1), k: fc.nat(KEYS.length - 1), ns: fc.nat(NAMESPACES.length - 1) })
  .map(({ s, k, ns }) => ({
    ...(SELECTORS[s] === undefined ? {} : { labelSelector: SELECTORS[s] }),
    topologyKey: KEYS[k]!,
    ...(NAMESPACES[ns] === undefined ? {} : { namespaces: NAMESPACES[ns] }),
  }));
const arbPodAffinity: fc.Arbitrary<PodAffinity> = fc
  .record({
    required: fc.array(arbTerm, { maxLength: 2 }),
    preferred: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: arbTerm }), { maxLength: 2 }),
  })
  .map(({ required, preferred }) => ({ requiredDuringSchedulingIgnoredDuringExecution: required, preferredDuringSchedulingIgnoredDuringExecution: preferred }));
const arbAffinity: fc.Arbitrary<Affinity | undefined> = fc.option(
  fc.record({ podAffinity: fc.option(arbPodAffinity, { nil: undefined }), podAntiAffinity: fc.option(arbPodAffinity, { nil: undefined }) }),
  { nil: undefined },
);
const arbPodLabels = fc
  .record({ app: fc.constantFrom(undefined, 'a', 'b'), tier: fc.constantFrom(undefined, 'x') })
  .map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) as Record<string, string>);
const arbNamespace = fc.constantFrom('ns1', 'ns2');

const refCase: fc.Arbitrary<RefCase> = fc
  .record({
    nodes: fc.array(
      fc.record({ zone: fc.constantFrom(undefined, 'z1', 'z2'), rack: fc.constantFrom(undefined, 'r1'), host: fc.boolean() }),
      { minLength: 1, maxLength: 4 },
    ),
    pods: fc.array(fc.record({ node: fc.nat(3), namespace: arbNamespace, labels: arbPodLabels, affinity: arbAffinity }), { maxLength: 6 }),
    incoming: fc.record({ namespace: arbNamespace, labels: arbPodLabels, affinity: arbAffinity }),
    hard: fc.constantFrom(0, 1, 5),
    ignore: fc.boolean(),
    candidates: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  })
  .map((r) => {
    const nodes = r.nodes.map((n, i) => {
      const labels: Record<string, string> = {};
      if (n.zone !== undefined) labels.zone = n.zone;
      if (n.rack !== undefined) labels.rack = n.rack;
      if (n.host) labels.host = `h${i}`;
      return { name: `n${i}`, labels };
    });
    const chosen = nodes.filter((_, i) => r.candidates[i]).map((n) => n.name);
    const strip = <T extends { affinity?: Affinity | undefined }>(p: T) => (p.affinity === undefined ? (({ affinity: _, ...rest }) => rest)(p) : p);
    return {
      nodes,
      pods: r.pods.map((p) => strip({ ...p, node: nodes[p.node % nodes.length]!.name })) as RefPod[],
      incoming: strip(r.incoming) as RefIncoming,
      args: { hardPodAffinityWeight: r.hard, ignorePreferredTermsOfExistingPods: r.ignore },
      candidates: chosen.length > 0 ? chosen : [nodes[0]!.name],
    };
  });

const asCaseData = (c: RefCase) => ({
  id: 'p',
  plugin: 'InterPodAffinity',
  args: c.args,
  nodes: c.nodes.map((n) => ({ name: n.name, labels: n.labels, hostnameLabel: false })),
  existing_pods: c.pods,
  incoming_pod: c.incoming,
  candidates: c.candidates,
});

describe('InterPodAffinity against a naive reference', () => {
  it('Filter gives the reference status on random clusters', () => {
    fc.assert(
      fc.property(refCase, (c) => {
        expect(statuses(filterCaseData(asCaseData(c)).nodes)).toEqual(refFilter(c));
      }),
      { numRuns: runs(500) },
    );
  });

  it('Score and NormalizeScore give the reference scores on random clusters', () => {
    fc.assert(
      fc.property(refCase, (c) => {
        const got = scoreCaseData(asCaseData(c));
        const want = refScore(c);
        expect(got.scores).toEqual(want.raw);
        expect(got.normalized).toEqual(want.normalized);
      }),
      { numRuns: runs(500) },
    );
  });

  it('one plugin instance stays right as pods are bound and released (incremental group matching)', () => {
    fc.assert(
      fc.property(refCase, fc.nat(), (c, cut) => {
        const { kube, pod, nodes } = bare(c.nodes.map((n) => n.labels));
        const plugin = interPodAffinity(c.args, kube);
        const incoming = pod(c.incoming.namespace, c.incoming.labels, c.incoming.affinity);
        const index = (name: string) => c.nodes.findIndex((n) => n.name === name);
        const check = (pods: RefPod[]) => {
          const pre = plugin.preFilter!(incoming);
          const got = Object.fromEntries(
            c.nodes.map((n, i) => {
              const code = pre === SKIP ? SUCCESS : plugin.filter!(incoming, i as never);
              return [n.name, code === SUCCESS ? 'Success' : plugin.unresolvable!(code) ? 'UnschedulableAndUnresolvable' : 'Unschedulable'];
            }),
          );
          expect(got).toEqual(refFilter({ ...c, pods }));
          const candidates = Int32Array.from(c.candidates, index);
          const want = refScore({ ...c, pods });
          const scores = new Float64Array(candidates.length);
          if (plugin.preScore!(incoming, candidates, candidates.length) !== SKIP) {
            candidates.forEach((node, k) => (scores[k] = plugin.score!(incoming, node as never)));
            plugin.normalizeScore!(incoming, scores, candidates, candidates.length);
          }
          expect(Object.fromEntries(c.candidates.map((n, k) => [n, scores[k]!]))).toEqual(want.normalized);
        };
        const group = (p: RefPod) => kube.group(p.namespace, p.labels, p.affinity);
        check([]);
        c.pods.forEach((p, k) => {
          kube.bind(index(p.node) as never, 0, 0, group(p));
          check(c.pods.slice(0, k + 1));
        });
        const gone = cut % (c.pods.length + 1);
        for (const p of c.pods.slice(0, gone)) kube.release(index(p.node) as never, 0, 0, group(p));
        check(c.pods.slice(gone));
        expect(nodes.length).toBe(c.nodes.length);
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('end to end (runOne)', () => {
  const scenario = (replicas: number) => ({
    name: 'anti',
    cluster: { pools: [{ name: 'n', count: 3, capacity: { cpu: 8, memory: '32Gi' } }] },
    workload: {
      services: [
        {
          name: 'web',
          replicas,
          requests: { cpu: 1, memory: '1Gi' },
          labels: { app: 'web' },
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }],
            },
          },
        },
      ],
    },
    simulation: { until: '1m' },
  });

  it.each([1, 2, 3])('required anti-affinity on the hostname puts replicas on distinct nodes and leaves the fourth pending (seed %i)', (seed) => {
    const run = prepareRun({ scenario: scenarioFromData(scenario(4), 'anti'), source: 'anti', scheduler: 'kube-default', queue: 'priority', seed });
    run.sim.run();
    expect(Array.from(run.cluster.requested[PODS]!)).toEqual([1, 1, 1]);
    const metrics = runOne({ scenario: scenarioFromData(scenario(4), 'anti'), source: 'anti', scheduler: 'kube-default', queue: 'kube', seed }).metrics;
    expect(metrics.pods_scheduled).toBe(3);
    expect(metrics.pods_pending_end).toBe(1);
    expect(runOne({ scenario: scenarioFromData(scenario(3), 'anti'), source: 'anti', scheduler: 'kube-default', queue: 'priority', seed }).metrics.pods_pending_end).toBe(0);
  });
});
