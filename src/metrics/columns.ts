/**
 * The run-level metric columns: their order in runs.csv and their meaning.
 * Column names are an API; add new ones, never rename.
 */
export interface ColumnDoc {
  readonly name: string;
  readonly unit: string;
  readonly meaning: string;
}

export const KEY_COLUMNS: readonly ColumnDoc[] = [
  { name: 'scenario', unit: '', meaning: 'Scenario name (the `name` field of the scenario file).' },
  { name: 'scheduler', unit: '', meaning: 'Placement policy.' },
  { name: 'queue', unit: '', meaning: 'Queue policy.' },
  { name: 'seed', unit: '', meaning: 'Run seed; every random stream of the run derives from it.' },
];

export const METRIC_COLUMNS: readonly ColumnDoc[] = [
  { name: 'pods_submitted', unit: 'pods', meaning: 'Pods created during the run (service replicas, job pods, stream arrivals).' },
  { name: 'pods_scheduled', unit: 'pods', meaning: 'Pods bound to a node.' },
  { name: 'pods_completed', unit: 'pods', meaning: 'Pods that ran to the end of their duration.' },
  { name: 'pods_running_end', unit: 'pods', meaning: 'Pods bound and still running when the run stopped.' },
  { name: 'pods_pending_end', unit: 'pods', meaning: 'Pods waiting for a node when the run stopped (pods_submitted = completed + running_end + pending_end + never_fit).' },
  { name: 'pods_unschedulable', unit: 'pods', meaning: 'Pods without a node at the end whose last scheduling attempt failed, plus pods_never_fit.' },
  { name: 'pods_never_fit', unit: 'pods', meaning: 'Pods turned away on arrival because no node could hold them even when empty.' },
  { name: 'pods_preempted', unit: 'pods', meaning: 'Pods deleted by kube-scheduler preemption (DefaultPreemption victims) that finished terminating; with them, pods_submitted = completed + running_end + pending_end + never_fit + preempted.' },
  { name: 'sim_seconds', unit: 's', meaning: 'Simulated time at which the run stopped (simulation.until, or the last event).' },
  { name: 'makespan_s', unit: 's', meaning: 'From the first arrival to the last pod completion.' },
  { name: 'placements_per_sim_s', unit: 'pods/s', meaning: 'pods_scheduled ÷ sim_seconds.' },
  { name: 'delay_p50_s', unit: 's', meaning: 'Scheduling delay (arrival → bind) of bound pods, median. Exact quantiles, linear interpolation (Hyndman–Fan type 7).' },
  { name: 'delay_p90_s', unit: 's', meaning: 'Scheduling delay, 90th percentile.' },
  { name: 'delay_p99_s', unit: 's', meaning: 'Scheduling delay, 99th percentile.' },
  { name: 'delay_max_s', unit: 's', meaning: 'Scheduling delay, maximum.' },
  { name: 'active_nodes_mean', unit: 'nodes', meaning: 'Nodes running at least one pod, time-weighted mean over the run.' },
  { name: 'active_nodes_peak', unit: 'nodes', meaning: 'Nodes running at least one pod, maximum over states that lasted.' },
  { name: 'nodes_lower_bound_peak', unit: 'nodes', meaning: 'Peak over time of the multi-dimensional lower bound on nodes: for each resource, the fewest of the largest nodes whose allocatable adds up to the total requested; the maximum over resources.' },
  { name: 'packing_efficiency_peak', unit: 'ratio', meaning: 'nodes_lower_bound_peak ÷ active nodes at the first instant the bound reached its peak (1 = no node more than needed).' },
];

/** Columns repeated for every resource dimension `r` (cpu, memory, nvme, nic, pods, then extended ones). */
export const PER_RESOURCE_COLUMNS: readonly ColumnDoc[] = [
  { name: 'alloc_<r>_mean', unit: 'ratio', meaning: 'Σ requested ÷ Σ allocatable of resource r over all nodes, time-weighted mean.' },
  { name: 'alloc_<r>_peak', unit: 'ratio', meaning: 'The same share, maximum over states that lasted.' },
  { name: 'fragmentation_<r>', unit: 'ratio', meaning: "Share of the cluster's free r that sits on nodes unable to fit the probe pod (metrics.probe), time-weighted over periods with free r. Not reported for pods." },
  { name: 'stranded_<r>', unit: 'ratio', meaning: 'Free r on nodes where another resource is at least metrics.strandedThreshold (95 %) allocated, as a share of all allocatable r, time-weighted mean. Not reported for pods.' },
];

/** The metric columns of runs.csv, in order, for the given resource names. */
export function metricColumns(resources: readonly string[]): string[] {
  const cols = METRIC_COLUMNS.map((c) => c.name);
  for (const r of resources) cols.push(`alloc_${r}_mean`, `alloc_${r}_peak`);
  for (const r of resources) if (r !== 'pods') cols.push(`fragmentation_${r}`, `stranded_${r}`);
  return cols;
}

export const TIMING_COLUMNS: readonly ColumnDoc[] = [
  ...KEY_COLUMNS,
  { name: 'wall_ms', unit: 'ms', meaning: 'Wall-clock time of the run (building the cluster, simulating, collecting metrics).' },
  { name: 'events', unit: 'events', meaning: 'Events the kernel processed.' },
  { name: 'events_per_s', unit: 'events/s', meaning: 'events ÷ wall-clock seconds.' },
  { name: 'placements_per_s', unit: 'pods/s', meaning: 'pods_scheduled ÷ wall-clock seconds.' },
];
