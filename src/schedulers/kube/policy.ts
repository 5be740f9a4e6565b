/**
 * kube-scheduler as a rackbench placement policy: `kube-default` runs the
 * default profile; a scenario's `schedulers.<name>` KubeSchedulerConfiguration
 * runs its profile under that name.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { resized } from '../../core/typed-arrays.js';
import type { NodeIndex } from '../../core/ids.js';
import { CPU, MEMORY } from '../../model/resources.js';
import type { PlacementPolicy, PodView, PolicyContext, PolicyFactory } from '../types.js';
import { KubeCluster } from './cluster.js';
import { DEFAULT_CONFIGURATION, KubeConfigError, resolveProfile } from './config.js';
import type { KubeConfigReading } from './config.js';
import type { KubePod } from './pod.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, defaultSelectorOf, makeKubePod } from './pod.js';
import { emptyTrace, KubeScheduler } from './scheduler.js';
import type { DecisionTrace } from './scheduler.js';
import { NAME as LOAD_AWARE } from './plugins/load-aware.js';
import { FailureMemo } from './failure-memo.js';
import { SpecClasses } from './spec-classes.js';
import type { PodTemplate } from '../../workload/pod.js';

/** NonZeroRequested of a simulator pod: its one container's missing CPU/memory requests count as the defaults. */
const nonZeroCpu = (t: PodTemplate, requests: Float64Array): number => (t.missingRequests.cpu ? DEFAULT_MILLI_CPU_REQUEST : requests[CPU]!);
const nonZeroMemory = (t: PodTemplate, requests: Float64Array): number => (t.missingRequests.memory ? DEFAULT_MEMORY_REQUEST : requests[MEMORY]!);
const NO_CONSTRAINTS: KubePod['topologySpreadConstraints'] = [];
const NO_PORTS: KubePod['hostPorts'] = [];
const NO_IMAGES: KubePod['images'] = [];

/** An int per pod slot, 0 until set; grows with the slots. */
class SlotInts {
  private values = new Int32Array(1024);

  get(slot: number): number {
    return slot < this.values.length ? this.values[slot]! : 0;
  }

  set(slot: number, value: number): void {
    if (slot >= this.values.length) {
      if (value === 0) return;
      let n = this.values.length;
      while (n <= slot) n *= 2;
      this.values = resized(this.values, n);
    }
    this.values[slot] = value;
  }
}

/** Asks for a trace of chosen decisions (explain). */
export interface DecisionTracer {
  /** Whether to trace the decision for this pod. */
  wants(pod: PodView): boolean;
  /** The decision's trace, the pod and the profile's skipped (unmodelled) plugins. */
  record(trace: DecisionTrace, pod: PodView, skipped: readonly string[]): void;
}

/**
 * kube-scheduler under `name`, running `kubeConfig` (read once by the caller)
 * or, without one, the default configuration. A configuration that did not
 * parse is a UsageError when the policy is built.
 */
export function kubePolicy(name: string, kubeConfig?: KubeConfigReading, tracer?: DecisionTracer): PolicyFactory {
  return ({ cluster, rng }: PolicyContext): PlacementPolicy => {
    if (kubeConfig?.problem !== undefined) {
      throw new UsageError(`scheduler "${name}": not a valid KubeSchedulerConfiguration: ${kubeConfig.problem}`);
    }
    const configuration = kubeConfig?.configuration ?? DEFAULT_CONFIGURATION;
    const kube = new KubeCluster(cluster);
    let scheduler: KubeScheduler;
    try {
      scheduler = new KubeScheduler(resolveProfile(configuration), kube, rng);
    } catch (e) {
      // A profile naming an unknown plugin, or pluginConfig args a plugin rejects, is the user's input to fix.
      if (e instanceof KubeConfigError) throw new UsageError(`scheduler "${name}": ${e.message}`);
      if (e instanceof z.ZodError) {
        throw new UsageError(`scheduler "${name}": invalid pluginConfig args: ${e.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ')}`);
      }
      throw e;
    }
    // One KubePod, refilled for every decision.
    const pod = makeKubePod({ hostPorts: NO_PORTS, images: NO_IMAGES });
    /** Slots of bound pods that are terminating (deleted, in their grace period). */
    const terminating = new Set<number>();
    // A pod's group (its namespace, labels, pod (anti-)affinity terms and whether it is terminating) in the kube cluster's per-node pod counts.
    const group = (view: PodView): number =>
      kube.group(view.template.tenant, view.template.labels, view.template.affinity, view.slot !== undefined && terminating.has(view.slot));
    /** Per pending pod (slot): the filters that rejected it in its last failed cycle (KubeScheduler.rejectors), for its queueing hints. */
    const rejectors = new SlotInts();
    const needsUsage = scheduler.profile.filter.includes(LOAD_AWARE) || scheduler.profile.score.some((s) => s.name === LOAD_AWARE);
    /**
     * Failures that repeat (failure-memo.ts): not with explain (each traced decision runs in full), nor with
     * LoadAware (node usage moves with time), nor for pods with volumes (claims bind without a pod event).
     */
    const memo = tracer === undefined && !needsUsage ? new FailureMemo() : null;
    /** Changes to what the plugins read beyond the cluster's version: pods bound, released or terminating, nodes updated. */
    let changes = 0;
    /** Remembers the failure of the pod of the last place() call, after its PostFilter, when it can stand for others. */
    const remember = (view: PodView, result: { node: NodeIndex; victims: readonly number[] } | null): void => {
      const filter = scheduler.rejectedAtOnce;
      if (memo === null || (view.volumeSet ?? -1) >= 0 || filter < 0 || scheduler.nominator.total !== 0) return;
      if (result !== null && (result.node >= 0 || result.victims.length > 0 || !scheduler.preemptionHopeless(pod.priority))) return;
      const { requeueOn, hintOn, rejectors: rejecting } = scheduler;
      memo.remember(view.requests, pod.priority, pod.preemptionPolicy !== 'Never', cluster.version, changes, { filter, requeueOn, hintOn, rejectors: rejecting });
    };
    /** Decisions asked (place): with `changes` and the cluster's version, whether anything happened since the last replay. */
    let decisions = 0;
    // The last replayed failure (repeatFailure): when, and the pod's spec and requests.
    let replayDecisions = -1;
    let replayChanges = -1;
    let replayVersion = -1;
    let replayClass = -1;
    const classes = new SpecClasses();
    /** The spec class `pod` was last filled with (−1: not known), so that a like pod only changes its slot. */
    let filledClass = -1;
    /** Refills `pod` from a simulator pod. */
    const fill = (view: PodView): void => fillFrom(view.template, view.requests, view.slot ?? -1, view.volumeSet ?? -1);
    const fillFrom = (t: PodTemplate, requests: Float64Array, slot: number, volumeSet: number): void => {
      filledClass = -1;
      pod.requests = requests;
      pod.nonZeroCpu = nonZeroCpu(t, requests);
      pod.nonZeroMemory = nonZeroMemory(t, requests);
      pod.priority = t.priority;
      pod.labels = t.labels;
      pod.nodeSelector = t.nodeSelector;
      pod.tolerations = t.tolerations;
      pod.affinity = t.affinity;
      pod.namespace = t.tenant;
      pod.topologySpreadConstraints = t.topologySpreadConstraints ?? NO_CONSTRAINTS;
      pod.defaultSelector = defaultSelectorOf(t.kind, t.labels);
      pod.hostPorts = t.hostPorts ?? NO_PORTS;
      pod.images = t.images ?? NO_IMAGES;
      pod.preemptionPolicy = t.preemptionPolicy ?? 'PreemptLowerPriority';
      pod.slot = slot;
      pod.volumeSet = volumeSet;
      pod.limits = t.limits;
    };
    return {
      name,
      needsUsage,
      place(view): NodeIndex {
        decisions++;
        fill(view);
        if (tracer !== undefined && tracer.wants(view)) {
          const trace = emptyTrace();
          const node = scheduler.schedule(pod, trace);
          tracer.record(trace, view, scheduler.profile.skipped);
          return node;
        }
        const node = scheduler.schedule(pod);
        if (view.slot !== undefined) {
          rejectors.set(view.slot, node < 0 ? scheduler.rejectors : 0);
        }
        return node;
      },
      onBind(view, node) {
        changes++;
        if (view.slot !== undefined) terminating.delete(view.slot);
        kube.bind(node, nonZeroCpu(view.template, view.requests), nonZeroMemory(view.template, view.requests), group(view));
        if (view.template.hostPorts !== undefined) kube.bindPorts(node, view.template.hostPorts);
        if (view.slot !== undefined) {
          // The scheduler cache's NodeInfo.Pods; binding ends a nomination (DeleteNominatedPodIfExists).
          scheduler.pods.add(view.slot, node, view.priority, view.startTime ?? 0, view.requests, view.template.hostPorts ?? NO_PORTS);
          scheduler.nominator.clear(view.slot);
        }
      },
      onRelease(view, node) {
        changes++;
        kube.release(node, nonZeroCpu(view.template, view.requests), nonZeroMemory(view.template, view.requests), group(view));
        if (view.template.hostPorts !== undefined) kube.releasePorts(node, view.template.hostPorts);
        if (view.slot !== undefined) {
          scheduler.pods.remove(view.slot);
          terminating.delete(view.slot);
          rejectors.set(view.slot, 0);
        }
      },
      onTerminating(view, node) {
        changes++;
        // The scheduler cache keeps the pod (requests, ports) until it is gone; PodTopologySpread stops counting it.
        if (view.slot === undefined || terminating.has(view.slot)) return;
        const from = group(view);
        terminating.add(view.slot);
        kube.regroup(node, from, group(view));
      },
      onNodeChanged() {
        changes++;
      },
      // PostFilter for the pod of the last place() call, which found no node (the same cycle state).
      postFilter(view) {
        if (view.slot !== pod.slot) return null;
        const result = scheduler.postFilter(pod);
        if (view.slot !== undefined) remember(view, result);
        return result;
      },
      repeatFailure(view) {
        if (memo === null || view.slot === undefined || (view.volumeSet ?? -1) >= 0 || scheduler.nominator.total !== 0) return false;
        const t = view.template;
        const i = memo.find(view.requests, t.priority, (t.preemptionPolicy ?? 'PreemptLowerPriority') !== 'Never', cluster.version, changes);
        if (i < 0) return false;
        fill(view);
        if (!scheduler.replayRejectedAtOnce(pod, memo.filter[i]!, memo.requeueOn[i]!, memo.hintOn[i]!, memo.rejectors[i]!)) return false;
        // PostFilter again: the same outcome (no victims), and the same random draw as the cycle would take.
        scheduler.postFilter(pod);
        rejectors.set(view.slot, scheduler.rejectors);
        replayDecisions = decisions;
        replayChanges = changes;
        replayVersion = cluster.version;
        replayClass = filledClass = classes.of(t, view.requests);
        return true;
      },
      specClass: (view) => (memo === null || (view.volumeSet ?? -1) >= 0 ? -1 : classes.of(view.template, view.requests)),
      repeatLastFailure(slot, specClass) {
        // Nothing decided or changed since the last replay, and a pod that fills the same KubePod but for its slot:
        // the memo entry, its PreFilter skips and PostFilter's outcome are that replay's.
        if (specClass < 0 || specClass !== replayClass || decisions !== replayDecisions || changes !== replayChanges) return false;
        if (cluster.version !== replayVersion || scheduler.nominator.total !== 0) return false;
        if (filledClass === specClass) pod.slot = slot;
        else {
          fillFrom(classes.templates[specClass]!, classes.requests[specClass]!, slot, -1);
          filledClass = specClass;
        }
        scheduler.repeatPostFilter();
        rejectors.set(slot, scheduler.rejectors);
        return true;
      },
      evaluatedNodes: () => scheduler.evaluated,
      requeueOn: () => scheduler.requeueOn,
      hintOn: () => scheduler.hintOn,
      // isPodWorthRequeuing: the hints of the plugins that rejected the pod in its last failed cycle.
      queueingHint(view, event) {
        if (view.slot === undefined) return true;
        fill(view);
        return scheduler.queueingHint(pod, rejectors.get(view.slot), event);
      },
    };
  };
}
