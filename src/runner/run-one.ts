/**
 * One run: a resolved scenario, a placement policy, a queue policy and a
 * seed in; the run's metrics out. Pure apart from the wall-clock timing,
 * which is kept apart from the metrics. The spec is plain data so it can
 * cross a worker thread boundary (run-protocol.ts).
 */
import { performance } from 'node:perf_hooks';
import { UsageError } from '../core/errors.js';
import { asNode, MICROS_PER_SECOND } from '../core/ids.js';
import { RandomStreams } from '../core/random.js';
import type { Rng } from '../core/random.js';
import { DelaySketches } from '../metrics/delay-sketches.js';
import { RunMetrics } from '../metrics/run-metrics.js';
import type { MetricValues } from '../metrics/run-metrics.js';
import { UsageMetrics } from '../metrics/usage-metrics.js';
import { RunRecorder } from '../metrics/run-record.js';
import { buildNodes, resourceSpaceOf, toVector } from '../model/cluster.js';
import { ClusterState } from '../model/cluster-state.js';
import { DATASTORE_DEFAULTS } from '../model/control-plane-schema.js';
import { isFailureProcess } from '../model/failure-schema.js';
import type { ResourceSpace } from '../model/resources.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { readKubeSchedulerConfiguration } from '../schedulers/kube/config.js';
import type { KubeConfigReading } from '../schedulers/kube/config.js';
import { configuredKubePolicy, findPlacement, findQueue, placementNames, queueNames } from '../schedulers/registry.js';
import type { PolicyFactory } from '../schedulers/types.js';
import type { ControlPlaneSettings } from '../sim/control-plane.js';
import type { KubeQueueSettings } from '../sim/simulator.js';
import type { SimObserver } from '../sim/observer.js';
import type { NodeFailure } from '../sim/simulator.js';
import { Simulator } from '../sim/simulator.js';
import { scenarioWorkload } from '../workload/generate.js';
import { expandFailureProcesses } from './failure-process.js';
import { loadedPlugin } from './plugins.js';
import { scenarioTitle } from './run-key.js';
import type { RunResult, RunSpec } from './run-protocol.js';
import { prepareTrace } from './trace-run.js';
import type { TraceRun } from './trace-run.js';
import { TRACE_ROWS_REJECTED } from '../metrics/columns.js';

/** A simulation set up from a spec, ready to run. */
export interface PreparedRun {
  readonly scenario: ResolvedScenario;
  readonly space: ResourceSpace;
  readonly cluster: ClusterState;
  readonly sim: Simulator;
  /** The run's metrics (runs.csv's columns) once it has run; the packing lower bound at any instant while it runs. */
  readonly metrics: { result(): MetricValues; lowerBound(): number };
  readonly recorder?: RunRecorder | undefined;
  /** The trace the run replays, if any: its rejected rows are read after the run. */
  readonly trace?: TraceRun | undefined;
}

/**
 * Builds the cluster, workload, policies and metrics of a run. `policyFor`
 * replaces the named policy (explain uses it to trace decisions); `observers`
 * watch the run beside the metrics. Throws UsageError or InputError on bad
 * input.
 */
export function prepareRun(
  spec: RunSpec,
  policyFor?: (kubeConfig: KubeConfigReading | undefined) => PolicyFactory,
  observers: readonly SimObserver[] = [],
): PreparedRun {
  const scenario = spec.scenario;
  const config = scenario.schedulers[spec.scheduler];
  // Read once: the kube policy and the kube queue's backoff both come from it.
  const kubeConfig = config === undefined ? undefined : readKubeSchedulerConfiguration(config);
  const factory =
    policyFor !== undefined
      ? policyFor(kubeConfig)
      : spec.plugin !== undefined
        ? loadedPlugin(spec.plugin.file)
        : kubeConfig !== undefined
          ? configuredKubePolicy(spec.scheduler, kubeConfig)
          : findPlacement(spec.scheduler);
  if (factory === undefined) {
    throw new UsageError(`unknown scheduler "${spec.scheduler}"; built-in schedulers: ${placementNames().join(', ')}`);
  }
  const queue = findQueue(spec.queue);
  if (queue === undefined) {
    throw new UsageError(`unknown queue policy "${spec.queue}"; built-in queue policies: ${queueNames().join(', ')}`);
  }
  const trace = prepareTrace(scenario, spec.source);
  const space = trace?.space ?? resourceSpaceOf(scenario);
  const overcommit = scenario.cluster.overcommit === undefined ? undefined : toVector(space, scenario.cluster.overcommit).map((f) => f || 1);
  const cluster = new ClusterState(space, trace?.nodes ?? buildNodes(scenario, space), overcommit);
  const streams = new RandomStreams(spec.seed);
  const metrics = new RunMetrics({
    probe: toVector(space, scenario.metrics.probe),
    strandedThreshold: scenario.metrics.strandedThreshold,
  });
  const usage = new UsageMetrics();
  const recorder = spec.record !== undefined && spec.record.length > 0 ? new RunRecorder(new Set(spec.record)) : undefined;
  const sim = new Simulator({
    cluster,
    workload: trace !== undefined ? trace.workload(streams) : scenarioWorkload(scenario, space, streams),
    policy: factory({ cluster, rng: streams.stream(`policy/${spec.scheduler}`), config }),
    queue,
    observers: [metrics, usage, ...(recorder === undefined ? [] : [recorder]), ...observers],
    usage: usesUsage(scenario) || trace?.usage === true,
    until: scenario.simulation.until,
    schedulingCost: scenario.simulation.schedulingCost,
    kubeQueue: kubeQueueSettings(kubeConfig),
    failures: [...nodeFailures(scenario, cluster, spec.source), ...expandFailureProcesses(scenario, cluster, streams, spec.source), ...(trace?.failures ?? [])],
    joins: trace?.joins,
    nodeLifecycle: {
      monitorGracePeriod: scenario.simulation.nodeLifecycle.monitorGracePeriod,
      evictionDelay: scenario.simulation.nodeLifecycle.tolerationSeconds * MICROS_PER_SECOND,
    },
    random: randomOf(streams.stream('failures')),
    controlPlane: controlPlaneSettings(scenario),
    runtime:
      scenario.runtime === undefined
        ? undefined
        : {
            imageSizes: new Map(Object.entries(scenario.runtime.images)),
            containerStart: scenario.runtime.containerStart,
            serializeImagePulls: scenario.runtime.serializeImagePulls,
            pullShare: scenario.runtime.pullShare,
            gcHighPercent: scenario.runtime.imageGCHighThresholdPercent,
            gcLowPercent: scenario.runtime.imageGCLowThresholdPercent,
          },
  });
  const all = {
    result(): MetricValues {
      const base = metrics.result();
      return { ...base, ...usage.result(base) };
    },
    lowerBound: () => metrics.lowerBound(),
  };
  return { scenario, space, cluster, sim, metrics: all, recorder, trace };
}

/**
 * Whether the run models what pods use (src/sim/usage/): when any workload
 * gives `usage:` or `limits:` (for the pod or a container), or the cluster is over-committed (requests
 * may then exceed what a node has).
 */
function usesUsage(scenario: ResolvedScenario): boolean {
  const w = scenario.workload;
  const overcommitted = Object.values(scenario.cluster.overcommit ?? {}).some((f) => f !== 1);
  return overcommitted || [...w.services, ...w.jobs, ...w.streams].some((x) => x.usage !== undefined || x.limits !== undefined || x.containers?.some((c) => c.usage !== undefined) === true);
}

/** The scenario's control plane with its datastore's defaults filled in; none when the scenario has no `controlPlane`. */
function controlPlaneSettings(scenario: ResolvedScenario): ControlPlaneSettings | undefined {
  const cp = scenario.controlPlane;
  if (cp === undefined) return undefined;
  const kind = cp.datastore ?? scenario.stack?.datastore ?? 'etcd';
  const defaults = DATASTORE_DEFAULTS[kind];
  return {
    controllerQps: cp.controllerQps,
    controllerBurst: cp.controllerBurst,
    schedulerQps: cp.schedulerQps,
    schedulerBurst: cp.schedulerBurst,
    maxWriteRate: cp.maxWriteRate ?? defaults.maxWriteRate,
    writeLatency: cp.writeLatency ?? defaults.writeLatency,
  };
}

const randomOf = (rng: Rng): (() => number) => () => rng.next();

/** The scenario's listed failures (not its failure processes) with node names resolved; an unknown name is an input error. */
function nodeFailures(scenario: ResolvedScenario, cluster: ClusterState, source: string): NodeFailure[] {
  const index = new Map(cluster.nodes.map((n, i) => [n.name, asNode(i)]));
  const listed = scenario.failures.map((f, i) => (isFailureProcess(f) ? undefined : {
    at: f.at,
    count: f.nodes,
    select: f.select,
    repairAfter: f.repairAfter,
    nodes: f.names?.map((name) => {
      const node = index.get(name);
      if (node === undefined) {
        const known = cluster.nodes.slice(0, 8).map((n) => n.name).join(', ');
        throw new UsageError(`${source}: failures[${i}].names: no node "${name}" in this cluster (nodes are named pool-1, pool-2 …: ${known}${cluster.nodeCount > 8 ? ', …' : ''})`);
      }
      return node;
    }),
  }));
  return listed.filter((f) => f !== undefined);
}

/** The queue's backoff settings from a scenario's KubeSchedulerConfiguration, if it gives a valid one. */
function kubeQueueSettings(kubeConfig: KubeConfigReading | undefined): KubeQueueSettings | undefined {
  const c = kubeConfig?.configuration;
  if (c === undefined) return undefined;
  return {
    initialBackoff: c.podInitialBackoffSeconds * MICROS_PER_SECOND,
    maxBackoff: c.podMaxBackoffSeconds * MICROS_PER_SECOND,
  };
}

/** Runs one simulation. Throws UsageError or InputError on bad input, PolicyError if a policy breaks its contract. */
export function runOne(spec: RunSpec): RunResult {
  const started = performance.now();
  const sketches = new DelaySketches();
  const { scenario, space, sim, metrics, recorder, trace } = prepareRun(spec, undefined, [sketches]);
  const census = sim.run();
  const rejections = trace?.rejections();
  return {
    scenario: scenarioTitle(scenario.name, spec.variant),
    scheduler: spec.scheduler,
    queue: spec.queue,
    seed: spec.seed,
    resources: space.names,
    // Only a run that replays a trace has rejected trace rows to count (the column is empty for the others).
    metrics: rejections === undefined ? metrics.result() : { ...metrics.result(), [TRACE_ROWS_REJECTED]: rejections.rejected },
    census,
    timing: { wallMs: performance.now() - started, events: sim.kernel.processed, attempts: sim.attempts },
    records: recorder?.records(),
    sketches: sketches.result(),
    ...(rejections === undefined ? {} : { trace: rejections }),
  };
}
