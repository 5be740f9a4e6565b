import { describe, it, expect } from 'vitest';
import { RandomStreams } from '../src/core/random.js';
import { CPU, MEMORY, NVME, PODS, ResourceSpace } from '../src/model/resources.js';
import { parseScenario } from '../src/model/scenario-file.js';
import type { Scenario } from '../src/model/scenario.js';
import { mergeSources, scenarioWorkload } from '../src/workload/generate.js';
import type { WorkloadSource } from '../src/workload/generate.js';
import { LONG_RUNNING } from '../src/workload/pod.js';
import type { JobSubmission, PodSubmission, PodTemplate, Submission } from '../src/workload/pod.js';

const S = 1_000_000; // µs per second
const Mi = 2 ** 20;
const Gi = 2 ** 30;

/** A scenario with one 64-core pool (plus `gpu`) and the given workload YAML (indented by 2). */
function scenario(workload: string, extra = ''): Scenario {
  return parseScenario(
    `name: gen
cluster:
  pools:
    - name: worker
      count: 4
      capacity: { cpu: 64, memory: 256Gi, nvme: 1T, gpu: 4 }
workload:
${workload}${extra}`,
    'gen.yaml',
  );
}

const space = new ResourceSpace(['gpu']);

/** Every submission of `scenario` for `seed`; fails rather than loop if there are more than `limit`. */
function drain(s: Scenario, seed: number, limit = 100_000): Submission[] {
  return collect(scenarioWorkload(s, space, new RandomStreams(seed)), limit);
}

function collect(source: WorkloadSource, limit = 100_000): Submission[] {
  const out: Submission[] = [];
  for (let r = source.next(); r.done !== true; r = source.next()) {
    out.push(r.value);
    if (out.length > limit) throw new Error(`more than ${limit} submissions`);
  }
  return out;
}

function pods(subs: readonly Submission[]): PodSubmission[] {
  return subs.filter((x): x is PodSubmission => x.kind === 'pod');
}

/** One stream called `flow`, with `fields` (YAML lines at 6 spaces) after its arrival. */
function stream(arrival: string, fields: string): Scenario {
  return scenario(`  streams:
    - name: flow
      arrival: ${arrival}
${fields}`);
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const MIXED = scenario(`  services:
    - name: web
      replicas: 3
      requests: { cpu: 500m, memory: 512Mi }
  jobs:
    - name: etl
      at: 90s
      completions: 10
      parallelism: 3
      duration: { dist: lognormal, median: 5m, sigma: 0.5 }
      requests:
        cpu: { dist: choice, values: [1, 2, 4] }
        memory: { dist: uniform, min: 1Gi, max: 8Gi }
  streams:
    - name: analytics
      arrival: { process: poisson, rate: 2/s }
      start: 30s
      count: 500
      duration: { dist: lognormal, median: 60s, sigma: 1, max: 30m }
      requests:
        cpu: { dist: choice, values: [500m, 1, 2, 4], weights: [4, 3, 2, 1] }
        memory: { dist: lognormal, median: 2Gi, sigma: 0.7, min: 256Mi, max: 32Gi }
    - name: ticks
      arrival: { process: fixed, rate: 1/s }
      count: 200
      duration: { dist: exponential, mean: 10s }
      requests: { cpu: 250m }
    - name: waves
      arrival: { process: burst, every: 1m, size: 4 }
      count: 40
      duration: 20s
      requests: { cpu: 1, gpu: 1 }
`);

/** A comparable form of a submission (typed arrays as plain arrays). */
function plain(sub: Submission): unknown {
  if (sub.kind === 'pod') return { ...sub, requests: Array.from(sub.requests) };
  const { nextPod: _nextPod, ...rest } = sub;
  return rest;
}

describe('scenarioWorkload determinism', () => {
  it('gives the same submissions for the same seed, and different ones for another seed', () => {
    const a = drain(MIXED, 7);
    const b = drain(MIXED, 7);
    expect(a).toHaveLength(3 + 1 + 500 + 200 + 40);
    expect(b.map(plain)).toEqual(a.map(plain));
    const c = drain(MIXED, 8);
    expect(c.map(plain)).not.toEqual(a.map(plain));
  });

  it('gives the same job pods for the same seed', () => {
    const draw = (seed: number) => {
      const job = drain(MIXED, seed).find((x): x is JobSubmission => x.kind === 'job')!;
      return Array.from({ length: 10 }, () => {
        const p = job.nextPod();
        return [p.duration, ...p.requests];
      });
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('keeps a stream unchanged when another stream is added (streams are independent)', () => {
    const flow = `  streams:
    - name: flow
      arrival: { process: poisson, rate: 5/s }
      count: 300
      duration: { dist: exponential, mean: 30s }
      requests: { cpu: { dist: uniform, min: 100m, max: 2 } }
`;
    const other = `    - name: other
      arrival: { process: poisson, rate: 50/s }
      count: 300
      duration: { dist: exponential, mean: 1s }
      requests: { cpu: { dist: uniform, min: 100m, max: 2 } }
`;
    const alone = pods(drain(scenario(flow), 11));
    const withOther = pods(drain(scenario(flow + other), 11)).filter((p) => p.template.owner === 'flow');
    expect(withOther).toHaveLength(300);
    expect(withOther.map(plain)).toEqual(alone.map(plain));
  });
});

describe('arrival times', () => {
  it('are non-decreasing across services, jobs and all kinds of streams', () => {
    for (const seed of [1, 2, 3]) {
      const arrivals = drain(MIXED, seed).map((x) => x.arrival);
      expect(arrivals.length).toBe(744);
      for (let i = 1; i < arrivals.length; i++) {
        if (arrivals[i]! < arrivals[i - 1]!) expect.fail(`seed ${seed}: arrival ${i} (${arrivals[i]}) before ${arrivals[i - 1]}`);
      }
      // Integers: the simulator's clock counts whole µs.
      expect(arrivals.every(Number.isSafeInteger)).toBe(true);
    }
  });

  it('a fixed stream at 2/s from 10s arrives every 500 ms exactly', () => {
    const subs = drain(stream('{ process: fixed, rate: 2/s }', '      start: 10s\n      count: 6\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1);
    expect(subs.map((x) => x.arrival)).toEqual([10_000_000, 10_500_000, 11_000_000, 11_500_000, 12_000_000, 12_500_000]);
  });

  it('a fixed stream whose gap is not a whole µs does not drift', () => {
    // 3/s: a gap of 333333.33… µs; each arrival is the exact time rounded, so error stays below 1 µs.
    const subs = drain(stream('{ process: fixed, rate: 3/s }', '      count: 30000\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1);
    expect(subs).toHaveLength(30_000);
    subs.forEach((x, i) => {
      if (Math.abs(x.arrival - (i * S) / 3) > 0.5) expect.fail(`arrival ${i} at ${x.arrival} µs, expected ${(i * S) / 3}`);
    });
  });

  it('a burst every 1m of size 3 with count 7 gives 3, 3, 1 pods at 0, 1m, 2m', () => {
    const subs = drain(stream('{ process: burst, every: 1m, size: 3 }', '      count: 7\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1);
    expect(subs.map((x) => x.arrival)).toEqual([0, 0, 0, 60e6, 60e6, 60e6, 120e6]);
  });

  it('bursts at listed times happen in time order, offset by start', () => {
    const subs = drain(stream('{ process: burst, at: [90s, 0s, 30s], size: 2 }', '      start: 10s\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1);
    expect(subs.map((x) => x.arrival)).toEqual([10e6, 10e6, 40e6, 40e6, 100e6, 100e6]);
  });
});

describe('stream limits', () => {
  it('count stops a stream after that many pods', () => {
    for (const arrival of ['{ process: poisson, rate: 10/s }', '{ process: fixed, rate: 1/m }', '{ process: burst, every: 1s, size: 4 }']) {
      expect(drain(stream(arrival, '      count: 17\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1)).toHaveLength(17);
    }
  });

  it('stop ends a stream: no arrival at or after it', () => {
    const fixed = drain(stream('{ process: fixed, rate: 1/s }', '      stop: 5s\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1);
    expect(fixed.map((x) => x.arrival)).toEqual([0, 1e6, 2e6, 3e6, 4e6]);

    const poisson = drain(stream('{ process: poisson, rate: 10/s }', '      start: 1m\n      stop: 2m\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1);
    // About 600 arrivals in the minute; a Poisson count has sd √600 ≈ 24.5.
    expect(poisson.length).toBeGreaterThan(450);
    expect(poisson.length).toBeLessThan(750);
    expect(poisson.every((x) => x.arrival >= 60e6 && x.arrival < 120e6)).toBe(true);
  });

  it('whichever of count and stop comes first wins', () => {
    const byCount = drain(stream('{ process: fixed, rate: 1/s }', '      count: 3\n      stop: 1h\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1);
    expect(byCount).toHaveLength(3);
    const byStop = drain(stream('{ process: fixed, rate: 1/s }', '      count: 1000\n      stop: 3s\n      duration: 1s\n      requests: { cpu: 1 }\n'), 1);
    expect(byStop).toHaveLength(3);
  });

  it('simulation.until ends a stream too', () => {
    const s = scenario(
      `  streams:
    - name: flow
      arrival: { process: fixed, rate: 1/s }
      stop: 1h
      duration: 1s
      requests: { cpu: 1 }
`,
      'simulation: { until: 10s }\n',
    );
    expect(drain(s, 1).map((x) => x.arrival)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((t) => t * S));
  });
});

describe('sampling', () => {
  it('Poisson inter-arrival times have mean 1/rate and are exponential', () => {
    const n = 20_000;
    const rate = 5; // per second: a mean gap of 200 ms
    const expected = S / rate;
    for (const seed of [1, 2]) {
      const arrivals = drain(stream('{ process: poisson, rate: 5/s }', `      count: ${n + 1}\n      duration: 1s\n      requests: { cpu: 1 }\n`), seed).map((x) => x.arrival);
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
      expect(gaps).toHaveLength(n);
      // The standard error of the mean of n exponentials is mean/√n ≈ 0.7% of the mean for n = 20,000,
      // so 3% is more than 4 standard errors: a correct generator essentially never fails this.
      const m = mean(gaps);
      expect(Math.abs(m - expected) / expected).toBeLessThan(0.03);
      // An exponential's sd equals its mean (a fixed stream's would be 0); the sd estimate's
      // standard error here is about 1% (the exponential's kurtosis is 9: √((9 − 1)/4n)).
      const sd = Math.sqrt(mean(gaps.map((g) => (g - m) ** 2)));
      expect(sd / m).toBeGreaterThan(0.95);
      expect(sd / m).toBeLessThan(1.05);
    }
  });

  it('lognormal durations have the configured median', () => {
    const n = 20_000;
    const durations = pods(
      drain(stream('{ process: fixed, rate: 100/s }', `      count: ${n}\n      duration: { dist: lognormal, median: 60s, sigma: 1 }\n      requests: { cpu: 1 }\n`), 5),
    ).map((p) => p.duration);
    // Standard error of a sample median: 1 / (2 f(m) √n) with f(m) = 1 / (m σ √(2π)) for a lognormal,
    // i.e. m · σ · √(2π) / (2√n) ≈ 0.9% of the median here; 3% is more than 3 standard errors.
    expect(Math.abs(median(durations) - 60 * S) / (60 * S)).toBeLessThan(0.03);
    // σ = 1 spreads them: the quartiles sit at m · e^(∓0.674) ≈ 0.51 m and 1.96 m.
    const sorted = [...durations].sort((a, b) => a - b);
    expect(sorted[Math.floor(n / 4)]! / (60 * S)).toBeCloseTo(0.51, 1);
    expect(sorted[Math.floor((3 * n) / 4)]! / (60 * S)).toBeCloseTo(1.96, 0);
  });

  it('lognormal requests respect min and max and keep the median', () => {
    const n = 10_000;
    const memory = pods(
      drain(
        stream(
          '{ process: fixed, rate: 100/s }',
          `      count: ${n}\n      duration: 1s\n      requests:\n        memory: { dist: lognormal, median: 2Gi, sigma: 0.7, min: 256Mi, max: 8Gi }\n`,
        ),
        9,
      ),
    ).map((p) => p.requests[MEMORY]!);
    expect(Math.min(...memory)).toBeGreaterThanOrEqual(256 * Mi);
    expect(Math.max(...memory)).toBeLessThanOrEqual(8 * Gi);
    // Some draws are clamped to each bound (P(x > 8Gi) = P(Z > ln 4 / 0.7) ≈ 2.4%).
    expect(memory.filter((x) => x === 8 * Gi).length).toBeGreaterThan(100);
    expect(memory.every(Number.isInteger)).toBe(true);
    // SE of the median ≈ 0.7 · √(2π) / (2√n) ≈ 0.9%.
    expect(Math.abs(median(memory) - 2 * Gi) / (2 * Gi)).toBeLessThan(0.04);
  });

  it('choice draws values in proportion to their weights', () => {
    const n = 12_000;
    const cpu = pods(
      drain(
        stream(
          '{ process: fixed, rate: 100/s }',
          `      count: ${n}\n      duration: 1s\n      requests:\n        cpu: { dist: choice, values: [500m, 1, 2, 4], weights: [3, 2, 1, 0] }\n`,
        ),
        2,
      ),
    ).map((p) => p.requests[CPU]!);
    const share = (v: number): number => cpu.filter((x) => x === v).length / n;
    // A share's standard error is √(p(1 − p)/n) ≤ 0.46% here; 2 points is over 4 standard errors.
    expect(Math.abs(share(500) - 3 / 6)).toBeLessThan(0.02);
    expect(Math.abs(share(1000) - 2 / 6)).toBeLessThan(0.02);
    expect(Math.abs(share(2000) - 1 / 6)).toBeLessThan(0.02);
    expect(share(4000)).toBe(0); // weight 0: never drawn
  });

  it('uniform draws integers between min and max inclusive', () => {
    const cpu = pods(
      drain(stream('{ process: fixed, rate: 100/s }', '      count: 5000\n      duration: 1s\n      requests:\n        cpu: { dist: uniform, min: 1m, max: 4m }\n'), 4),
    ).map((p) => p.requests[CPU]!);
    expect([...new Set(cpu)].sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('submissions', () => {
  it('services submit one long-running pod per replica at their start time', () => {
    const subs = drain(
      scenario(`  services:
    - name: web
      replicas: 3
      at: 2m
      priority: 100
      tenant: shop
      labels: { app: web }
      requests: { cpu: 500m, memory: 512Mi, gpu: 2 }
`),
      1,
    );
    expect(subs).toHaveLength(3);
    for (const sub of pods(subs)) {
      expect(sub.arrival).toBe(120 * S);
      expect(sub.duration).toBe(LONG_RUNNING);
      expect(sub.template).toEqual<PodTemplate>({
        owner: 'web',
        kind: 'service',
        priority: 100,
        tenant: 'shop',
        labels: { app: 'web' },
        nodeSelector: {},
        tolerations: [],
        affinity: undefined,
        // cpu and memory are both given, so neither request is missing.
        missingRequests: { cpu: false, memory: false },
        replicas: 3,
      });
    }
  });

  it('request vectors have one entry per dimension and pods = 1', () => {
    const subs = pods(drain(MIXED, 1));
    const gpu = space.indexOf('gpu')!;
    expect(gpu).toBe(5);
    for (const sub of subs) {
      expect(sub.requests).toBeInstanceOf(Float64Array);
      expect(sub.requests).toHaveLength(space.size);
      if (sub.requests[PODS] !== 1) expect.fail(`${sub.template.owner}: pods = ${sub.requests[PODS]}`);
    }
    const web = subs.find((x) => x.template.owner === 'web')!;
    expect(Array.from(web.requests)).toEqual([500, 512 * Mi, 0, 0, 1, 0]);
    const wave = subs.find((x) => x.template.owner === 'waves')!;
    expect(Array.from(wave.requests)).toEqual([1000, 0, 0, 0, 1, 1]);
    // Resources without a distribution request nothing.
    const analytics = subs.filter((x) => x.template.owner === 'analytics');
    expect(analytics.every((x) => x.requests[NVME] === 0 && x.requests[gpu] === 0 && x.requests[CPU]! >= 500)).toBe(true);
  });

  it('jobs carry completions and parallelism; nextPod draws durations of at least 1 µs', () => {
    const subs = drain(
      scenario(`  jobs:
    - name: quick
      at: 1m
      completions: 50
      parallelism: 5
      tenant: batch
      duration: { dist: uniform, min: 0us, max: 2us }
      requests:
        cpu: { dist: choice, values: [1, 2] }
        gpu: 1
    - name: instant
      completions: 2
      duration: 0s
      requests: { cpu: 1 }
`),
      1,
    );
    expect(subs.map((x) => [x.kind, x.template.owner, x.arrival])).toEqual([
      ['job', 'instant', 0],
      ['job', 'quick', 60 * S],
    ]);
    const [instant, quick] = subs as JobSubmission[];
    expect(quick).toMatchObject({ kind: 'job', completions: 50, parallelism: 5, template: { owner: 'quick', kind: 'job', tenant: 'batch' } });
    expect(instant).toMatchObject({ completions: 2, parallelism: 1 });
    const drawn = Array.from({ length: 200 }, () => quick!.nextPod());
    // uniform 0–2 µs draws 0 about a third of the time; a pod never ends the instant it starts.
    expect(new Set(drawn.map((p) => p.duration))).toEqual(new Set([1, 2]));
    for (const p of drawn) {
      expect(p.requests[PODS]).toBe(1);
      expect([1000, 2000]).toContain(p.requests[CPU]);
      expect(p.requests[space.indexOf('gpu')!]).toBe(1);
    }
    expect(instant!.nextPod().duration).toBe(1);
  });

  it('stream pods also last at least 1 µs', () => {
    const durations = pods(
      drain(stream('{ process: fixed, rate: 10/s }', '      count: 500\n      duration: { dist: exponential, mean: 1us }\n      requests: { cpu: 1 }\n'), 1),
    ).map((p) => p.duration);
    expect(Math.min(...durations)).toBe(1);
    expect(durations.every((d) => Number.isInteger(d) && d >= 1)).toBe(true);
  });
});

describe('mergeSources', () => {
  it('orders by arrival time, then by source order', () => {
    const template = (owner: string): PodTemplate => ({ owner, kind: 'trace', priority: 0, tenant: 'default', labels: {}, nodeSelector: {}, tolerations: [], missingRequests: { cpu: false, memory: false } });
    const source = (owner: string, times: number[]): WorkloadSource =>
      times.map((arrival): Submission => ({ kind: 'pod', template: template(owner), arrival, duration: 1, requests: space.zeros() }))[Symbol.iterator]();
    const merged = collect(mergeSources([source('a', [0, 5, 5, 9]), source('b', [0, 5]), source('c', [1, 5])]));
    expect(merged.map((x) => `${x.template.owner}@${x.arrival}`)).toEqual(['a@0', 'b@0', 'c@1', 'a@5', 'a@5', 'b@5', 'c@5', 'a@9']);
  });

  it('handles no sources and empty sources', () => {
    expect(collect(mergeSources([]))).toEqual([]);
    expect(collect(mergeSources([[][Symbol.iterator]()]))).toEqual([]);
  });

  it('keeps the scenario order for equal arrival times: services, then jobs, then streams, each as listed', () => {
    const subs = drain(
      scenario(`  streams:
    - name: s2
      arrival: { process: burst, at: [0], size: 2 }
      duration: 1s
      requests: { cpu: 1 }
    - name: s1
      arrival: { process: fixed, rate: 1/s }
      count: 1
      duration: 1s
      requests: { cpu: 1 }
  jobs:
    - name: j1
      completions: 1
      duration: 1s
      requests: { cpu: 1 }
  services:
    - name: zeta
      replicas: 2
      requests: { cpu: 1 }
    - name: alpha
      replicas: 1
      requests: { cpu: 1 }
`),
      1,
    );
    expect(subs.map((x) => x.template.owner)).toEqual(['zeta', 'zeta', 'alpha', 'j1', 's2', 's2', 's1']);
    expect(subs.every((x) => x.arrival === 0)).toBe(true);
  });
});
