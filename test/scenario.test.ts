import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../src/model/scenario-file.js';
import { InputError } from '../src/model/yaml-input.js';
import type { InputIssue } from '../src/model/yaml-input.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const S = 1_000_000; // µs per second

/** A minimal valid scenario; `workload` is the YAML text under `workload:` (indented by 2). */
function scenarioText(workload: string, extra = ''): string {
  return `name: test
cluster:
  pools:
    - name: worker
      count: 2
      capacity: { cpu: 4, memory: 8Gi }
workload:
${workload}${extra}`;
}

const ONE_SERVICE = `  services:
    - name: web
      replicas: 1
      requests: { cpu: 1 }
`;

/** Parses `text`, expects an InputError for `file`, and returns its issues. */
function inputErrorOf(text: string, file = 'test.yaml'): InputError {
  let caught: unknown;
  try {
    parseScenario(text, file);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.file).toBe(file);
  expect(error.issues.length).toBeGreaterThan(0);
  return error;
}

/** Expects an issue at `path` (and `line`, when given) whose message matches `message`. */
function expectIssue(text: string, path: string, message: RegExp, line?: number): InputIssue {
  const error = inputErrorOf(text);
  const issue = error.issues.find((i) => i.path === path);
  expect(issue, `an issue at ${path} among ${JSON.stringify(error.issues)}`).toBeDefined();
  expect(issue?.message).toMatch(message);
  if (line !== undefined) {
    expect(issue?.line).toBe(line);
    // The message the CLI prints: file:line: path: message.
    expect(error.message.split('\n')).toContain(`test.yaml:${line}: ${path}: ${issue?.message}`);
  }
  return issue!;
}

describe('parseScenario defaults', () => {
  it('fills in every optional field', () => {
    const s = parseScenario(
      scenarioText(`  services:
    - name: web
      replicas: 2
      requests: { cpu: 500m }
  jobs:
    - name: batch
      completions: 3
      duration: 10s
      requests: { cpu: 1 }
  streams:
    - name: flow
      arrival: { process: poisson, rate: 1/s }
      count: 5
      duration: 1s
      requests: { cpu: 1 }
`),
      'defaults.yaml',
    );
    expect(s.name).toBe('test');
    expect(s.description).toBe('');
    expect(s.platform).toBe('none');
    const pool = s.cluster.pools[0];
    expect(pool?.reserved).toEqual({});
    expect(pool?.labels).toEqual({});
    expect(pool?.taints).toEqual([]);
    expect(pool?.zones).toBeUndefined();
    const podDefaults = { priority: 0, tenant: 'default', labels: {}, nodeSelector: {}, tolerations: [] };
    expect(s.workload.services[0]).toMatchObject({ ...podDefaults, at: 0 });
    expect(s.workload.jobs[0]).toMatchObject({ ...podDefaults, at: 0, parallelism: 1 });
    expect(s.workload.streams[0]).toMatchObject({ ...podDefaults, start: 0 });
    expect(s.workload.streams[0]?.stop).toBeUndefined();
    // kube-controller-manager's node lifecycle defaults (--node-monitor-grace-period 50 s; unreachable toleration 300 s).
    expect(s.simulation).toEqual({ nodeLifecycle: { monitorGracePeriod: 50 * 1_000_000, tolerationSeconds: 300 } });
    expect(s.failures).toEqual([]);
    expect(s.metrics).toEqual({ probe: { cpu: 1000, memory: 2 * Gi }, strandedThreshold: 0.95 });
    expect(s.defaults).toEqual({ seeds: [1], runByDefault: true });
  });

  it('defaults missing workload sections to empty lists', () => {
    const s = parseScenario(scenarioText(ONE_SERVICE), 'x.yaml');
    expect(s.workload.jobs).toEqual([]);
    expect(s.workload.streams).toEqual([]);
  });

  it('fills in the probe when metrics gives only strandedThreshold', () => {
    const s = parseScenario(scenarioText(ONE_SERVICE, 'metrics: { strandedThreshold: 0.9 }\n'), 'x.yaml');
    expect(s.metrics).toEqual({ probe: { cpu: 1000, memory: 2 * Gi }, strandedThreshold: 0.9 });
  });

  it('keeps what the file says over the defaults', () => {
    const s = parseScenario(
      scenarioText(
        ONE_SERVICE,
        `platform: k3s
metrics: { probe: { cpu: 250m, memory: 512Mi } }
defaults: { seeds: [4, 5], schedulers: [spread], queue: fifo }
`,
      ),
      'x.yaml',
    );
    expect(s.platform).toBe('k3s');
    expect(s.metrics.probe).toEqual({ cpu: 250, memory: 512 * Mi });
    expect(s.defaults).toEqual({ seeds: [4, 5], schedulers: ['spread'], queue: 'fifo', runByDefault: true });
  });
});

describe('parseScenario conversions', () => {
  const s = parseScenario(
    `name: units
cluster:
  pools:
    - name: big
      count: 1
      capacity: { cpu: 128, memory: 512Gi, nvme: 15.36T, nic: 25G, pods: 110, gpu: 2 }
      reserved: { cpu: 390m, memory: 17508Mi }
workload:
  services:
    - name: web
      replicas: 1
      at: 1m30s
      requests: { cpu: 0.25, memory: 1.5Gi, nic: 100M, gpu: 1 }
  jobs:
    - name: etl
      at: 10m
      completions: 4
      duration: { dist: lognormal, median: 5m, sigma: 0.5, min: 1s, max: 1h }
      requests:
        cpu: { dist: uniform, min: 500m, max: 2 }
        memory: { dist: exponential, mean: 1Gi, max: 4Gi }
  streams:
    - name: analytics
      arrival: { process: poisson, rate: 30/m }
      start: 30s
      stop: 1h
      duration: { dist: pareto, scale: 100ms, shape: 1.5, max: 2d }
      requests:
        cpu: { dist: choice, values: [500m, 1, 2] }
        memory: 256Mi
    - name: steady
      arrival: { process: fixed, rate: 0.5 }
      count: 3
      duration: 250ms
      requests: { cpu: 1 }
    - name: bursts
      arrival: { process: burst, size: 2, every: 5m }
      count: 4
      duration: 100us
      requests: { cpu: 1 }
    - name: at-times
      arrival: { process: burst, size: 1, at: [0, 90s, 1.5] }
      duration: 1d
      requests: { cpu: 1 }
simulation: { until: 2h }
`,
    'units.yaml',
  );

  it('converts capacities: cpu to millicores, memory and nvme to bytes, nic to bits/s, counts', () => {
    expect(s.cluster.pools[0]?.capacity).toEqual({ cpu: 128_000, memory: 512 * Gi, nvme: 15.36e12, nic: 25e9, pods: 110, gpu: 2 });
    expect(s.cluster.pools[0]?.reserved).toEqual({ cpu: 390, memory: 17508 * Mi });
  });

  it('converts fixed requests and start times', () => {
    expect(s.workload.services[0]?.requests).toEqual({ cpu: 250, memory: 1.5 * Gi, nic: 100e6, gpu: 1 });
    expect(s.workload.services[0]?.at).toBe(90 * S);
    expect(s.workload.jobs[0]?.at).toBe(600 * S);
    expect(s.workload.streams[0]?.start).toBe(30 * S);
    expect(s.workload.streams[0]?.stop).toBe(3600 * S);
    expect(s.simulation.until).toBe(7200 * S);
  });

  it('converts distributions in the unit of their field', () => {
    const job = s.workload.jobs[0];
    expect(job?.duration).toEqual({ dist: 'lognormal', median: 300 * S, sigma: 0.5, min: S, max: 3600 * S });
    expect(job?.requests).toEqual({
      cpu: { dist: 'uniform', min: 500, max: 2000 },
      memory: { dist: 'exponential', mean: Gi, max: 4 * Gi },
    });
    const analytics = s.workload.streams[0];
    expect(analytics?.duration).toEqual({ dist: 'pareto', scale: 100_000, shape: 1.5, max: 2 * 86_400 * S });
    // A bare quantity is a fixed distribution; choice without weights weighs every value 1.
    expect(analytics?.requests).toEqual({
      cpu: { dist: 'choice', values: [500, 1000, 2000], weights: [1, 1, 1] },
      memory: { dist: 'fixed', value: 256 * Mi },
    });
    expect(s.workload.streams[1]?.duration).toEqual({ dist: 'fixed', value: 250_000 });
    expect(s.workload.streams[2]?.duration).toEqual({ dist: 'fixed', value: 100 });
    expect(s.workload.streams[3]?.duration).toEqual({ dist: 'fixed', value: 86_400 * S });
  });

  it('converts rates to events per second and burst times to µs', () => {
    expect(s.workload.streams[0]?.arrival).toEqual({ process: 'poisson', rate: 0.5 });
    expect(s.workload.streams[1]?.arrival).toEqual({ process: 'fixed', rate: 0.5 });
    expect(s.workload.streams[2]?.arrival).toEqual({ process: 'burst', size: 2, every: 300 * S });
    expect(s.workload.streams[3]?.arrival).toEqual({ process: 'burst', size: 1, at: [0, 90 * S, 1.5 * S] });
  });
});

describe('parseScenario errors', () => {
  const stream = (fields: string): string =>
    scenarioText(`  streams:
    - name: flow
      arrival: { process: fixed, rate: 1/s }
${fields}`);

  it('reports a wrong type with its path and line', () => {
    const text = scenarioText(ONE_SERVICE).replace('count: 2', 'count: two');
    expectIssue(text, 'cluster.pools[0].count', /expected number/, 5);
  });

  it('reports an invalid quantity with its path, line and the bad text', () => {
    const text = scenarioText(ONE_SERVICE).replace('cpu: 4,', 'cpu: 4 cores,');
    expectIssue(text, 'cluster.pools[0].capacity.cpu', /invalid quantity "4 cores"/, 6);
  });

  it('reports an invalid rate with its path, line and the bad text', () => {
    const badRate = stream('      count: 1\n      duration: 1s\n      requests: { cpu: 1 }\n').replace('rate: 1/s', 'rate: 0/s');
    expectIssue(badRate, 'workload.streams[0].arrival.rate', /invalid rate "0\/s"/, 10);
  });

  it('reports an invalid duration in a service start time with the bad text', () => {
    const text = scenarioText(ONE_SERVICE).replace('replicas: 1', 'replicas: 1\n      at: 5 minutes');
    expectIssue(text, 'workload.services[0].at', /invalid duration "5 minutes"/, 11);
  });

  // Durations and requests of jobs and streams are distributions (a bare value or a
  // { dist: … } object); a bad value there deserves the same message as anywhere else.
  it('reports an invalid duration in a stream duration with the bad text', () => {
    expectIssue(
      stream('      count: 1\n      duration: 5 minutes\n      requests: { cpu: 1 }\n'),
      'workload.streams[0].duration',
      /invalid duration "5 minutes"/,
      12,
    );
  });

  it('reports an invalid quantity in a stream request with the bad text', () => {
    expectIssue(
      stream('      count: 1\n      duration: 1s\n      requests:\n        cpu: 4 cores\n'),
      'workload.streams[0].requests.cpu',
      /invalid quantity "4 cores"/,
      14,
    );
  });

  it('reports an unknown key on its own line', () => {
    const text = scenarioText(ONE_SERVICE).replace('replicas: 1', 'replcias: 1');
    expectIssue(text, 'workload.services[0]', /"replcias"/, 10);
  });

  it('reports a missing required field at its parent', () => {
    const text = scenarioText(ONE_SERVICE).replace('      count: 2\n', '');
    expectIssue(text, 'cluster.pools[0].count', /expected number/, 4);
  });

  it('rejects a name that is not DNS-style', () => {
    expectIssue(scenarioText(ONE_SERVICE).replace('name: web', 'name: Web_1'), 'workload.services[0].name', /DNS-style/, 9);
  });

  it('reports YAML syntax errors with a line', () => {
    const error = inputErrorOf(scenarioText(ONE_SERVICE).replace('count: 2', 'count: 2: 3'));
    expect(error.issues[0]?.message).toMatch(/not valid YAML/);
    expect(error.issues[0]?.line).toBe(5);
    expect(error.message).toMatch(/^test\.yaml:5: not valid YAML/);
  });

  it('rejects a file that is not a mapping', () => {
    const error = inputErrorOf('- just\n- a list\n');
    expect(error.issues).toEqual([{ path: '', line: 1, message: expect.stringMatching(/expected a mapping/) }]);
  });

  it('rejects reserved above capacity, naming the resource', () => {
    const text = scenarioText(ONE_SERVICE).replace('capacity: { cpu: 4, memory: 8Gi }', 'capacity: { cpu: 4, memory: 8Gi }\n      reserved: { cpu: 4500m }');
    expectIssue(text, 'cluster.pools[0].reserved.cpu', /reserved cpu \(4500\) exceeds the pool's capacity \(4000\)/, 7);
    // Reserving exactly the capacity is allowed.
    expect(() => parseScenario(text.replace('4500m', '4'), 'x.yaml')).not.toThrow();
  });

  it('rejects a request for a resource no pool has', () => {
    const text = scenarioText(ONE_SERVICE).replace('requests: { cpu: 1 }', 'requests: { cpu: 1, gpu: 1 }');
    expectIssue(text, 'workload.services[0].requests.gpu', /no node pool has resource "gpu"/, 11);
  });

  describe('distributions', () => {
    it('rejects uniform with min > max, in durations and in requests', () => {
      expectIssue(
        stream('      count: 1\n      duration: { dist: uniform, min: 10s, max: 5s }\n      requests: { cpu: 1 }\n'),
        'workload.streams[0].duration.min',
        /min must not exceed max/,
        12,
      );
      expectIssue(
        stream('      count: 1\n      duration: 1s\n      requests:\n        cpu: { dist: uniform, min: 2, max: 500m }\n'),
        'workload.streams[0].requests.cpu.min',
        /min must not exceed max/,
        14,
      );
      expect(() => parseScenario(stream('      count: 1\n      duration: { dist: uniform, min: 5s, max: 5s }\n      requests: { cpu: 1 }\n'), 'x.yaml')).not.toThrow();
    });

    it('rejects choice with a weight count that differs from the value count', () => {
      expectIssue(
        stream('      count: 1\n      duration: 1s\n      requests:\n        cpu: { dist: choice, values: [1, 2], weights: [1] }\n'),
        'workload.streams[0].requests.cpu.weights',
        /1 weights for 2 values/,
        14,
      );
      expectIssue(
        stream('      count: 1\n      duration: { dist: choice, values: [1s, 2s], weights: [1, 2, 3] }\n      requests: { cpu: 1 }\n'),
        'workload.streams[0].duration.weights',
        /3 weights for 2 values/,
      );
    });

    it('rejects choice whose weights are all zero', () => {
      expectIssue(
        stream('      count: 1\n      duration: { dist: choice, values: [1s, 2s], weights: [0, 0] }\n      requests: { cpu: 1 }\n'),
        'workload.streams[0].duration.weights',
        /at least one weight must be positive/,
      );
    });

    it.each(['0', '-1'])('rejects lognormal sigma %s', (sigma) => {
      expectIssue(
        stream(`      count: 1\n      duration: { dist: lognormal, median: 1s, sigma: ${sigma} }\n      requests: { cpu: 1 }\n`),
        'workload.streams[0].duration.sigma',
        /0/,
        12,
      );
      expectIssue(
        stream(`      count: 1\n      duration: 1s\n      requests:\n        memory: { dist: lognormal, median: 1Gi, sigma: ${sigma} }\n`),
        'workload.streams[0].requests.memory.sigma',
        /0/,
        14,
      );
    });

    it('rejects an unknown field or an unknown dist in a distribution', () => {
      const unknown = inputErrorOf(stream('      count: 1\n      duration: { dist: fixed, value: 1s, mean: 2s }\n      requests: { cpu: 1 }\n'));
      expect(unknown.issues.map((i) => [i.path, i.line])).toEqual([['workload.streams[0].duration', 12]]);
      const gaussian = inputErrorOf(stream('      count: 1\n      duration: { dist: gaussian, mean: 1s }\n      requests: { cpu: 1 }\n'));
      // The discriminator itself is named, so the message can list the known distributions.
      expect(gaussian.issues.map((i) => [i.path, i.line])).toEqual([['workload.streams[0].duration.dist', 12]]);
    });

    it('reports an invalid quantity inside a distribution at its field, with the bad text', () => {
      expectIssue(
        stream('      count: 1\n      duration: 1s\n      requests:\n        memory: { dist: uniform, min: 1GB, max: 2Gi }\n'),
        'workload.streams[0].requests.memory.min',
        /invalid quantity "1GB"/,
        14,
      );
    });
  });

  describe('streams', () => {
    it('rejects an endless stream (no count, stop or simulation.until)', () => {
      expectIssue(stream('      duration: 1s\n      requests: { cpu: 1 }\n'), 'workload.streams[0]', /endless stream/, 9);
    });

    it.each([
      ['count', '      count: 10\n'],
      ['stop', '      stop: 1h\n'],
    ])('accepts a stream bounded by %s', (_name, bound) => {
      expect(() => parseScenario(stream(`${bound}      duration: 1s\n      requests: { cpu: 1 }\n`), 'x.yaml')).not.toThrow();
    });

    it('accepts a stream bounded by simulation.until or by a list of burst times', () => {
      const unbounded = stream('      duration: 1s\n      requests: { cpu: 1 }\n');
      expect(() => parseScenario(`${unbounded}simulation: { until: 1h }\n`, 'x.yaml')).not.toThrow();
      const atTimes = unbounded.replace('{ process: fixed, rate: 1/s }', '{ process: burst, size: 2, at: [0s, 1m] }');
      expect(() => parseScenario(atTimes, 'x.yaml')).not.toThrow();
    });

    it('needs exactly one of every and at for a burst', () => {
      const burst = (arrival: string): string =>
        stream('      count: 5\n      duration: 1s\n      requests: { cpu: 1 }\n').replace('{ process: fixed, rate: 1/s }', arrival);
      expectIssue(burst('{ process: burst, size: 2 }'), 'workload.streams[0].arrival', /exactly one of "every" or "at"/, 10);
      expectIssue(burst('{ process: burst, size: 2, every: 1m, at: [0] }'), 'workload.streams[0].arrival', /exactly one of/, 10);
    });

    it('rejects a burst every 0s that only stop or until would end (it would never end)', () => {
      // Every burst lands at the same instant, so time never reaches `stop`: the generator
      // (and so `rackbench run`) would loop forever.
      const text = stream('      stop: 1m\n      duration: 1s\n      requests: { cpu: 1 }\n').replace(
        '{ process: fixed, rate: 1/s }',
        '{ process: burst, size: 1, every: 0s }',
      );
      const error = inputErrorOf(text);
      expect(error.issues.some((i) => i.path.startsWith('workload.streams[0]'))).toBe(true);
    });
  });
});

describe('built-in scenarios', () => {
  it('parses scenarios/k8s-bare-metal.yaml', () => {
    const file = 'scenarios/k8s-bare-metal.yaml';
    const s = parseScenario(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'), file);
    expect(s.name).toBe('k8s-bare-metal');
    expect(s.platform).toBe('kubernetes');
    expect(s.cluster.pools.map((p) => [p.name, p.count, p.role, p.profile])).toEqual([
      ['r650', 3, 'agent', 'r650-2x32c'],
      ['control-plane', 1, 'server', 'r650-2x16c'],
    ]);
    // Capacity from the profile; reserved as kubeadm's kubelet does: nothing but the 100Mi memory eviction threshold.
    expect(s.cluster.pools[0]).toMatchObject({
      capacity: { cpu: 128_000, memory: 512 * Gi, nvme: 15.36e12, nic: 25e9 },
      reserved: { cpu: 0, memory: 100 * Mi },
    });
    expect(s.stack).toMatchObject({ datastore: 'etcd', cni: 'calico', kubeProxy: 'iptables', serversSchedulable: false });
    expect(s.workload.services.map((x) => [x.name, x.replicas])).toEqual([
      ['nginx', 6],
      ['app', 12],
      ['mysql', 3],
      ['redis', 3],
    ]);
    expect(s.workload.streams[0]).toMatchObject({ name: 'analytics', arrival: { process: 'poisson', rate: 2 }, start: 30 * S, count: 3000 });
    expect(s.workload.jobs[0]).toMatchObject({ name: 'nightly-etl', at: 600 * S, completions: 40, parallelism: 8 });
    expect(s.metrics.probe).toEqual({ cpu: 4000, memory: 16 * Gi });
    expect(s.defaults.seeds).toEqual([1, 2, 3]);
  });

  it('parses scenarios/k3s-edge.yaml', () => {
    const file = 'scenarios/k3s-edge.yaml';
    const s = parseScenario(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'), file);
    expect(s.name).toBe('k3s-edge');
    expect(s.platform).toBe('k3s');
    expect(s.cluster.pools.map((p) => [p.name, p.count, p.role])).toEqual([
      ['rpi5', 1, 'server'],
      ['rpi4', 2, 'agent'],
      ['n100', 1, 'agent'],
    ]);
    expect(s.cluster.pools[1]?.capacity).toEqual({ cpu: 4000, memory: 7800 * Mi, nvme: 64e9, nic: 1e9 });
    // The N100 profile's 16 GB is overridden with one 8 GB SO-DIMM.
    expect(s.cluster.pools[2]?.capacity.memory).toBe(7700 * Mi);
    expect(s.stack).toMatchObject({ datastore: 'sqlite', cni: 'flannel', ingress: 'traefik', serversSchedulable: true });
    expect(s.workload.streams.map((x) => [x.name, x.arrival])).toEqual([
      ['camera-inference', { process: 'poisson', rate: 0.5 }],
      ['video-transcode', { process: 'burst', size: 3, every: 300 * S }],
    ]);
    expect(s.workload.streams[0]?.requests.cpu).toEqual({ dist: 'choice', values: [500, 1000, 2000], weights: [3, 2, 1] });
    expect(s.metrics.probe).toEqual({ cpu: 500, memory: 512 * Mi });
  });
});
