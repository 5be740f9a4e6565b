/** `rackbench import`: kubectl dumps → a scenario that validates and runs, with every imported pod placed. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { InputError } from '../src/model/yaml-input.js';
import { Notes, effectiveRequests } from '../src/import/pod-spec.js';
import { importCluster } from '../src/import/import-cluster.js';
import { runOne } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { parse } from 'yaml';
import { ROOT, tempDir } from './support/cli.js';
import { describeWithShared, sharedPath } from './support/shared-data.js';

const DUMPS = join(ROOT, 'test', 'fixtures', 'k8s-dumps');
const dump = (f: string) => join(DUMPS, f);
const SHARED_K8S = ['scheduler_perf-node-default.yaml', 'scheduler_perf-pod-default.yaml', 'open-simulator-sts-database.yaml', 'k8s-cluster-simulator-config.yaml'].map((f) =>
  sharedPath('fixtures', 'k8s', f),
);
const [NODE_DEFAULT, POD_DEFAULT, STS_DATABASE, SIMULATOR_CONFIG] = SHARED_K8S as [string, string, string, string];

const Mi = 2 ** 20;
const Gi = 2 ** 30;

const cli = runMain;
afterEach(() => {
  process.exitCode = undefined;
});

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('effective pod requests (k8s.io/component-helpers/resource PodRequests)', () => {
  const req = (requests: Record<string, string>, restartPolicy?: string) => ({ name: 'c', resources: { requests }, ...(restartPolicy ? { restartPolicy } : {}) });
  const cases: { name: string; spec: Record<string, unknown>; want: Record<string, number> }[] = [
    // Σ containers: 100m + 200m = 300m; 64Mi + 64Mi = 128Mi.
    { name: 'containers add up', spec: { containers: [req({ cpu: '100m', memory: '64Mi' }), req({ cpu: '200m', memory: '64Mi' })] }, want: { cpu: 300, memory: 128 * Mi } },
    // max(Σ containers 500m, max init 1) = 1 core; memory max(512Mi, 256Mi) = 512Mi.
    { name: 'init containers: max, not sum', spec: { containers: [req({ cpu: '500m', memory: '512Mi' })], initContainers: [req({ cpu: '1', memory: '256Mi' }), req({ cpu: '250m' })] }, want: { cpu: 1000, memory: 512 * Mi } },
    // Sidecar 100m joins the containers (200m + 100m = 300m) and every later init: late init 300m + 100m = 400m; max(300m, 1, 400m) = 1 core.
    // Memory: containers 128Mi + 64Mi = 192Mi; late init 1Gi + 64Mi = 1088Mi wins. Overhead +50m, +32Mi: 1050m, 1120Mi.
    {
      name: 'sidecars (restartPolicy Always) and overhead',
      spec: {
        containers: [req({ cpu: '200m', memory: '128Mi' })],
        initContainers: [req({ cpu: '1', memory: '64Mi' }), req({ cpu: '100m', memory: '64Mi' }, 'Always'), req({ cpu: '300m', memory: '1Gi' })],
        overhead: { cpu: '50m', memory: '32Mi' },
      },
      want: { cpu: 1050, memory: 1120 * Mi },
    },
    // No container names cpu or memory: both stay absent (the model's "missing requests"), not 0.
    { name: 'no requests stay absent', spec: { containers: [{ name: 'c', image: 'busybox' }] }, want: {} },
    // A limit stands for a missing request (API server defaulting); ephemeral-storage is nvme; GPUs are counts.
    { name: 'limits default requests; extended resources kept', spec: { containers: [{ name: 'c', resources: { limits: { cpu: '250m', 'nvidia.com/gpu': '2' }, requests: { 'ephemeral-storage': '1Gi' } } }] }, want: { cpu: 250, 'nvidia.com/gpu': 2, nvme: Gi } },
    // Pod-level requests replace the container sum for cpu and memory only.
    { name: 'pod-level resources', spec: { containers: [req({ cpu: '100m', memory: '1Gi', 'nvidia.com/gpu': '1' })], resources: { requests: { cpu: '2' } } }, want: { cpu: 2000, memory: Gi, 'nvidia.com/gpu': 1 } },
  ];
  it.each(cases)('$name', ({ spec, want }) => {
    expect(Object.fromEntries(effectiveRequests(spec, ['spec'], new Notes()))).toEqual(want);
  });
});

describe('importing hand-made dumps', () => {
  const result = importCluster([dump('nodes.json'), dump('pods.json')], { out: 'scenarios/my-cluster.yaml' });
  const s = result.scenario;
  const service = (name: string) => s.workload.services.find((x) => x.name === name);

  it('counts every pod: pinned, pending, skipped', () => {
    // 17 pods: 9 bound (static apiserver, 4 kube-proxy incl. one pending for gpu-1, 2 web, db-0, train-p0), 7 pending, 1 Succeeded.
    expect(result.summary).toEqual({
      nodes: 4,
      pools: 3,
      pods: { total: 17, pinned: 9, pending: 7, skipped: 1 },
      fromControllers: 0,
      services: 13,
      jobs: 2,
      scenarioPods: 16,
    });
    expect(s.name).toBe('my-cluster');
    expect(s.platform).toBe('kubernetes');
  });

  it('turns allocatable into capacity with reserved empty, and groups identical nodes', () => {
    expect(s.cluster.pools.map((p) => [p.name, p.count])).toEqual([
      ['cp-1', 1],
      ['worker', 2],
      ['gpu-1', 1],
    ]);
    const worker = s.cluster.pools[1]!;
    // "15.5" and "15500m" cores, 62Gi and 65011712Ki, "110" and "1.1e2" pods are the same node shape.
    expect(worker.capacity).toEqual({ cpu: 15_500, memory: 62 * Gi, nvme: 93_492_209_510, pods: 110 });
    expect(worker.reserved).toEqual({});
    expect(worker.zones).toEqual(['zone-a', 'zone-b']);
    expect(worker.racks).toEqual(['r1', 'r2']);
    expect(worker.labels).toEqual({ 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' });
    expect(worker.images).toEqual([{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 320_000 }]);
    const cp = s.cluster.pools[0]!;
    expect(cp.role).toBe('server');
    expect(cp.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    // Zero hugepages and attach limits are dropped; the GPU stays a named resource.
    expect(s.cluster.pools[2]!.capacity).toEqual({ cpu: 63_000, memory: 500 * Gi, 'nvidia.com/gpu': 4, pods: 110 });
    expect(result.text).toContain("capacity is each node's status.allocatable and reserved is empty");
    expect(result.text).toContain('# nodes: worker-a, worker-b');
  });

  it('pins bound pods to their node, tolerating its taints', () => {
    const apiserver = service('kube-system.kube-apiserver-cp-1')!;
    expect(apiserver).toMatchObject({ replicas: 1, at: 0, priority: 2_000_001_000, tenant: 'kube-system', requests: { cpu: 250 } });
    expect(apiserver.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'cp-1-1' });
    expect(apiserver.tolerations).toContainEqual({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' });
    expect(service('shop.web-5d4f8c7b9-bx1')!.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'worker-2' });
    // A pending DaemonSet pod goes to the node its matchFields names.
    expect(service('kube-system.kube-proxy-pend')!.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'gpu-1-1' });
    // A running Job pod is a job of one completion on its node.
    expect(s.workload.jobs.find((j) => j.name === 'ml.train-p0')).toMatchObject({ completions: 1, nodeSelector: { 'kubernetes.io/hostname': 'gpu-1-1' }, requests: { 'nvidia.com/gpu': { dist: 'fixed', value: 2 } } });
  });

  it('groups pending pods by controller, keeps missing requests missing', () => {
    // The ReplicaSet web-5d4f8c7b9 (pod-template-hash 5d4f8c7b9) stands for Deployment web.
    expect(service('shop.web')).toMatchObject({ replicas: 2, at: 60_000_000, requests: { cpu: 1000, memory: 512 * Mi } });
    expect(service('shop.web')!.topologySpreadConstraints).toHaveLength(1);
    // StatefulSet pods lose their per-pod labels so replicas can share one service.
    expect(service('shop.db')).toMatchObject({ replicas: 1, priority: 1000, labels: { app: 'db' }, requests: { cpu: 2000, memory: 4 * Gi, nvme: 10 * Gi } });
    expect(service('default.debug')!.requests).toEqual({});
    expect(service('default.mesh-app')!.requests).toEqual({ cpu: 1050, memory: 1120 * Mi });
    expect(service('default.limit-only')!.requests).toEqual({ cpu: 250, memory: 129_000_000 });
    expect(s.workload.jobs.find((j) => j.name === 'ml.train')).toMatchObject({ completions: 1, at: 60_000_000 });
  });

  it('is deterministic', () => {
    expect(importCluster([dump('nodes.json'), dump('pods.json')], { out: 'scenarios/my-cluster.yaml' }).text).toBe(result.text);
  });

  it('--no-group gives one pool per node; --reschedule unpins controllers\' pods', () => {
    expect(importCluster([dump('nodes.json'), dump('pods.json')], { group: false }).scenario.cluster.pools.map((p) => p.name)).toEqual(['cp-1', 'worker-a', 'worker-b', 'gpu-1']);
    const r = importCluster([dump('nodes.json'), dump('pods.json')], { reschedule: true });
    expect(r.scenario.workload.services.find((x) => x.name === 'default.web')).toBeUndefined();
    expect(r.scenario.workload.services.find((x) => x.name === 'shop.web')).toMatchObject({ replicas: 4 });
    // Static and DaemonSet pods stay pinned.
    expect(r.summary.pods.pinned).toBe(5);
  });

  it('reads one YAML List of both kinds, quantities in every notation', () => {
    const r = importCluster([dump('cluster-list.yaml')]);
    expect(r.scenario.platform).toBe('k3s');
    // 4000m = 4; 8388608Ki = 0.0078125Ti = 8Gi; "6e10" = 60G = 60000M bytes: one pool; k3s's per-node labels are dropped.
    expect(r.scenario.cluster.pools).toHaveLength(1);
    expect(r.scenario.cluster.pools[0]).toMatchObject({ name: 'edge', count: 2, capacity: { cpu: 4000, memory: 8 * Gi, nvme: 60e9, pods: 110 }, labels: { 'node.kubernetes.io/instance-type': 'k3s' } });
    const [sensor, cam] = r.scenario.workload.services;
    // "0.25" + 250000u = 500m; 134217728 + 0.125Gi = 256Mi.
    expect(sensor).toMatchObject({ name: 'iot.sensor', requests: { cpu: 500, memory: 256 * Mi, nvme: Gi }, nodeSelector: { 'kubernetes.io/hostname': 'edge-2' } });
    expect(cam).toMatchObject({ name: 'iot.cam', requests: { cpu: 1000, memory: 1.5 * Gi } });
  });

  it('warns when allocatable exceeds capacity and keeps the allocatable', () => {
    const r = importCluster([dump('allocatable-over-capacity.json')]);
    expect(r.warnings).toEqual([
      'Node "worker-1": allocatable cpu (8) exceeds its capacity (4); the allocatable is kept',
      'Node "worker-1": allocatable memory (16Gi) exceeds its capacity (8Gi); the allocatable is kept',
    ]);
    expect(r.scenario.cluster.pools[0]!.capacity).toMatchObject({ cpu: 8000, memory: 16 * Gi });
  });
});

describe('bad input names the file, the item and the line', () => {
  it('an unknown kind', () => {
    const e = inputError(() => importCluster([dump('unknown-kind.json')]));
    expect(e.message).toBe(`${dump('unknown-kind.json')}:6: items[1]: unknown kind "Service": the import reads Node, Pod, Deployment, ReplicaSet, StatefulSet, Job, DaemonSet objects, alone or in a List (--ignore-unknown skips the others)`);
    const r = importCluster([dump('unknown-kind.json')], { ignoreUnknown: true });
    expect(r.notes).toContain('Service objects skipped (--ignore-unknown): 1');
  });

  it('malformed JSON', () => {
    expect(inputError(() => importCluster([dump('malformed.json')])).message).toMatch(/malformed\.json:5: not valid JSON: .*\(column 1\)$/);
  });

  it('a bad quantity', () => {
    expect(inputError(() => importCluster([dump('nodes.json'), dump('bad-quantity.json')])).message).toBe(
      `${dump('bad-quantity.json')}:9: items[0].spec.containers[0].resources.requests.cpu: Pod "shop/web-1": invalid quantity "4x": unknown suffix "x"; expected a CPU quantity such as "500m", "0.25" or "2" (cores)`,
    );
  });

  it('no nodes, a missing file', () => {
    expect(inputError(() => importCluster([dump('pods.json')])).message).toContain('no Node objects in the input');
    expect(inputError(() => importCluster([dump('no-such.json')])).message).toContain('no-such.json: no such file');
  });
});

describeWithShared('importing the shared Kubernetes fixtures', SHARED_K8S, () => {
  it('a scheduler_perf node, its pod and an open-simulator StatefulSet', () => {
    const r = importCluster([NODE_DEFAULT, POD_DEFAULT, STS_DATABASE]);
    // The node has capacity only: allocatable defaults to it (4 CPU, 32Gi, 110 pods).
    expect(r.scenario.cluster.pools).toHaveLength(1);
    expect(r.scenario.cluster.pools[0]).toMatchObject({ count: 1, capacity: { cpu: 4000, memory: 32 * Gi, pods: 110 } });
    expect(r.notes).toContain('nodes without status.allocatable (their capacity was used, as allocatable defaults to capacity): 1');
    const [pod, sts] = r.scenario.workload.services;
    expect(pod).toMatchObject({ name: 'default.pod-1', replicas: 1, requests: { cpu: 100, memory: 500 * Mi } });
    // The StatefulSet has no pods in the dump: its 8 replicas become one service.
    expect(sts).toMatchObject({ name: 'default.database-sts', replicas: 8, requests: { cpu: 4000, memory: 8 * Gi }, terminationGracePeriodSeconds: 5 });
    expect(sts!.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey).toBe('kubernetes.io/hostname');
    expect(r.summary).toMatchObject({ nodes: 1, pools: 1, pods: { total: 1, pinned: 0, pending: 1, skipped: 0 }, fromControllers: 8, scenarioPods: 9 });
  });

  it('a k8s-cluster-simulator config is not a kubectl dump', () => {
    expect(inputError(() => importCluster([SIMULATOR_CONFIG])).message).toContain('no "kind"; this file is not a kubectl dump');
  });
});

describe('rackbench import, validate, run', () => {
  it('imports, validates and runs with every imported pod placed (pinned ones on their node)', async () => {
    const dir = tempDir();
    const out = join(dir, 'scenarios', 'my-cluster.yaml');
    const imported = await cli('import', dump('nodes.json'), dump('pods.json'), '--out', out);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(`wrote ${out}: scenario "my-cluster", 4 nodes in 3 pools; 17 pods in the dumps: 9 pinned to their nodes, 7 pending, 1 skipped`);
    expect(readdirSync(join(dir, 'scenarios'))).toEqual(['my-cluster.yaml']); // written atomically: no temporary file left
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('# Imported by `rackbench import` from ')).toBe(true);

    const validated = await cli('validate', out);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain('4 nodes in 3 pools, 13 services, 2 jobs, 0 streams');

    const result = runOne({ scenario: scenarioFromData(parse(text), out), source: out, scheduler: 'kube-default', queue: 'kube', seed: 1, record: ['pods'] });
    expect(result.metrics).toMatchObject({ pods_submitted: 16, pods_scheduled: 16, pods_unschedulable: 0, pods_pending_end: 0 });
    const pods = result.records!.pods!;
    const nodeOf = (owner: string) => {
      const i = pods.owners.findIndex((o) => o.name === owner);
      return pods.nodeNames[pods.node[pods.owner.indexOf(i)]!];
    };
    expect(nodeOf('kube-system.kube-apiserver-cp-1')).toBe('cp-1-1');
    expect(nodeOf('shop.db-0')).toBe('worker-1');
    expect(nodeOf('ml.train-p0')).toBe('gpu-1-1');
  });

  it('imports a node whose pods exceed its allocatable as it is: every bound pod runs there from time 0, boundAtStart', () => {
    // worker-1: allocatable 2 CPUs; two Running pods of 1500m each are bound to it (3 CPUs: over-committed by 1).
    const dir = tempDir();
    const file = join(dir, 'over.json');
    const bound = (name: string) => ({
      metadata: { name, namespace: 'default' },
      spec: { nodeName: 'worker-1', containers: [{ name: 'c', resources: { requests: { cpu: '1500m', memory: '1Gi' } } }] },
      status: { phase: 'Running' },
    });
    const node = { metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' } }, status: { capacity: { cpu: '2', memory: '8Gi', pods: '110' }, allocatable: { cpu: '2', memory: '8Gi', pods: '110' } } };
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Node', ...node }, { kind: 'Pod', ...bound('a') }, { kind: 'Pod', ...bound('b') }] }));
    const r = importCluster([file]);
    expect(r.scenario.workload.services.map((x) => x.boundAtStart)).toEqual(['worker-1-1', 'worker-1-1']);
    const result = runOne({ scenario: scenarioFromData(parse(r.text), file), source: file, scheduler: 'kube-default', queue: 'kube', seed: 1 });
    expect(result.metrics).toMatchObject({ pods_submitted: 2, pods_scheduled: 2, pods_unschedulable: 0, pods_pending_end: 0, pods_never_fit: 0 });
  });

  it('exits 2 on bad input with the file and line, and no stack trace', async () => {
    const dir = tempDir();
    const r = await cli('import', dump('malformed.json'), '--out', join(dir, 'x.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('malformed.json:5: not valid JSON');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
    const flag = await cli('import', dump('nodes.json'), '--out', join(dir, 'x.yaml'), '--pending-at', 'soon');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--pending-at: invalid duration "soon"');
  });
});
