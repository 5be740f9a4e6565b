/**
 * `rackbench explain SCENARIO --pod OWNER`: runs the scenario with a
 * kube-scheduler policy and records, for the first pod of OWNER (a service,
 * job or stream), what every node did in its scheduling cycle: which filter
 * rejected it and why, each score plugin's raw, normalized and weighted
 * score, the total and the chosen node.
 */
import { UsageError } from '../core/errors.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { formatQuantity } from '../model/quantity.js';
import { builtinKubeConfiguration } from '../schedulers/kube/load-aware-profile.js';
import { kubePolicy } from '../schedulers/kube/policy.js';
import type { DecisionTrace } from '../schedulers/kube/scheduler.js';
import type { PodView } from '../schedulers/types.js';
import { defaultQueue } from '../runner/plan.js';
import type { LoadedScenario } from '../runner/plan.js';
import { prepareRun } from '../runner/run-one.js';

export interface NodeExplanation {
  readonly node: string;
  /** feasible, rejected by a filter, or not evaluated (the cycle stopped after enough feasible nodes). */
  readonly status: 'feasible' | 'rejected' | 'not-evaluated';
  readonly plugin?: string;
  readonly reason?: string;
  /** Per score plugin; `note` says what the score is made of, for plugins that explain it (LoadAwareScheduling: the node's usage). */
  readonly scores?: Record<string, { raw: number; normalized: number; weighted: number; note?: string }>;
  readonly total?: number;
  readonly chosen: boolean;
}

export interface PodExplanation {
  readonly scenario: string;
  readonly scheduler: string;
  readonly seed: number;
  readonly pod: { readonly owner: string; readonly arrival_s: number; readonly requests: Record<string, string> };
  readonly decided_at_s: number;
  readonly chosen: string | null;
  /** Score plugins that skipped this pod in PreScore. */
  readonly skipped_score_plugins: readonly string[];
  /** Default plugins the profile enables that rackbench does not model yet. */
  readonly unmodelled_plugins: readonly string[];
  readonly nodes: readonly NodeExplanation[];
}

export interface ExplainPodOptions {
  readonly owner: string;
  readonly scheduler: string;
  readonly seed: number;
}

export function explainPod(loaded: LoadedScenario, options: ExplainPodOptions): PodExplanation {
  const scenario = loaded.scenario;
  const owners = [...scenario.workload.services, ...scenario.workload.jobs, ...scenario.workload.streams].map((w) => w.name);
  if (!owners.includes(options.owner)) {
    throw new UsageError(`--pod ${options.owner}: the scenario has no service, job or stream of that name; it has ${owners.join(', ')}`);
  }
  const builtin = builtinKubeConfiguration(options.scheduler);
  if (!builtin.found && scenario.schedulers[options.scheduler] === undefined) {
    throw new UsageError(`--scheduler ${options.scheduler}: explain works with kube-default, kube-load-aware or a KubeSchedulerConfiguration the scenario names under schedulers`);
  }
  let captured: { trace: DecisionTrace; arrival: number; requests: Float64Array; skipped: readonly string[] } | undefined;
  const tracer = {
    wants: (pod: PodView) => captured === undefined && pod.template.owner === options.owner,
    record: (trace: DecisionTrace, pod: PodView, skipped: readonly string[]) => {
      captured = { trace, arrival: pod.arrival, requests: Float64Array.from(pod.requests), skipped };
    },
  };
  const run = prepareRun(
    { scenario, source: loaded.file, scheduler: options.scheduler, queue: defaultQueue(scenario), seed: options.seed },
    (kubeConfig) => kubePolicy(options.scheduler, kubeConfig ?? builtin.reading, tracer),
  );
  // Run only until the traced decision has been made.
  const decidedAt = run.sim.runWhile(() => captured === undefined);
  if (captured === undefined) throw new UsageError(`no pod of ${options.owner} reached the scheduler in this run`);
  const { trace, arrival, requests, skipped } = captured;
  const space = run.space;
  const nodes = run.cluster.nodes;
  const feasibleIndex = new Map(trace.feasible.map((n, i) => [n, i]));
  return {
    scenario: scenario.name,
    scheduler: options.scheduler,
    seed: options.seed,
    pod: {
      owner: options.owner,
      arrival_s: arrival / MICROS_PER_SECOND,
      requests: Object.fromEntries(space.names.flatMap((r, d) => (requests[d]! > 0 ? [[r, formatQuantity(requests[d]!, space.unitOf(d))]] : []))),
    },
    decided_at_s: decidedAt / MICROS_PER_SECOND,
    chosen: trace.chosen >= 0 ? nodes[trace.chosen]!.name : null,
    skipped_score_plugins: trace.skippedScore,
    unmodelled_plugins: skipped,
    nodes: nodes.map((node): NodeExplanation => {
      const rejected = trace.rejected.get(node.index);
      if (rejected !== undefined) return { node: node.name, status: 'rejected', plugin: rejected.plugin, reason: rejected.reason, chosen: false };
      const i = feasibleIndex.get(node.index);
      if (i === undefined) return { node: node.name, status: 'not-evaluated', chosen: false };
      const scores: Record<string, { raw: number; normalized: number; weighted: number; note?: string }> = {};
      for (const s of trace.scores) {
        const note = s.notes?.[i];
        scores[s.plugin] = { raw: s.raw[i]!, normalized: s.normalized[i]!, weighted: s.normalized[i]! * s.weight, ...(note === undefined ? {} : { note }) };
      }
      return { node: node.name, status: 'feasible', scores, total: trace.totals[i] ?? 0, chosen: trace.chosen === node.index };
    }),
  };
}
