/**
 * Runs that replay a trace: the scenario's `trace` (a format, files and
 * options, as plain data, so it crosses the worker boundary inside the
 * scenario) supplies the nodes — unless the trace has none, then the
 * scenario's pools do — and pods, merged with the scenario's own workload;
 * its machine events add node joins and failures beside the scenario's own.
 * The files are read inside the run, in the worker, lazily.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { asNode } from '../core/ids.js';
import type { RandomStreams } from '../core/random.js';
import { resourceSpaceOf } from '../model/cluster.js';
import type { NodeSpec } from '../model/cluster.js';
import { ResourceSpace } from '../model/resources.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { scenarioFromData } from '../model/scenario-file.js';
import { InputError } from '../model/yaml-input.js';
import type { NodeFailure, NodeJoin } from '../sim/simulator.js';
import type { LoadedScenario } from './plan.js';
import { mergeSources, scenarioWorkload } from '../workload/generate.js';
import type { WorkloadSource } from '../workload/generate.js';
import { combineRejections, formatRowIssue } from '../workload/trace/issues.js';
import { checkTraceFiles, openTrace, traceMachines, traceNodeSpecs, traceWorkload } from '../workload/trace/replay.js';
import type { TraceRejections } from '../workload/trace/types.js';
import type { OpenedTrace } from '../workload/trace/replay.js';
import { optionsFromFlags, parseTraceArgument, traceRefSchema } from '../workload/trace/options.js';
import type { TraceRef } from '../workload/trace/options.js';

export interface TraceRun {
  readonly space: ResourceSpace;
  /** Whether the trace says what pods use or may use (the run then models usage). */
  readonly usage: boolean;
  /** The trace's machines, or undefined when the trace has none (the scenario's pools are used). */
  readonly nodes: NodeSpec[] | undefined;
  /** Machines the trace removes while up (beside the scenario's own failures); none with machineEvents=ignore. */
  readonly failures: NodeFailure[];
  /** Machines the trace adds after the replay's start. */
  readonly joins: NodeJoin[];
  /** The trace's pods merged with the scenario's workload. */
  workload(streams: RandomStreams): WorkloadSource;
  /** The rows the run's reads of the trace rejected so far (its machines, and its pods as far as the run read them). */
  rejections(): TraceRejections;
}

/** The scenario's trace reference, validated; undefined when it names none. Throws InputError naming the field. */
export function scenarioTraceRef(scenario: ResolvedScenario, source: string): TraceRef | undefined {
  const raw = (scenario as { trace?: unknown }).trace;
  if (raw === undefined) return undefined;
  const parsed = traceRefSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      source,
      parsed.error.issues.map((i) => ({ path: ['trace', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/** Opens the scenario's trace (relative paths from the scenario file's directory). */
export function openScenarioTrace(ref: TraceRef, source: string): OpenedTrace {
  return openTrace(ref, `${source}: trace`, source.startsWith('<') ? process.cwd() : dirname(resolve(source)));
}

/** The cluster and workload of a run that replays a trace; undefined when the scenario names no trace. */
export function prepareTrace(scenario: ResolvedScenario, source: string): TraceRun | undefined {
  const ref = scenarioTraceRef(scenario, source);
  if (ref === undefined) return undefined;
  const forNodes = openScenarioTrace(ref, source);
  const machines = traceMachines(forNodes);
  const gpu = forNodes.ctx.options.gpuResource;
  const extended = forNodes.format.extendedResources?.(forNodes.files) ?? [];
  const space = new ResourceSpace([...resourceSpaceOf(scenario).names, gpu, ...extended]);
  const hasNodes = machines.nodes.length > 0;
  // A machine list that gives no node is an error, never a silent fall-back to the scenario's pools.
  if (!hasNodes && forNodes.ctx.machineFiles.size > 0) throw noMachines(forNodes);
  let forPods: OpenedTrace | undefined;
  return {
    space,
    usage: forNodes.format.hasUsage?.(forNodes.files, forNodes.ctx.options) === true,
    nodes: hasNodes ? traceNodeSpecs(machines.nodes, space, forNodes) : undefined,
    // One failure per removal, of that node: no node is chosen at random, so no random number is drawn.
    failures: hasNodes
      ? machines.failures.map((f) => ({ at: f.at, count: 1, select: 'most-loaded', nodes: [asNode(f.node)], repairAfter: f.repairAfter }))
      : [],
    joins: hasNodes ? machines.joins.map((j) => ({ node: asNode(j.node), at: j.at })) : [],
    workload: (streams) => {
      forPods = openScenarioTrace(ref, source);
      return mergeSources([traceWorkload(forPods, space), scenarioWorkload(scenario, space, streams)]);
    },
    rejections: () => combineRejections([forNodes.ctx.rejections(), ...(forPods === undefined ? [] : [forPods.ctx.rejections()])]),
  };
}

/** The InputError for machine lists that give no node: every row rejected, or no machine up within the window. */
function noMachines(t: OpenedTrace): InputError {
  const files = [...t.ctx.machineFiles];
  const { rows, rejected } = t.ctx.counts;
  const why =
    rows === rejected
      ? `all ${rows.toLocaleString('en-US')} of its rows were rejected${t.ctx.issues[0] === undefined ? '' : ` (the first: ${formatRowIssue(t.ctx.issues[0])})`}`
      : `none of its ${(rows - rejected).toLocaleString('en-US')} good rows is a machine up within the window`;
  return new InputError(files.join(', '), [
    { path: '', message: `the machine list gives no node: ${why}; the run would have no cluster (fix the file, or leave it out to run on the scenario's pools)` },
  ]);
}

/**
 * Opens the trace of every run that names one and checks its files' first
 * rows (checkTraceFiles), once per trace, before anything runs: an empty file
 * or a bad header is an InputError here rather than a failure of each run.
 */
export function checkRunTraces(specs: readonly { readonly scenario: ResolvedScenario; readonly source: string }[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    const ref = scenarioTraceRef(spec.scenario, spec.source);
    if (ref === undefined) continue;
    const id = JSON.stringify([spec.source, ref]);
    if (seen.has(id)) continue;
    seen.add(id);
    checkTraceFiles(openScenarioTrace(ref, spec.source));
  }
}

/** A scenario for a trace run without a scenario file: no pools of its own, no workload beyond the trace. */
function bareTraceScenario(format: string): Record<string, unknown> {
  return {
    name: `trace-${format.replace(/[^a-z0-9-]/g, '-')}`,
    description: `replay of a ${format} trace`,
    cluster: { pools: [{ name: 'none', count: 0, capacity: { cpu: 1 } }] },
    workload: {},
  };
}

/**
 * `run --trace FORMAT:files [--trace-option k=v]`: the trace reference (with
 * absolute paths, so a worker finds the files) put into each scenario, or
 * into a bare scenario when none is given, each resolved again. Checks the
 * format, options and files before anything runs. Throws UsageError or
 * InputError.
 */
export function withTraceArgument(scenarios: readonly LoadedScenario[], arg: string, optionFlags: readonly string[] = []): LoadedScenario[] {
  const { format, files } = parseTraceArgument(arg);
  const options = optionsFromFlags(optionFlags);
  const opened = openTrace({ format, files, options }, `--trace ${arg}`);
  for (const f of Object.values(opened.files).flat()) {
    if (!existsSync(f)) throw new InputError(f, [{ path: '', message: `no such file (named by --trace ${arg})` }]);
  }
  checkTraceFiles(opened);
  const ref: TraceRef = {
    format,
    files: Object.entries(opened.files).flatMap(([role, fs]) => fs.map((f) => `${role}=${f}`)),
    options,
  };
  const load = (data: Record<string, unknown>, file: string): LoadedScenario => ({ file, data, scenario: scenarioFromData(data, file) });
  if (scenarios.length === 0) {
    if (!opened.format.machineRoles.some((r) => (opened.files[r]?.length ?? 0) > 0)) {
      throw new UsageError(
        `--trace ${arg}: these files have no machine list (${opened.format.machineRoles.join(' or ')}), so the cluster must come from a scenario; name a scenario file`,
      );
    }
    return [load({ ...bareTraceScenario(format), trace: ref }, `<trace ${format}>`)];
  }
  return scenarios.map((s) => load({ ...(s.data as Record<string, unknown>), trace: ref }, s.file));
}
