/**
 * The report's usage chart (used, requested and allocatable over time, per
 * policy) read back from timeseries.csv against the worked example of
 * test/usage.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usageCharts, usagePoints } from '../src/report/usage-chart.js';
import { readRecordRows } from '../src/runner/read-results.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';

// One 4-CPU node: A (limits.cpu 1) and B request 1 CPU and 1 GiB each and demand 4 CPUs for 40 CPU-seconds.
// B gets 3 CPUs and ends at 13.333334 s; A is held at 1 CPU until 40 s.
const SCENARIO = `name: usage-chart
platform: none
cluster:
  pools: [{ name: n, count: 1, capacity: { cpu: 4, memory: 8Gi } }]
workload:
  streams:
    - { name: a, arrival: { process: burst, at: [0s], size: 1 }, duration: 10s, requests: { cpu: 1, memory: 1Gi }, limits: { cpu: 1 }, usage: { cpu: 4, memory: 512Mi } }
    - { name: b, arrival: { process: burst, at: [0s], size: 1 }, duration: 10s, requests: { cpu: 1, memory: 1Gi }, usage: { cpu: 4, memory: 512Mi } }
`;

describe('usage chart', () => {
  it('draws, per policy, CPU used 4 then 1 core, requested 2 then 1, allocatable 4; memory in GiB', async () => {
    const dir = tempDir();
    const file = join(dir, 'usage-chart.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'out');
    const r = await runMain('run', file, '--scheduler', 'first-fit', '--scheduler', 'best-fit', '--seed', '1', '--out', out, '--quiet', '--record', 'timeseries');
    expect(r.code, r.stderr).toBe(0);
    const rows = readRecordRows(out).series;
    const cpu = usagePoints(rows, 'cpu', ['first-fit', 'best-fit']);
    // 40 s in 100 ms buckets; the bucket holding 13.333334 s is a mix.
    const at = (policy: string, line: string, t: number): number => cpu.find((p) => p.policy === policy && p.line === line && p.t === t)!.value;
    for (const policy of ['first-fit', 'best-fit']) {
      expect(at(policy, 'used', 0)).toBe(4);
      expect(at(policy, 'used', 20)).toBe(1);
      expect(at(policy, 'requested', 0)).toBe(2);
      expect(at(policy, 'requested', 20)).toBe(1);
      expect(at(policy, 'allocatable', 20)).toBe(4);
      // Mixed bucket 13.3–13.4 s: used 4 for 0.033334 s and 1 for 0.066666 s of its 0.1 s.
      expect(at(policy, 'used', 13.3)).toBeCloseTo((4 * 0.033334 + 1 * 0.066666) / 0.1, 3);
    }
    const memory = usagePoints(rows, 'memory', ['first-fit']);
    expect(memory.find((p) => p.line === 'used' && p.t === 0)!.value).toBe(1); // 2 × 512 Mi
    expect(memory.find((p) => p.line === 'allocatable' && p.t === 0)!.value).toBe(8);
    const charts = usageCharts('usage-chart', rows, ['first-fit', 'best-fit']);
    expect(charts.map((c) => c.kind)).toEqual(['usage-cpu', 'usage-memory']);
  });

  it('draws nothing from records without the usage columns', () => {
    expect(usageCharts('s', [{ scheduler: 'x', seed: 1, t: 0, values: { pending_pods: 1 } }], ['x'])).toEqual([]);
  });
});
