import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { explainCases, filterCaseData } from '../src/explain/cases.js';
import { explainPod } from '../src/explain/pod.js';
import { runOne } from '../src/runner/run-one.js';
import { KubeCluster } from '../src/schedulers/kube/cluster.js';
import { KUBE_PLUGINS } from '../src/schedulers/kube/registry.js';
import { imageLocalityScore, normalizedImageName } from '../src/schedulers/kube/plugins/image-locality.js';

const IMAGES = new URL('./fixtures/kube-image-locality-vectors.json', import.meta.url);
const MB = 1024 * 1024;

interface ScoreVector {
  id: string;
  test_name: string;
  expected_scores: Record<string, number>;
}

describe('ImageLocality Score vectors (test/fixtures/kube-image-locality-vectors.json)', () => {
  const got = new Map(explainCases(IMAGES.pathname).cases.map((c) => [c.id, c]));
  const cases = (JSON.parse(readFileSync(IMAGES, 'utf8')) as { cases: ScoreVector[] }).cases;
  it.each(cases.map((c) => [`${c.id}: ${c.test_name}`, c] as const))('%s', (_name, c) => {
    expect(got.get(c.id)!.scores).toEqual(c.expected_scores);
    // No NormalizeScore.
    expect(got.get(c.id)!.normalized).toEqual(c.expected_scores);
  });
});

describe('ImageLocality helpers', () => {
  it('normalizedImageName appends :latest only when the name has no tag', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('gcr.io/40')).toBe('gcr.io/40:latest');
    // A port in the registry host is not a tag: the last ":" comes before the last "/".
    expect(normalizedImageName('registry:5000/app')).toBe('registry:5000/app:latest');
    expect(normalizedImageName('registry:5000/app:v2')).toBe('registry:5000/app:v2');
    expect(normalizedImageName('app@sha256:abcd')).toBe('app@sha256:abcd');
  });

  it('clamps the sum to [23Mi, 1000Mi × containers]', () => {
    expect(imageLocalityScore(0, 1)).toBe(0);
    expect(imageLocalityScore(23 * MB, 1)).toBe(0);
    expect(imageLocalityScore(5000 * MB, 1)).toBe(100);
    // 100 × (1000 − 23) / (2000 − 23) = 49.4
    expect(imageLocalityScore(1000 * MB, 2)).toBe(49);
  });
});

/** A NodePorts Filter case: node1 holds the pods listed as `used`, node2 is empty. */
function portsCase(wanted: object[], used: object[][]) {
  return filterCaseData({
    id: 'ports',
    plugin: 'NodePorts',
    nodes: [{ name: 'node1' }, { name: 'node2' }],
    existing_pods: used.map((hostPorts) => ({ node: 'node1', hostPorts })),
    incoming_pod: { hostPorts: wanted },
  });
}
const statusOnNode1 = (wanted: object[], used: object[][]) => {
  const r = portsCase(wanted, used);
  expect(r.nodes.node2!.status).toBe('Success');
  return r.nodes.node1!.status;
};

describe('NodePorts Filter', () => {
  it.each([
    // Nothing wanted: PreFilter skips, every node passes.
    ['no ports wanted', [], [[{ port: 80 }]], 'Success'],
    // Nothing bound on node1: no conflict.
    ['nothing used', [{ port: 80 }], [], 'Success'],
    // TCP/80 on 0.0.0.0 against TCP/80 on 0.0.0.0 (the defaults): same protocol, port and address.
    ['same port, defaults', [{ port: 80 }], [[{ port: 80 }]], 'Unschedulable'],
    // TCP/8080 vs TCP/80: different ports.
    ['different port', [{ port: 8080 }], [[{ port: 80 }]], 'Success'],
    // UDP/53 vs TCP/53: different protocols.
    ['same port, other protocol', [{ port: 53, protocol: 'UDP' }], [[{ port: 53 }]], 'Success'],
    // UDP/53 vs UDP/53.
    ['same UDP port', [{ port: 53, protocol: 'UDP' }], [[{ port: 53, protocol: 'UDP' }]], 'Unschedulable'],
    // SCTP/9 on 0.0.0.0 vs SCTP/9 on 10.0.0.1: 0.0.0.0 overlaps every address.
    ['wildcard wanted, specific used', [{ port: 9, protocol: 'SCTP' }], [[{ port: 9, protocol: 'SCTP', hostIP: '10.0.0.1' }]], 'Unschedulable'],
    // TCP/80 on 10.0.0.1 vs TCP/80 on 0.0.0.0: the used wildcard covers 10.0.0.1.
    ['specific wanted, wildcard used', [{ port: 80, hostIP: '10.0.0.1' }], [[{ port: 80 }]], 'Unschedulable'],
    // TCP/80 on 10.0.0.1 vs TCP/80 on 10.0.0.2: different specific addresses do not overlap.
    ['two specific addresses', [{ port: 80, hostIP: '10.0.0.1' }], [[{ port: 80, hostIP: '10.0.0.2' }]], 'Success'],
    // TCP/80 on 10.0.0.1 vs the same.
    ['same specific address', [{ port: 80, hostIP: '10.0.0.1' }], [[{ port: 80, hostIP: '10.0.0.1' }]], 'Unschedulable'],
    // An empty hostIP is 0.0.0.0: it overlaps 10.0.0.1.
    ['empty hostIP is the wildcard', [{ port: 80, hostIP: '' }], [[{ port: 80, hostIP: '10.0.0.1' }]], 'Unschedulable'],
    // Two wanted ports, only the second (UDP/443) is used: one conflict fails the node.
    ['any wanted port in use', [{ port: 443 }, { port: 443, protocol: 'UDP' }], [[{ port: 80 }], [{ port: 443, protocol: 'UDP' }]], 'Unschedulable'],
  ])('%s', (_name, wanted, used, status) => {
    expect(statusOnNode1(wanted, used)).toBe(status);
  });

  it('gives upstream\'s reason, resolvable by preemption', () => {
    const r = portsCase([{ port: 80 }], [[{ port: 80 }]]);
    expect(r.nodes.node1).toMatchObject({ status: 'Unschedulable', unresolvable: false });
    const scenario = scenarioFromData({ name: 'p', cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 1, memory: '1Gi' } }] }, workload: {} }, 'p');
    const kube = new KubeCluster(new ClusterState(resourceSpaceOf(scenario), buildNodes(scenario, resourceSpaceOf(scenario))));
    const plugin = KUBE_PLUGINS.get('NodePorts')!.factory(undefined, kube);
    expect(plugin.reason!(r.nodes.node1!.code)).toBe("node(s) didn't have free ports for the requested pod ports");
  });
});

describe('KubeCluster used ports', () => {
  const scenario = scenarioFromData({ name: 'p', cluster: { pools: [{ name: 'n', count: 2, capacity: { cpu: 1, memory: '1Gi' } }] }, workload: {} }, 'p');
  const kube = new KubeCluster(new ClusterState(resourceSpaceOf(scenario), buildNodes(scenario, resourceSpaceOf(scenario))));
  const web = [{ port: 80, protocol: 'TCP' as const, hostIP: '0.0.0.0' }];
  const dns = [{ port: 53, protocol: 'UDP' as const, hostIP: '10.0.0.1' }];

  it('counts per node and frees a port when its last pod leaves', () => {
    const keys = kube.portKeys(web);
    expect(kube.portsConflict(asNode(0), keys)).toBe(false);
    kube.bindPorts(asNode(0), web);
    kube.bindPorts(asNode(0), web);
    kube.bindPorts(asNode(0), dns);
    expect(kube.portsConflict(asNode(0), keys)).toBe(true);
    expect(kube.portsConflict(asNode(1), keys)).toBe(false);
    kube.releasePorts(asNode(0), web);
    expect(kube.portsConflict(asNode(0), keys)).toBe(true);
    kube.releasePorts(asNode(0), web);
    expect(kube.portsConflict(asNode(0), keys)).toBe(false);
    expect(kube.portsConflict(asNode(0), kube.portKeys(dns))).toBe(true);
    kube.releasePorts(asNode(0), dns);
    expect(kube.portsConflict(asNode(0), kube.portKeys(dns))).toBe(false);
    expect(() => kube.releasePorts(asNode(0), dns)).toThrow(/does not hold port 53/);
  });
});

describe('end to end', () => {
  it('two replicas wanting host port 80 on one node: one runs, one stays pending', () => {
    const scenario = {
      name: 'ports',
      cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 8, memory: '32Gi' } }] },
      workload: { services: [{ name: 'web', replicas: 2, requests: { cpu: 1, memory: '1Gi' }, hostPorts: [{ port: 80 }] }] },
      simulation: { until: '1m' },
    };
    const m = runOne({ scenario: scenarioFromData(scenario, 'ports'), source: 'ports', scheduler: 'kube-default', queue: 'priority', seed: 1 }).metrics;
    expect(m.pods_scheduled).toBe(1);
    expect(m.pods_pending_end).toBe(1);
    // Without the host port both fit (the node has room for 8).
    const free = { ...scenario, workload: { services: [{ ...scenario.workload.services[0], hostPorts: undefined }] } };
    expect(runOne({ scenario: scenarioFromData(free, 'ports'), source: 'ports', scheduler: 'kube-default', queue: 'priority', seed: 1 }).metrics.pods_scheduled).toBe(2);
  });

  it('a pod goes to the node that has its image when the nodes are otherwise identical', () => {
    const data = {
      name: 'images',
      cluster: {
        pools: [
          { name: 'cold', count: 1, capacity: { cpu: 8, memory: '32Gi' } },
          { name: 'warm', count: 1, capacity: { cpu: 8, memory: '32Gi' }, images: [{ names: ['app:v1'], sizeBytes: '500Mi' }] },
        ],
      },
      workload: { services: [{ name: 'app', replicas: 1, requests: { cpu: 1, memory: '1Gi' }, images: ['app:v1'] }] },
      simulation: { until: '1m' },
    };
    const loaded = { file: 'images', data, scenario: scenarioFromData(data, 'images') };
    for (const seed of [1, 2, 3, 4, 5]) {
      const e = explainPod(loaded, { owner: 'app', scheduler: 'kube-default', seed });
      expect(e.chosen).toBe('warm-1');
      // 500Mi on 1 of 2 nodes: 250Mi → 100 × (250 − 23) / (1000 − 23) = 23.2 → 23; the other node has none → 0.
      const [cold, warm] = e.nodes;
      expect(warm!.scores!.ImageLocality).toEqual({ raw: 23, normalized: 23, weighted: 23 });
      expect(cold!.scores!.ImageLocality).toEqual({ raw: 0, normalized: 0, weighted: 0 });
      // Every other plugin scores the two nodes alike.
      expect(warm!.total! - cold!.total!).toBe(23);
      expect(e.unmodelled_plugins).not.toContain('ImageLocality');
    }
  });
});
