/**
 * The replanning queues' shortcuts (src/sim/queues/shortcuts.ts) change how
 * much a pass computes, never what it decides: every run with them binds the
 * same pods to the same nodes at the same instants as the same run with
 * them off, which plans every pass from scratch. With them on, backfilling's
 * availability profile persists between passes and is changed per event
 * (release-plan.ts, availability-profile.ts); off, every pass rebuilds it,
 * so a release or reservation left stale changes some bind here.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { parseYaml } from '../src/model/yaml-input.js';
import { prepareRun } from '../src/runner/run-one.js';
import { setReplanningShortcuts } from '../src/sim/queues/shortcuts.js';
import { runs } from './support/property-runs.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import { runHarness } from './support/sim-harness.js';

const QUEUES = ['easy-backfill', 'conservative-backfill', 'easy-backfill-estimate', 'conservative-backfill-estimate', 'tetris', 'tetris-packing'];

/** Every bind of the run, in order, and its metrics. */
function trace(scenario: unknown, scheduler: string, queue: string, seed: number, shortcuts: boolean): string {
  const was = setReplanningShortcuts(shortcuts);
  try {
    const binds: string[] = [];
    const { metrics } = runHarness({ scenario, scheduler, queue, seed, observers: [{ podBound: (slot, node, now) => binds.push(`${slot}@${node}@${now}`) }] });
    return `${binds.join(' ')}\n${JSON.stringify(metrics)}`;
  } finally {
    setReplanningShortcuts(was);
  }
}

/** tetris-repro cut to 12 nodes and 30 pods per job: thousands of decisions with most pods waiting. */
function smallTetrisRepro(): unknown {
  const text = readFileSync(new URL('../scenarios/tetris-repro.yaml', import.meta.url), 'utf8')
    .replace('count: 250', 'count: 12')
    .replaceAll('completions: 600, parallelism: 600', 'completions: 30, parallelism: 30');
  return parseYaml(text, 'tetris-repro.yaml').data;
}

const BACKFILL = QUEUES.filter((q) => q.includes('backfill'));

/**
 * A few nodes and a few batch jobs arriving together, many pods waiting at
 * once: reservations pile up and move pass after pass, pods end before or
 * after their estimates, and failed nodes lose their pods and come back.
 */
const saturatedBatch = fc
  .record({
    nodes: fc.integer({ min: 2, max: 8 }),
    jobs: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 600 }),
        count: fc.integer({ min: 3, max: 30 }),
        cpu: fc.integer({ min: 1, max: 16 }),
        memory: fc.integer({ min: 1, max: 64 }),
        median: fc.integer({ min: 20, max: 600 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    failures: fc.array(fc.record({ at: fc.integer({ min: 1, max: 1500 }), nodes: fc.integer({ min: 1, max: 2 }), repairAfter: fc.integer({ min: 1, max: 900 }) }), { maxLength: 2 }),
  })
  .map((g) => ({
    name: 'saturated-batch',
    platform: 'none',
    cluster: { pools: [{ name: 'node', count: g.nodes, capacity: { cpu: 16, memory: '64Gi', pods: 110 } }] },
    workload: {
      jobs: g.jobs.map((j, i) => ({
        name: `job-${i}`,
        at: `${j.at}s`,
        completions: j.count,
        parallelism: j.count,
        duration: { dist: 'lognormal', median: `${j.median}s`, sigma: 0.5 },
        requests: { cpu: j.cpu, memory: `${j.memory}Gi` },
      })),
    },
    failures: g.failures.map((f) => ({ at: `${f.at}s`, nodes: f.nodes, select: 'most-loaded', repairAfter: `${f.repairAfter}s` })),
  }));

/**
 * Small jobs arriving every few seconds whose pods pull one of four images
 * over a slow NIC: a pod still pulling is planned to release at now + its
 * run time, so its release moves later at every pass until it starts, and a
 * reservation kept on its node must be planned again (release-plan.ts
 * reports the move). The container runtime is modelled only on the run's
 * own path (prepareRun), not in the test harness.
 */
const pullingBatch = fc
  .record({
    nodes: fc.integer({ min: 2, max: 5 }),
    gap: fc.integer({ min: 1, max: 15 }),
    jobs: fc.array(fc.record({ count: fc.integer({ min: 1, max: 4 }), cpu: fc.integer({ min: 1, max: 8 }), median: fc.integer({ min: 20, max: 300 }), image: fc.integer({ min: 0, max: 3 }) }), { minLength: 5, maxLength: 30 }),
  })
  .map((g) => ({
    name: 'pulling-batch',
    platform: 'none',
    cluster: { pools: [{ name: 'node', count: g.nodes, capacity: { cpu: 16, memory: '64Gi', pods: 110, nvme: '100G', nic: '10M' } }] },
    workload: {
      jobs: g.jobs.map((j, i) => ({
        name: `job-${i}`,
        at: `${i * g.gap}s`,
        completions: j.count,
        parallelism: j.count,
        duration: { dist: 'lognormal', median: `${j.median}s`, sigma: 0.5 },
        requests: { cpu: j.cpu, memory: '8Gi' },
        images: [`image-${j.image}`],
      })),
    },
    runtime: { images: { 'image-0': '400M', 'image-1': '800M', 'image-2': '1200M', 'image-3': '1600M' }, containerStart: '1s' },
  }));

/** `trace` on the run's own path, with the container runtime. */
function traceRun(scenario: unknown, scheduler: string, queue: string, seed: number, shortcuts: boolean): string {
  const was = setReplanningShortcuts(shortcuts);
  try {
    const binds: string[] = [];
    const prepared = prepareRun({ scenario: scenarioFromData(scenario, 'generated'), source: 'generated', scheduler, queue, seed }, undefined, [{ podBound: (slot, node, now) => binds.push(`${slot}@${node}@${now}`) }]);
    prepared.sim.run();
    return `${binds.join(' ')}\n${JSON.stringify(prepared.metrics.result())}`;
  } finally {
    setReplanningShortcuts(was);
  }
}

describe('replanning shortcuts decide as a from-scratch plan', () => {
  it.each(QUEUES)('%s on a saturated tetris-repro, first-fit and worst-fit', (queue) => {
    const scenario = smallTetrisRepro();
    for (const scheduler of ['first-fit', 'worst-fit-l2']) {
      const fast = trace(scenario, scheduler, queue, 1, true);
      expect(fast.split(' ').length).toBeGreaterThan(300);
      expect(fast).toBe(trace(scenario, scheduler, queue, 1, false));
    }
  });

  it('property: saturated batch clusters with node failures, every backfilling queue', () => {
    fc.assert(
      fc.property(saturatedBatch, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('first-fit', 'best-fit', 'worst-fit-l2'), fc.constantFrom(...BACKFILL), (data, seed, scheduler, queue) => {
        expect(trace(data, scheduler, queue, seed, true)).toBe(trace(data, scheduler, queue, seed, false));
      }),
      { numRuns: runs(30) },
    );
  });

  it('property: pods pulling images, every backfilling queue', () => {
    fc.assert(
      fc.property(pullingBatch, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('first-fit', 'best-fit'), fc.constantFrom(...BACKFILL), (data, seed, scheduler, queue) => {
        expect(traceRun(data, scheduler, queue, seed, true)).toBe(traceRun(data, scheduler, queue, seed, false));
      }),
      { numRuns: runs(30) },
    );
  });

  it('property: random clusters and workloads, every replanning queue', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('first-fit', 'best-fit', 'kube-default', 'first-fit+preempt'), fc.constantFrom(...QUEUES), (s, seed, scheduler, queue) => {
        expect(trace(s.data, scheduler, queue, seed, true)).toBe(trace(s.data, scheduler, queue, seed, false));
      }),
      { numRuns: runs(40) },
    );
  });
});
