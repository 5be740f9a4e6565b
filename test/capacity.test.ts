import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { capacityCsv, rankOptions } from '../src/report/capacity-report.js';
import type { CapacityOption } from '../src/report/capacity-report.js';
import { failuresUnavailable, inProcessRunner, planCapacity } from '../src/capacity/plan.js';
import { candidateData, candidateOverrides, loadCapacityFile, scaleUp, validateCandidate } from '../src/capacity/capacity-file.js';
import { layRacks, powerAndCost, powerAt } from '../src/capacity/racks.js';
import type { MachineGroup, RackSettings } from '../src/capacity/racks.js';
import { NodeSearch } from '../src/capacity/search.js';
import { checkSlos, parseSlos } from '../src/capacity/slo.js';
import { runOne } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { runs } from './support/property-runs.js';

const TINY = 'test/fixtures/capacity/tiny.yaml';
const STREAM = 'test/fixtures/capacity/stream.yaml';

/** Drives a search with a synthetic verdict per count. */
function search(pass: (n: number) => boolean, maxNodes: number, minNodes = 1) {
  const s = new NodeSearch({ minNodes, maxNodes });
  for (let n = s.next(); n !== undefined; n = s.next()) s.record(n, pass(n));
  return s.outcome();
}

describe('SLO expressions', () => {
  it('parses aliases, operators and units', () => {
    const slos = parseSlos('sched_delay_p99<=30s, unschedulable=0,startup_p99 <= 2m,alloc_cpu_peak<80%,delay_p50_s>0.5,pods_scheduled>=10');
    expect(slos.map((s) => [s.column, s.op, s.value])).toEqual([
      ['delay_p99_s', '<=', 30],
      ['pods_unschedulable', '=', 0],
      ['startup_p99_s', '<=', 120],
      ['alloc_cpu_peak', '<', 0.8],
      ['delay_p50_s', '>', 0.5],
      ['pods_scheduled', '>=', 10],
    ]);
    expect(parseSlos('sched_delay_p50<250ms')[0]!.value).toBe(0.25);
    expect(parseSlos('fragmentation_gpu<=5%')[0]!.column).toBe('fragmentation_gpu');
  });

  it.each([
    ['sched_delay_p99 30s', /cannot read "sched_delay_p99 30s"; expected "metric op value"/],
    ['sched_delay_p99<=30x', /"sched_delay_p99<=30x": invalid duration "30x"/],
    ['sched_delay_p99=>30s', /cannot read "sched_delay_p99=>30s"/],
    ['latency<=30s', /unknown metric "latency"/],
    ['unschedulable=0,', /an empty term/],
    ['unschedulable<=5%', /is a percentage, but pods_unschedulable is not a ratio/],
    ['alloc_cpu_peak<=30s', /alloc_cpu_peak takes a plain number or a percentage/],
    ['', /empty/],
  ])('rejects %j', (text, message) => {
    expect(() => parseSlos(text)).toThrow(UsageError);
    expect(() => parseSlos(text)).toThrow(message);
  });

  it('checks metrics rounded as runs.csv holds them, and falls back for startup_p99_s', () => {
    const slos = parseSlos('sched_delay_p99<=30s,unschedulable=0,startup_p99<=60s');
    expect(checkSlos(slos, { delay_p99_s: 30.0000001, pods_unschedulable: 0 })).toEqual({ ok: true, violations: [], fallbacks: ['startup_p99_s→delay_p99_s'] });
    const miss = checkSlos(slos, { delay_p99_s: 41.25, pods_unschedulable: 2, startup_p99_s: 50 });
    expect(miss.ok).toBe(false);
    expect(miss.violations).toEqual(['delay_p99_s=41.25 (sched_delay_p99<=30s)', 'pods_unschedulable=2 (unschedulable=0)']);
    expect(miss.fallbacks).toEqual([]);
    expect(checkSlos(parseSlos('alloc_gpu_peak<=90%'), {}).violations).toEqual(['alloc_gpu_peak is not reported by this run (alloc_gpu_peak<=90%)']);
  });
});

describe('the node-count search', () => {
  it('brackets by doubling, then bisects, then checks n + 1', () => {
    const seen: number[] = [];
    const s = new NodeSearch({ maxNodes: 512 });
    for (let n = s.next(); n !== undefined; n = s.next()) {
      seen.push(n);
      s.record(n, n >= 11);
    }
    // 1 2 4 8 16 (pass) → bisect 12 (pass) 10 (fail) 11 (pass) → check 12 (known) → done
    expect(seen).toEqual([1, 2, 4, 8, 16, 12, 10, 11]);
    expect(s.outcome()).toMatchObject({ status: 'found', nodes: 11, monotonic: true });
  });

  fcTest.prop([fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 5 })], { numRuns: runs(300) })(
    'equals a scan of every count for any monotone test',
    (threshold, maxNodes, minNodes) => {
      fc.pre(minNodes <= maxNodes);
      const outcome = search((n) => n >= threshold, maxNodes, minNodes);
      const scan = Array.from({ length: maxNodes - minNodes + 1 }, (_, i) => i + minNodes).find((n) => n >= threshold);
      if (scan === undefined) expect(outcome.status).toBe('impossible');
      else expect(outcome).toMatchObject({ status: 'found', nodes: scan, monotonic: true });
      // never an endless search: at most 2 log2(max) + 2 evaluations
      expect(outcome.evaluations.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(maxNodes + 1)) + 2);
    },
  );

  it('reports, rather than hides, an answer whose n + 1 fails', () => {
    const outcome = search((n) => n === 8 || n >= 12, 64);
    expect(outcome).toMatchObject({ status: 'found', nodes: 8, monotonic: false, anomalies: ['9 nodes fail although 8 pass'] });
  });

  it('is impossible when the largest count fails, without evaluating beyond it', () => {
    const outcome = search(() => false, 20);
    expect(outcome.status).toBe('impossible');
    expect(outcome.evaluations.map((e) => e.nodes)).toEqual([1, 2, 4, 8, 16, 20]);
  });
});

describe('candidates', () => {
  it('sets the sized pool, the platform and the workload × growth, as overrides', () => {
    const cf = loadCapacityFile(TINY);
    expect(candidateOverrides(cf, { profile: 'tiny-8c', platform: 'none', growth: 1.5, nodes: 7 })).toEqual([
      ['cluster.pools[0].profile', 'tiny-8c'],
      ['cluster.pools[0].count', 7],
      ['workload.services[0].replicas', 15],
    ]);
    const stream = loadCapacityFile(STREAM);
    expect(candidateOverrides(stream, { profile: 'tiny-4c', platform: 'none', growth: 1.1, nodes: 2 }).slice(2)).toEqual([
      ['workload.streams[0].arrival.rate', 2 * 1.1],
      ['workload.streams[0].count', 165],
    ]);
    expect(scaleUp(10, 1.1)).toBe(11);
    expect(scaleUp(3, 1.1)).toBe(4);
    expect(scaleUp(24, 1)).toBe(24);
  });

  it('validates a candidate through the scenario schema', () => {
    const cf = loadCapacityFile(TINY);
    const { data, variant } = candidateData(cf, { profile: 'tiny-8c', platform: 'none', growth: 2, nodes: 3 });
    expect(variant).toBe('profile=tiny-8c, platform=none, growth=2, nodes=3');
    const valid = validateCandidate(cf, data);
    expect('scenario' in valid && valid.scenario.cluster.pools[0]).toMatchObject({ count: 3, profile: 'tiny-8c', capacity: { cpu: 8000 } });
  });
});

describe('capacity search on simulated runs', () => {
  it('equals a brute-force scan over every node count (stream workload, 2 seeds)', async () => {
    const cf = loadCapacityFile(STREAM);
    const slos = parseSlos('sched_delay_p99<=2s');
    const passes = (n: number): boolean => {
      const { data } = candidateData(cf, { profile: 'tiny-4c', platform: 'none', growth: 1, nodes: n });
      return [1, 2].every((seed) => checkSlos(slos, runOne({ scenario: scenarioFromData(data, STREAM), source: STREAM, scheduler: 'first-fit', queue: 'priority', seed }).metrics).ok);
    };
    const scan: boolean[] = [];
    for (let n = 1; n <= 20; n++) scan.push(passes(n));
    const first = scan.indexOf(true) + 1;
    expect(first).toBeGreaterThan(1);
    const { report } = await planCapacity(STREAM, { runner: inProcessRunner });
    const option = report.options[0]!;
    expect(option).toMatchObject({ status: 'found', nodes: first });
    // every count the search evaluated agrees with the scan
    for (const e of option.evaluations) expect(e.pass, `${e.nodes} nodes`).toBe(scan[e.nodes - 1]);
    expect(option.monotonic).toBe(scan.slice(first - 1, first + 1).every(Boolean));
  });

  it('gives the static answer on a workload that needs exactly N nodes', async () => {
    // 10 replicas × 1 CPU: 3 nodes of 4 CPUs (12 ≥ 10 > 8), 2 of 8 CPUs; ×2: 20 CPUs → 5 and 3.
    const { report } = await planCapacity(TINY, { runner: inProcessRunner, growth: [1, 2] });
    const nodes = Object.fromEntries(report.options.map((o) => [`${o.profile}×${o.growth}`, o.nodes]));
    expect(nodes).toEqual({ 'tiny-4c×1': 3, 'tiny-8c×1': 2, 'tiny-4c×2': 5, 'tiny-8c×2': 3 });
    // the lower bound of the chosen run is the same static answer here
    expect(report.options.map((o) => o.lowerBound)).toEqual([3, 2, 5, 3]);
    expect(report.options[0]!.headroom.cpu).toBeCloseTo(1 - 10 / 12, 6);
  });

  it('reports an SLO unmet at the largest count as impossible', async () => {
    const { report } = await planCapacity(TINY, { runner: inProcessRunner, profiles: ['tiny-4c'], maxNodes: 2 });
    expect(report.options[0]).toMatchObject({ status: 'impossible' });
    expect(report.options[0]!.evaluations.map((e) => e.nodes)).toEqual([1, 2]);
    expect(report.options[0]!.evaluations[1]!.violations).toEqual(['seed 1: pods_unschedulable=2 (unschedulable=0)']);
  });

  it('rejects an unknown profile naming the known ones', async () => {
    await expect(planCapacity(TINY, { runner: inProcessRunner, profiles: ['r999'] })).rejects.toThrow(/unknown hardware profile "r999"; known profiles: .*tiny-4c/);
  });

  const unavailable = failuresUnavailable();
  it.skipIf(unavailable !== undefined)(`sizes for N+1 with survive 1${unavailable !== undefined ? ` (skipped: ${unavailable})` : ''}`, async () => {
    // 4 nodes of 4 CPUs: the most loaded (4 replicas) fails, 12 CPUs remain for 10 replicas; 3 would leave 8.
    const { report } = await planCapacity(TINY, { runner: inProcessRunner, survive: 1 });
    expect(report.survive).toBe(1);
    expect(report.options.map((o) => [o.profile, o.nodes])).toEqual([
      ['tiny-4c', 4],
      ['tiny-8c', 3],
    ]);
  });
});

describe('racks, power and cost', () => {
  const rack: RackSettings = { units: 42, torUnits: 1, torPorts: 48, portsPerNode: 1, powerKw: 8, budgetAt: 'max' };
  const r650: MachineGroup = { pool: 'w', count: 20, rackUnits: 1, idleWatts: 210, maxWatts: 700, priceUsd: 24000 };

  it('power is linear between idle and max', () => {
    // 210 + (700 − 210) × 0.5 = 455 W
    expect(powerAt(r650, 0.5)).toBe(455);
    expect(powerAt(r650, 0)).toBe(210);
    expect(powerAt(r650, 1.2)).toBe(700);
  });

  it('fills racks up to the first limit: units, power or ports', () => {
    // 8 kW ÷ 700 W = 11 machines per rack by power (41 U and 48 ports allow more): 20 → 11 + 9
    expect(layRacks([r650], rack, 0.9)).toMatchObject({ racks: 2, machinesPerRack: [11, 9], limitedBy: 'power' });
    // at the peak draw instead (u = 0.5: 455 W): 8000 ÷ 455 = 17 per rack → 17 + 3
    expect(layRacks([r650], { ...rack, budgetAt: 'peak' }, 0.5)).toMatchObject({ racks: 2, machinesPerRack: [17, 3], limitedBy: 'power' });
    // 2U machines, 30 kW: 41 U → 20 per rack
    expect(layRacks([{ ...r650, count: 45, rackUnits: 2 }], { ...rack, powerKw: 30 }, 0)).toMatchObject({ machinesPerRack: [20, 20, 5], limitedBy: 'units' });
    // boards without rack units, 48 ports at 2 per machine → 24 per rack
    expect(layRacks([{ ...r650, count: 30, rackUnits: 0, maxWatts: 10, idleWatts: 3 }], { ...rack, portsPerNode: 2 }, 0)).toMatchObject({ machinesPerRack: [24, 6], limitedBy: 'ports' });
    expect(layRacks([{ ...r650, maxWatts: 9000 }], rack, 0).error).toMatch(/does not fit an empty rack \(9000 W per machine, a 8 kW budget/);
  });

  it('costs purchase ÷ months + mean power × PUE × 730 h × price + racks × space', () => {
    const cost = { amortizationMonths: 60, usdPerKwh: 0.15, pue: 1.5, rackUsdPerMonth: 1000 };
    const server: MachineGroup = { pool: 's', count: 1, rackUnits: 1, idleWatts: 150, maxWatts: 550, priceUsd: 13000 };
    const r = powerAndCost([server, r650], 0.5, 0.8, rack, cost);
    // mean: 350 + 20 × 455 = 9450 W; peak: (150 + 400 × 0.8) + 20 × (210 + 490 × 0.8) = 470 + 12040 = 12510 W
    expect(r.powerMeanKw).toBeCloseTo(9.45, 9);
    expect(r.powerPeakKw).toBeCloseTo(12.51, 9);
    // (13000 + 20 × 24000) ÷ 60 = 8216.67; 9.45 kW × 1.5 × 730 h × 0.15 = 1552.16; racks: 550 + 11 × 700 = 8250 > 8000 → 11 + 10 → 2 × 1000
    expect(r.capexUsdPerMonth).toBeCloseTo(493000 / 60, 6);
    expect(r.energyUsdPerMonth).toBeCloseTo(1552.1625, 6);
    expect(r.racks).toBe(2);
    expect(r.totalUsdPerMonth).toBeCloseTo(493000 / 60 + 1552.1625 + 2000, 6);
  });

  it('ranks options by monthly cost within each growth factor, impossible last', () => {
    const o = (profile: string, growth: number, total: number | undefined): CapacityOption => ({
      profile,
      platform: 'k3s',
      growth,
      status: total === undefined ? 'impossible' : 'found',
      nodes: total === undefined ? undefined : 3,
      survive: 0,
      monotonic: true,
      anomalies: [],
      headroom: { cpu: 0.25 },
      totalUsdPerMonth: total,
      evaluations: [],
      notes: [],
    });
    const ranked = rankOptions([o('b', 2, 10), o('c', 1, undefined), o('a', 1, 300), o('d', 1, 200)]);
    expect(ranked.map((x) => x.profile)).toEqual(['d', 'a', 'c', 'b']);
    expect(capacityCsv(ranked).split('\n')[0]).toContain('total_usd_per_month,headroom_cpu,notes');
  });
});
