/** The up-front memory estimate of a run and the split of --worker-memory, worked by hand. */
import { describe, expect, it } from 'vitest';
import { BASE_BYTES, BYTES_PER_LIVE_POD, BYTES_PER_NODE, BYTES_PER_POD, estimateRunMemory, formatBytes } from '../src/model/memory-estimate.js';
import { scenarioFromText } from '../src/model/scenario-file.js';
import { workerMemoryLimits } from '../src/runner/pool.js';

const SCENARIO = `name: est
cluster:
  pools:
    - name: w
      count: 10
      capacity: { cpu: 4, memory: 8Gi }
workload:
  services:
    - name: web
      replicas: 100
      requests: { cpu: 100m, memory: 64Mi }
  jobs:
    - name: batch
      completions: 50
      parallelism: 5
      duration: 10s
      requests: { cpu: 100m, memory: 64Mi }
  streams:
    - name: s
      arrival: { process: poisson, rate: 2/s }
      duration: 10s
      requests: { cpu: 100m, memory: 64Mi }
simulation:
  until: 100s
`;

describe('estimateRunMemory', () => {
  it('adds the base, each node, each pod of a service, a job and a stream (Little’s law for the stream)', () => {
    const { scenario } = scenarioFromText(SCENARIO, 'est.yaml');
    const e = estimateRunMemory(scenario);
    // Nodes: 10 × 1,536 = 15,360 B. Service: 100 × (512 + 32) = 54,400 B.
    // Job: 5 at once × 512 + 50 × 32 = 4,160 B. Stream: 2/s over 100 s = 200 pods, 2/s × 10 s + 1 = 21 at once:
    // 21 × 512 + 200 × 32 = 17,152 B.
    expect(BYTES_PER_NODE).toBe(1536);
    expect(BYTES_PER_LIVE_POD + BYTES_PER_POD).toBe(544);
    const byPath = Object.fromEntries(e.terms.map((t) => [t.path.join('.'), t.bytes]));
    expect(byPath).toEqual({
      'cluster.pools.0.count': 15_360,
      'workload.services.0.replicas': 54_400,
      'workload.jobs.0.completions': 4_160,
      'workload.streams.0.arrival.rate': 17_152,
    });
    expect(e.bytes).toBe(BASE_BYTES + 15_360 + 54_400 + 4_160 + 17_152);
    // Largest first: the field a refusal names.
    expect(e.terms[0]!.path).toEqual(['workload', 'services', 0, 'replicas']);
  });

  it('formats bytes as people read them', () => {
    expect(formatBytes(128 * 2 ** 20)).toBe('128 MiB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
    expect(formatBytes(1e9 * 544 + BASE_BYTES)).toBe('507 GiB');
  });
});

describe('workerMemoryLimits', () => {
  it('splits W MiB into W/2 old generation, W/16 young (2 to 16) and W/4 typed arrays', () => {
    expect(workerMemoryLimits(200)).toEqual({ oldMb: 100, youngMb: 12, arraysMb: 50 });
    expect(workerMemoryLimits(1024)).toEqual({ oldMb: 512, youngMb: 16, arraysMb: 256 });
    expect(workerMemoryLimits(16)).toEqual({ oldMb: 16, youngMb: 2, arraysMb: 8 });
  });
});
