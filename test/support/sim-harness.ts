/**
 * Runs a Simulator the way src/runner/run-one.ts does (same cluster, random
 * streams, policy stream name, queue, metrics and until), with extra
 * observers and a tap on the workload, so tests can watch a run from inside.
 */
import { RandomStreams } from '../../src/core/random.js';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import type { MetricValues } from '../../src/metrics/run-metrics.js';
import { UsageMetrics } from '../../src/metrics/usage-metrics.js';
import { buildNodes, resourceSpaceOf, toVector } from '../../src/model/cluster.js';
import { ClusterState } from '../../src/model/cluster-state.js';
import type { Scenario } from '../../src/model/scenario.js';
import { scenarioFromData } from '../../src/model/scenario-file.js';
import { findPlacement, findQueue } from '../../src/schedulers/registry.js';
import type { PlacementPolicy } from '../../src/schedulers/types.js';
import type { SimObserver } from '../../src/sim/observer.js';
import { Simulator } from '../../src/sim/simulator.js';
import type { Census } from '../../src/sim/simulator.js';
import { scenarioWorkload } from '../../src/workload/generate.js';
import type { WorkloadSource } from '../../src/workload/generate.js';
import type { Submission } from '../../src/workload/pod.js';

export interface HarnessSpec {
  readonly scenario: unknown;
  readonly scheduler: string;
  readonly queue: string;
  readonly seed: number;
  readonly observers?: readonly SimObserver[];
  /** Called with every submission the simulator pulls from the workload, in order. */
  readonly tap?: (s: Submission) => void;
  /** Wraps the placement policy the run is given (to watch its hooks). */
  readonly wrapPolicy?: (policy: PlacementPolicy) => PlacementPolicy;
}

export interface HarnessResult {
  readonly scenario: Scenario;
  readonly census: Census;
  readonly metrics: MetricValues;
  readonly cluster: ClusterState;
  readonly sim: Simulator;
}

export function runHarness(spec: HarnessSpec): HarnessResult {
  const scenario = scenarioFromData(spec.scenario, 'generated');
  const factory = findPlacement(spec.scheduler);
  const queue = findQueue(spec.queue);
  if (factory === undefined || queue === undefined) throw new Error(`unknown policy ${spec.scheduler}/${spec.queue}`);
  const space = resourceSpaceOf(scenario);
  const cluster = new ClusterState(space, buildNodes(scenario, space));
  const streams = new RandomStreams(spec.seed);
  const usage = new UsageMetrics();
  const metrics = new RunMetrics({
    probe: toVector(space, scenario.metrics.probe),
    strandedThreshold: scenario.metrics.strandedThreshold,
  });
  const inner = scenarioWorkload(scenario, space, streams);
  const tap = spec.tap;
  const workload: WorkloadSource =
    tap === undefined
      ? inner
      : {
          next: () => {
            const r = inner.next();
            if (r.done !== true) tap(r.value);
            return r;
          },
        };
  const sim = new Simulator({
    cluster,
    workload,
    policy: (spec.wrapPolicy ?? ((p) => p))(factory({ cluster, rng: streams.stream(`policy/${spec.scheduler}`) })),
    queue,
    observers: [metrics, usage, ...(spec.observers ?? [])],
    until: scenario.simulation.until,
    schedulingCost: scenario.simulation.schedulingCost,
  });
  const census = sim.run();
  const base = metrics.result();
  return { scenario, census, metrics: { ...base, ...usage.result(base) }, cluster, sim };
}
