/**
 * Kubernetes vs k3s in the default job: the built-in scenario k8s-vs-k3s runs
 * once per platform (defaults.platforms), and the run prints and writes each
 * node's budget and the outcomes side by side. The node figures are worked
 * out here by hand from the platform model's rules (docs/platforms.md).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { poolBudgets } from '../src/model/platform-budget.js';
import { platformShare } from '../src/model/platform-share.js';
import type { PlatformShare } from '../src/model/platform-share.js';
import { platformShareTable } from '../src/report/platform-share.js';
import { parseScenario } from '../src/model/scenario-file.js';
import { InputError } from '../src/model/yaml-input.js';
import { platformNodesTable } from '../src/report/platform-compare.js';
import { PLATFORM_COLUMNS, platformRowsFromCsv, platformsCsv } from '../src/report/platforms-csv.js';
import type { Amounts, PlatformNodeRow } from '../src/report/platforms-csv.js';
import { defaultScenarios, loadScenarioFile, loadScenarioVariants, planRuns } from '../src/runner/plan.js';
import { platformComparison, platformNodeRows } from '../src/runner/platform-compare.js';
import { loadSweep } from '../src/runner/sweep-file.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';

const FILE = 'scenarios/k8s-vs-k3s.yaml';
const Mi = 2 ** 20;
const Gi = 2 ** 30;

// ---- one Intel N100 mini PC (n100-mini-16gb), by hand -----------------------
// Capacity: 4 CPUs, 15.4Gi (parsed rounding up to whole bytes: 15.4 × 2^30 = 16535624089.6), 110 pods.
const CPU = 4000;
const MEMORY = 16_535_624_090;
// Both platforms by their kubelet defaults: no kube-reserved or system-reserved (neither kubeadm nor k3s sets any),
// and the memory.available hard-eviction threshold each one's kubelet applies:
// kubeadm leaves the kubelet's default, memory.available<100Mi (DefaultEvictionHard);
// k3s sets evictionHard to imagefs.available<5% and nodefs.available<5% only, so memory has none.
const EVICTION = 100 * Mi;
const K8S_RESERVED = { cpu: 0, memory: EVICTION };
const K3S_AGENT_RESERVED = { cpu: 0, memory: 0 };
const K3S_SERVER_RESERVED = { cpu: 0, memory: 0 };

const NODE_EXPORTER = { cpu: 112, memory: 200 * Mi }; // node-exporter 102m/180Mi + kube-rbac-proxy 10m/20Mi

function expected(reserved: { cpu: number; memory: number }, pinned: { cpu: number; memory: number; pods: number }) {
  const allocatable = { cpu: CPU - reserved.cpu, memory: MEMORY - reserved.memory, pods: 110 };
  return {
    capacity: { cpu: CPU, memory: MEMORY, pods: 110 },
    reserved: { ...reserved, pods: undefined },
    allocatable,
    pinned,
    left: { cpu: allocatable.cpu - pinned.cpu, memory: allocatable.memory - pinned.memory, pods: 110 - pinned.pods },
  };
}

// kubernetes agent: calico-node 250m, kube-proxy (no requests), node-exporter.
const K8S_AGENT = expected(K8S_RESERVED, { cpu: 250 + NODE_EXPORTER.cpu, memory: NODE_EXPORTER.memory, pods: 3 });
// kubernetes server: + kube-apiserver 250m, kube-controller-manager 200m, kube-scheduler 100m, etcd 100m/100Mi.
const K8S_SERVER = expected(K8S_RESERVED, { cpu: 250 + 200 + 100 + 100 + 250 + NODE_EXPORTER.cpu, memory: 100 * Mi + NODE_EXPORTER.memory, pods: 7 });
// k3s: svclb-traefik (no requests) and node-exporter on every node; the rest runs inside the k3s service.
const K3S_AGENT = expected(K3S_AGENT_RESERVED, { cpu: NODE_EXPORTER.cpu, memory: NODE_EXPORTER.memory, pods: 2 });
const K3S_SERVER = expected(K3S_SERVER_RESERVED, { cpu: NODE_EXPORTER.cpu, memory: NODE_EXPORTER.memory, pods: 2 });

const pick = (r: PlatformNodeRow): Record<string, Amounts> => ({ capacity: r.capacity, reserved: r.reserved, allocatable: r.allocatable, pinned: r.pinned, left: r.left });

describe('k8s-vs-k3s: each node by hand', () => {
  const variants = loadScenarioVariants(FILE);
  const rows = variants.flatMap(platformNodeRows);
  const row = (platform: string, pool: string): PlatformNodeRow => rows.find((r) => r.platform === platform && r.pool === pool)!;

  it('is one scenario run on kubernetes and on k3s, with identical pools and workload', () => {
    expect(variants.map((v) => [v.scenario.name, v.variant, v.scenario.platform])).toEqual([
      ['k8s-vs-k3s', 'platform=kubernetes', 'kubernetes'],
      ['k8s-vs-k3s', 'platform=k3s', 'k3s'],
    ]);
    const [k8s, k3s] = variants.map((v) => v.data as Record<string, unknown>);
    expect(k3s!.cluster).toEqual(k8s!.cluster);
    expect(k3s!.workload).toEqual(k8s!.workload);
    expect(k3s!.runtime).toEqual(k8s!.runtime);
    // Only the stack's platform-neutral fields carry over; each platform's defaults do the rest.
    expect(k3s!.stack).toEqual({ agents: ['node-exporter'] });
    expect(variants[1]!.scenario.stack).toMatchObject({ datastore: 'sqlite', cni: 'flannel', ingress: 'traefik', serversSchedulable: true });
    expect(variants[0]!.scenario.stack).toMatchObject({ datastore: 'etcd', cni: 'calico', ingress: 'none', serversSchedulable: false });
  });

  it('kubernetes: allocatable = capacity − the 100Mi eviction threshold; calico-node, kube-proxy, node-exporter and the static control plane take theirs', () => {
    expect(pick(row('kubernetes', 'agent'))).toEqual(K8S_AGENT);
    expect(pick(row('kubernetes', 'server'))).toEqual(K8S_SERVER);
    // 4000m, 16535624090 − 104857600 = 16430766490 bytes (≈ 15.30Gi); an agent leaves
    // 4000 − 250 − 112 = 3638m and 16430766490 − 200Mi = 16221051290 bytes (≈ 15.11Gi) in 107 pod slots.
    expect(K8S_AGENT.allocatable).toEqual({ cpu: 4000, memory: 16_430_766_490, pods: 110 });
    expect(K8S_AGENT.left).toEqual({ cpu: 3638, memory: 16_221_051_290, pods: 107 });
    expect(row('kubernetes', 'server').taints).toBe('node-role.kubernetes.io/control-plane:NoSchedule');
    expect(row('kubernetes', 'server').pinnedNames).toBe('kube-apiserver kube-controller-manager kube-scheduler etcd calico-node kube-proxy node-exporter');
  });

  it('k3s: allocatable = capacity (no memory eviction threshold, nothing reserved); only svclb-traefik and node-exporter are pinned', () => {
    expect(pick(row('k3s', 'agent'))).toEqual(K3S_AGENT);
    expect(pick(row('k3s', 'server'))).toEqual(K3S_SERVER);
    // 4000 − 112 = 3888m; 16535624090 − 200Mi = 16325908890 bytes (≈ 15.20Gi); 110 − 2 pods. Server and agent alike.
    expect(K3S_AGENT.left).toEqual({ cpu: 3888, memory: 16_325_908_890, pods: 108 });
    expect(K3S_SERVER.left).toEqual(K3S_AGENT.left);
    expect(row('k3s', 'server').taints).toBe('');
  });

  it('counts the add-ons the scheduler places: CoreDNS ×2 and calico-kube-controllers; CoreDNS, metrics-server, Traefik, local-path-provisioner', () => {
    expect([row('kubernetes', 'agent').addonNames, row('kubernetes', 'agent').addons]).toEqual(['coredns×2 calico-kube-controllers×1', { cpu: 200, memory: 140 * Mi, pods: 3 }]);
    expect([row('k3s', 'agent').addonNames, row('k3s', 'agent').addons]).toEqual([
      'coredns×1 metrics-server×1 traefik×1 local-path-provisioner×1',
      { cpu: 200, memory: 140 * Mi, pods: 4 },
    ]);
  });

  it('prints them side by side: per pool, kubernetes then k3s', () => {
    const c = platformComparison(variants)!;
    expect(c.sets.map((s) => s.name)).toEqual(['k8s-vs-k3s']);
    const t = platformNodesTable(c.sets[0]!, c.rows)!;
    const text = t.rows.map((r) => r.map((cell) => cell.text));
    expect(text.map((r) => [r[0], r[1]])).toEqual([
      ['server (n100-mini-16gb)', 'kubernetes'],
      ['server (n100-mini-16gb)', 'k3s'],
      ['agent (n100-mini-16gb)', 'kubernetes'],
      ['agent (n100-mini-16gb)', 'k3s'],
      ['add-ons (scheduled)', 'kubernetes'],
      ['add-ons (scheduled)', 'k3s'],
    ]);
    // reserved, allocatable and left for the workload, cpu · memory · pods: 16430766490 B = 15.30Gi,
    // 16221051290 B = 15.11Gi, 16535624090 B = 15.40Gi, 16325908890 B = 15.20Gi.
    expect(text[2]!.slice(4, 8)).toEqual(['0 · 100.0Mi', '4 · 15.30Gi · 110', '362m · 200.0Mi · 3', '3638m · 15.11Gi · 107']);
    expect(text[3]!.slice(4, 8)).toEqual(['0 · 0', '4 · 15.40Gi · 110', '112m · 200.0Mi · 2', '3888m · 15.20Gi · 108']);
    expect(text[0]![8]).toBe('no (node-role.kubernetes.io/control-plane:NoSchedule)');
    expect(MEMORY / Gi).toBeCloseTo(15.4, 9);
  });

  it('without node-exporter, leaves what the N100 rows of docs/platforms.md say', () => {
    const agent = (platform: string) =>
      poolBudgets(parseScenario(`name: t\nplatform: ${platform}\nstack: {}\ncluster:\n  pools:\n    - { name: a, count: 1, profile: n100-mini-16gb }\nworkload: {}\n`, 't.yaml'))[0]!;
    // kubernetes: 4000m − calico-node 250m; 16430766490 B ≈ 15669.6Mi; 110 − calico-node − kube-proxy.
    expect(agent('kubernetes').left).toEqual({ cpu: 3750, memory: 16_430_766_490, pods: 108, nvme: 500e9, nic: 1e9 });
    expect(16_430_766_490 / Mi).toBeCloseTo(15669.6, 1);
    // k3s: 4000m and the whole 16535624090 B ≈ 15769.6Mi; 110 − svclb-traefik.
    expect(agent('k3s').left).toEqual({ cpu: 4000, memory: MEMORY, pods: 109, nvme: 500e9, nic: 1e9 });
  });

  it('attributes the difference part by part, each from its source, and the parts add up to what the nodes leave', () => {
    const k8s = platformShare(variants[0]!.scenario)!;
    const k3s = platformShare(variants[1]!.scenario)!;
    const part = (share: PlatformShare, p: string) => share.rows.find((r) => r.part === p)!.amounts;
    // kubernetes, whole cluster (1 server, 2 agents):
    // eviction threshold 3 × 100Mi; apiserver 250m + controller-manager 200m + scheduler 100m (kubeadm manifests.go);
    // etcd 100m / 100Mi (kubeadm etcd/local.go); calico-node 3 × 250m + calico-kube-controllers (no requests);
    // kube-proxy 3 pods without requests; CoreDNS 2 × 100m / 70Mi; node-exporter 3 × 112m / 200Mi;
    // the tainted server's room: 4000 − 1012 = 2988m, 16430766490 − 300Mi = 16116193690 B, 110 − 7 = 103 pods.
    expect(part(k8s, 'eviction')).toEqual({ cpu: 0, memory: 3 * EVICTION, pods: 0 });
    expect(part(k8s, 'reserved')).toEqual({ cpu: 0, memory: 0, pods: 0 });
    expect(part(k8s, 'control-plane')).toEqual({ cpu: 550, memory: 0, pods: 3 });
    expect(part(k8s, 'datastore')).toEqual({ cpu: 100, memory: 100 * Mi, pods: 1 });
    expect(part(k8s, 'cni')).toEqual({ cpu: 750, memory: 0, pods: 4 });
    expect(part(k8s, 'kube-proxy')).toEqual({ cpu: 0, memory: 0, pods: 3 });
    expect(part(k8s, 'dns')).toEqual({ cpu: 200, memory: 140 * Mi, pods: 2 });
    expect(part(k8s, 'agent')).toEqual({ cpu: 336, memory: 600 * Mi, pods: 3 });
    expect(part(k8s, 'server-taint')).toEqual({ cpu: 2988, memory: 16_116_193_690, pods: 103 });
    // k3s: nothing reserved; control plane, SQLite, flannel and kube-proxy in the k3s binary (no pod);
    // svclb-traefik × 3 and Traefik without requests; CoreDNS 100m / 70Mi; metrics-server 100m / 70Mi;
    // local-path-provisioner; node-exporter as on kubernetes; the server takes workload pods.
    expect(part(k3s, 'eviction')).toEqual({ cpu: 0, memory: 0, pods: 0 });
    expect(part(k3s, 'control-plane')).toEqual({ cpu: 0, memory: 0, pods: 0 });
    expect(k3s.rows.find((r) => r.part === 'datastore')!.what).toBe('sqlite in the k3s binary, no pod');
    expect(part(k3s, 'ingress')).toEqual({ cpu: 0, memory: 0, pods: 4 });
    expect(part(k3s, 'dns')).toEqual({ cpu: 100, memory: 70 * Mi, pods: 1 });
    expect(part(k3s, 'metrics')).toEqual({ cpu: 100, memory: 70 * Mi, pods: 1 });
    expect(part(k3s, 'addon')).toEqual({ cpu: 0, memory: 0, pods: 1 });
    expect(part(k3s, 'server-taint')).toEqual({ cpu: 0, memory: 0, pods: 0 });
    // Σ: kubernetes 550 + 100 + 750 + 200 + 336 + 2988 = 4924m; k3s 100 + 100 + 336 = 536m.
    expect(k8s.total).toEqual({ cpu: 4924, memory: 3 * EVICTION + 100 * Mi + 140 * Mi + 600 * Mi + 16_116_193_690, pods: 119 });
    expect(k3s.total).toEqual({ cpu: 536, memory: 740 * Mi, pods: 10 });
    // capacity − Σ = what the nodes the workload may use leave, less the add-ons the scheduler places.
    const room = (platform: string, pools: string[], addons: Amounts) =>
      pools.reduce((cpu, pool) => cpu + row(platform, pool).left.cpu * row(platform, pool).nodes, 0) - addons.cpu;
    expect(k8s.capacity.cpu - k8s.total.cpu).toBe(room('kubernetes', ['agent'], row('kubernetes', 'agent').addons));
    expect(k3s.capacity.cpu - k3s.total.cpu).toBe(room('k3s', ['server', 'agent'], row('k3s', 'agent').addons));
    // Every part with something in it names a source; the k3s service's footprint is shown, never counted.
    for (const r of [...k8s.rows, ...k3s.rows]) if (r.what !== '') expect(r.source, r.part).not.toBe('');
    expect(k3s.measured).toEqual({ amounts: { cpu: 60 + 2 * 30, memory: 1596e6 + 2 * 275e6, pods: 0 }, source: expect.stringContaining('docs.k3s.io/reference/resource-profiling') });
    expect(k8s.measured).toBeUndefined();
    const table = platformShareTable(k8s, k3s).rows.map((r) => r.map((c) => c.text));
    expect(table.find((r) => r[0] === 'taken from the workload (sum)')!.slice(1, 4)).toEqual(['4924m · 16.12Gi · 119', '536m · 740.0Mi · 10', '+4388m · +15.40Gi · +109']);
  });

  it('writes platforms.csv that reads back to the same figures', () => {
    const csv = platformsCsv(rows);
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(PLATFORM_COLUMNS.map((c) => c.name));
    const agent = records.find((r) => r.scenario === 'k8s-vs-k3s (platform=kubernetes)' && r.pool === 'agent')!;
    expect([agent.reserved_cpu, agent.reserved_memory, agent.allocatable_cpu, agent.allocatable_memory, agent.left_cpu, agent.left_memory, agent.left_pods]).toEqual([
      '0',
      '104857600',
      '4',
      '16430766490',
      '3.638',
      '16221051290',
      '107',
    ]);
    const fail = (): never => {
      throw new Error('bad number');
    };
    expect(platformRowsFromCsv(records, fail)).toEqual(rows);
  });
});

describe('defaults.platforms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rackbench-platforms-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is part of the default job, one run set per platform', () => {
    const titles = planRuns(defaultScenarios(), { schedulers: ['first-fit'], seeds: [1] }).map(({ spec: s }) => [(s.scenario as { name: string }).name, s.variant]);
    expect(titles).toContainEqual(['k8s-vs-k3s', 'platform=kubernetes']);
    expect(titles).toContainEqual(['k8s-vs-k3s', 'platform=k3s']);
  });

  it('rejects a platform on which the scenario is invalid, at its defaults.platforms entry', () => {
    // kubeadm with an external datastore allows two control-plane nodes; k3s's default then is embedded etcd, which needs an odd number.
    const file = join(dir, 'two-servers.yaml');
    writeFileSync(
      file,
      `name: two-servers
platform: kubernetes
stack: { datastore: external }
cluster:
  pools:
    - { name: cp, count: 2, role: server, profile: r650-2x16c }
    - { name: w, count: 1, profile: r650-2x16c }
workload: {}
defaults:
  platforms:
    - kubernetes
    - k3s
`,
    );
    let error: unknown;
    try {
      loadScenarioVariants(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0]!;
    expect([issue.path, issue.line]).toEqual(['defaults.platforms[1]', 12]);
    expect(issue.message).toMatch(/^the scenario on k3s is not valid: stack\.datastore: embedded\/stacked etcd needs an odd number of servers/);
  });

  it('composes with a sweep’s parameters in the run’s name', () => {
    const file = join(dir, 'sweep.yaml');
    writeFileSync(file, `name: s\nscenarios: [${join(process.cwd(), FILE)}]\nschedulers: [first-fit]\nseeds: [1]\nparameters:\n  workload.streams[name=worker].count: [10]\n`);
    expect(loadSweep(file).runs.map((r) => r.label)).toEqual([
      'k8s-vs-k3s (platform=kubernetes, workload.streams[name=worker].count=10) first-fit seed 1',
      'k8s-vs-k3s (platform=k3s, workload.streams[name=worker].count=10) first-fit seed 1',
    ]);
  });
});

describe('npm start (rackbench run on the built-in scenarios)', () => {
  // The command line's main() in this process, its runs on the worker pool.
  it('runs every built-in scenario, prints and writes Kubernetes vs k3s side by side, and rackbench report shows it', async () => {
    const out = tempDir();
    const r = await runMain('run', '--seed', '1', '--scheduler', 'kube-default', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Every scenario with runByDefault, each platform of k8s-vs-k3s apart, in the order of runs.csv.
    const rows = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    expect(rows.map((row) => [row[0], row[1], row[3]])).toEqual([
      ['k3s-edge', 'kube-default', '1'],
      ['k8s-bare-metal', 'kube-default', '1'],
      ['k8s-vs-k3s (platform=k3s)', 'kube-default', '1'],
      ['k8s-vs-k3s (platform=kubernetes)', 'kube-default', '1'],
      ['overcommit', 'kube-default', '1'],
    ]);
    expect(r.stdout).toContain('k3s-edge');
    expect(r.stdout).toContain('k8s-bare-metal');

    // The terminal: the heading, each node's budget per platform, the outcomes per policy and platform.
    expect(r.stdout).toContain('Kubernetes vs k3s: k8s-vs-k3s');
    expect(r.stdout).toMatch(/^agent \(n100-mini-16gb\)\s+kubernetes\s+2\s+4 · 15\.40Gi · 110\s+0 · 100\.0Mi\s+4 · 15\.30Gi · 110\s+362m · 200\.0Mi · 3\s+3638m · 15\.11Gi · 107\s+yes$/m);
    expect(r.stdout).toMatch(/^agent \(n100-mini-16gb\)\s+k3s\s+2\s+4 · 15\.40Gi · 110\s+0 · 0\s+4 · 15\.40Gi · 110\s+112m · 200\.0Mi · 2\s+3888m · 15\.20Gi · 108\s+yes$/m);
    // …and where the difference comes from, part by part: the server taint keeps a whole machine's room.
    expect(r.stdout).toContain('Where the difference comes from');
    expect(r.stdout).toMatch(/^server taint: room on tainted control-plane nodes the workload cannot use\s+2988m · 15\.01Gi · 103\s+0\s+\+2988m · \+15\.01Gi · \+103$/m);
    expect(r.stdout).toMatch(/^kube-default\s+kube\s+kubernetes\s+1\s/m);
    expect(r.stdout).toMatch(/^kube-default\s+kube\s+k3s\s+1\s/m);
    expect(r.stdout).toMatch(/^wrote .*runs\.csv, timings\.csv, summary\.json, platforms\.csv, platforms\.md$/m);

    // The runs: like for like, the nightly rollup's 13Gi pod fits a node on both platforms (15.11Gi and 15.20Gi left);
    // with a runtime, start-up includes the image pulls (above the 1 s container start).
    const runs = parse(readFileSync(join(out, 'runs.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const run = (platform: string) => runs.find((x) => x.scenario === `k8s-vs-k3s (platform=${platform})`)!;
    expect([run('kubernetes').pods_never_fit, run('k3s').pods_never_fit]).toEqual(['0', '0']);
    for (const p of ['kubernetes', 'k3s']) expect(Number(run(p).startup_p99_s)).toBeGreaterThan(1);

    // platforms.csv: one row per platform and pool; platforms.md: the same tables for people.
    const csv = parse(readFileSync(join(out, 'platforms.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(csv.map((x) => [x.platform, x.pool, x.left_cpu, x.left_pods])).toEqual([
      ['kubernetes', 'server', '2.988', '103'],
      ['kubernetes', 'agent', '3.638', '107'],
      ['k3s', 'server', '3.888', '108'],
      ['k3s', 'agent', '3.888', '108'],
    ]);
    const md = readFileSync(join(out, 'platforms.md'), 'utf8');
    expect(md).toContain('## Kubernetes vs k3s: k8s-vs-k3s');
    expect(md).toContain('| agent (n100-mini-16gb) | kubernetes | 2 | 4 · 15.40Gi · 110 | 0 · 100.0Mi | 4 · 15.30Gi · 110 | 362m · 200.0Mi · 3 | 3638m · 15.11Gi · 107 | yes |');
    expect(md).toContain('| CNI | 750m · 0 · 4 | 0 | +750m · 0 · +4 |');
    expect(md).toMatch(/\| kube-default \| kube \| k3s \| 1 \| /);

    // rackbench report reads platforms.csv back into report.md and report.html.
    expect((await runMain('report', out)).code).toBe(0);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Kubernetes vs k3s: k8s-vs-k3s');
    expect(report).toContain('3638m · 15.11Gi · 107');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('3888m · 15.20Gi · 108');
  });

  it('writes no platforms files for scenarios on one platform, and removes stale ones', async () => {
    const out = tempDir();
    expect((await runMain('run', FILE, '--seed', '1', '--scheduler', 'first-fit', '--workers', '1', '--out', out, '--quiet')).code).toBe(0);
    expect(readFileSync(join(out, 'platforms.csv'), 'utf8')).toContain('k8s-vs-k3s (platform=k3s)');
    const r = await runMain('run', 'scenarios/k3s-edge.yaml', '--seed', '1', '--scheduler', 'first-fit', '--workers', '1', '--out', out, '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Kubernetes vs k3s');
    expect(() => readFileSync(join(out, 'platforms.csv'))).toThrow();
    expect(() => readFileSync(join(out, 'platforms.md'))).toThrow();
  });
});

describe('README', () => {
  it('documents every column of platforms.csv in its Kubernetes vs k3s section', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Kubernetes vs k3s'));
    for (const c of PLATFORM_COLUMNS) expect(section, c.name).toContain(`| \`${c.name}\` |`);
  });
});

describe('rack-42u and edge-fleet', () => {
  it('rack-42u: the servers’ rack units from their profiles, plus 4U of switches and patch panel, fill 42U', () => {
    const s = loadScenarioFile('scenarios/rack-42u.yaml').scenario;
    const units = s.cluster.pools.map((p) => [p.name, p.count, p.hardware?.rackUnits]);
    expect(units).toEqual([
      ['control-plane', 3, 1],
      ['storage', 4, 2],
      ['worker', 27, 1],
    ]);
    const servers = s.cluster.pools.reduce((u, p) => u + p.count * p.hardware!.rackUnits!, 0);
    // 2 × 1U leaf switches, 1U management switch, 1U patch panel (the file's comment).
    expect(servers + 2 + 1 + 1).toBe(42);
    expect(s.stack).toMatchObject({ datastore: 'etcd', cni: 'calico', kubeProxy: 'ipvs', ingress: 'nginx' });
    expect(s.defaults.runByDefault).toBe(false);
  });

  it('edge-fleet: one k3s site, a single SQLite server, not in the default job', () => {
    const s = loadScenarioFile('scenarios/edge-fleet.yaml').scenario;
    expect(s.platform).toBe('k3s');
    expect(s.cluster.pools.map((p) => [p.name, p.count, p.role, p.profile])).toEqual([
      ['nuc', 1, 'server', 'nuc13pro-i7'],
      ['pi', 3, 'agent', 'rpi5-8gb'],
      ['jetson', 1, 'agent', 'jetson-orin-nano-8gb'],
    ]);
    expect(s.stack).toMatchObject({ datastore: 'sqlite' });
    expect(s.defaults.runByDefault).toBe(false);
    expect(defaultScenarios().map((l) => l.scenario.name)).not.toContain('edge-fleet');
  });
});
