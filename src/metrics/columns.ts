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

/**
 * What pods used and did to each other (README "Usage and contention"). In a
 * scenario without `usage:` or `limits:` a pod uses what it requests: slowdowns
 * are 1, throttling, OOM kills and pressure evictions 0, usage equals allocation.
 */
const USAGE_COLUMNS: readonly ColumnDoc[] = [
  { name: 'slowdown_p50', unit: 'ratio', meaning: 'Actual ÷ ideal run time of completed batch pods (job, stream and trace pods), median; ideal is the run time alone on the node under the pod\'s own limits. Quantiles as the delays (type 7); 0 when no batch pod completed.' },
  { name: 'slowdown_p99', unit: 'ratio', meaning: 'The same, 99th percentile.' },
  { name: 'slowdown_p50_guaranteed', unit: 'ratio', meaning: 'slowdown_p50 over the pods of QoS class Guaranteed (0 when none completed).' },
  { name: 'slowdown_p99_guaranteed', unit: 'ratio', meaning: 'slowdown_p99 over Guaranteed pods.' },
  { name: 'slowdown_p50_burstable', unit: 'ratio', meaning: 'slowdown_p50 over Burstable pods.' },
  { name: 'slowdown_p99_burstable', unit: 'ratio', meaning: 'slowdown_p99 over Burstable pods.' },
  { name: 'slowdown_p50_besteffort', unit: 'ratio', meaning: 'slowdown_p50 over BestEffort pods.' },
  { name: 'slowdown_p99_besteffort', unit: 'ratio', meaning: 'slowdown_p99 over BestEffort pods.' },
  { name: 'jct_mean_s', unit: 's', meaning: 'Mean over Jobs of last pod end − Job submission (Jobs all of whose pods ended in the run); over completed batch pods (end − arrival) when the run has no Jobs.' },
  { name: 'cpu_throttled_s', unit: 's', meaning: 'Σ over pods of the time their CFS quota (cpu limit) held them back: while a pod demanding more CPU than its limit gets its limit, 1 − limit ÷ demand of the time.' },
  { name: 'oom_kills', unit: 'kills', meaning: 'Containers OOM-killed for using more memory than their limit.' },
  { name: 'evictions_pressure', unit: 'pods', meaning: 'Pods the kubelet evicted for memory pressure on their node (apart from pods_evicted after node failures).' },
  { name: 'usage_cpu_mean', unit: 'ratio', meaning: 'Σ CPU used ÷ Σ allocatable CPU over all nodes, time-weighted mean.' },
  { name: 'usage_memory_mean', unit: 'ratio', meaning: 'Σ memory used ÷ Σ allocatable memory, time-weighted mean.' },
  { name: 'overcommit_cpu_peak', unit: 'ratio', meaning: 'Peak over the run of Σ over nodes of max(CPU requested, CPU used) ÷ Σ allocatable CPU.' },
  { name: 'contended_s_mean', unit: 's', meaning: 'Mean over nodes of the time some resource (CPU, NVMe or NIC bandwidth) had more demand than the node has.' },
];

export const METRIC_COLUMNS: readonly ColumnDoc[] = [
  { name: 'pods_submitted', unit: 'pods', meaning: "Pods created during the run (service replicas, job pods, stream arrivals, trace pods). Platform pods pinned to their node (a stack's DaemonSet and static control-plane pods) take capacity but are left out of every pod count, delay and active-node figure." },
  { name: 'pods_scheduled', unit: 'pods', meaning: 'Pods bound to a node.' },
  { name: 'pods_completed', unit: 'pods', meaning: 'Pods that ran to the end of their duration.' },
  { name: 'pods_running_end', unit: 'pods', meaning: 'Pods bound and still running when the run stopped.' },
  { name: 'pods_pending_end', unit: 'pods', meaning: 'Pods waiting for a node when the run stopped (pods_submitted = completed + running_end + pending_end + never_fit).' },
  { name: 'pods_unschedulable', unit: 'pods', meaning: 'Pods that never run again: those without a node at the end whose last scheduling attempt failed, pods_never_fit, pods stuck on a failed node at the end, and bare pods (streams, traces) evicted from a failed node, which nothing replaces.' },
  { name: 'pods_never_fit', unit: 'pods', meaning: 'Pods turned away on arrival because no node could hold them even when empty.' },
  { name: 'pods_preempted', unit: 'pods', meaning: 'Pods deleted by kube-scheduler preemption (DefaultPreemption victims) that finished terminating; with them, pods_submitted = completed + running_end + pending_end + never_fit + preempted.' },
  { name: 'sim_seconds', unit: 's', meaning: 'Simulated time at which the run stopped (simulation.until, or the last event).' },
  { name: 'makespan_s', unit: 's', meaning: 'From the first arrival to the last pod completion.' },
  { name: 'placements_per_sim_s', unit: 'pods/s', meaning: 'pods_scheduled ÷ sim_seconds.' },
  { name: 'delay_p50_s', unit: 's', meaning: 'Scheduling delay (arrival → bind), median, over every workload pod: a pod never bound (still waiting at the end, or turned away as never fitting) counts with end of run − arrival. Exact quantiles, linear interpolation (Hyndman–Fan type 7).' },
  { name: 'delay_p90_s', unit: 's', meaning: 'Scheduling delay, 90th percentile.' },
  { name: 'delay_p99_s', unit: 's', meaning: 'Scheduling delay, 99th percentile.' },
  { name: 'delay_max_s', unit: 's', meaning: 'Scheduling delay, maximum.' },
  { name: 'active_nodes_mean', unit: 'nodes', meaning: 'Nodes running at least one pod, time-weighted mean over the run.' },
  { name: 'active_nodes_peak', unit: 'nodes', meaning: 'Nodes running at least one pod, maximum over states that lasted.' },
  { name: 'nodes_lower_bound_peak', unit: 'nodes', meaning: 'Peak over time of the multi-dimensional lower bound on nodes: for each resource, the fewest of the roomiest nodes whose room (allocatable − the requests of the platform pods pinned to the node) adds up to the workload\'s requests; the maximum over resources. It counts the pods active nodes count, so it is never above them.' },
  { name: 'packing_efficiency_peak', unit: 'ratio', meaning: 'nodes_lower_bound_peak ÷ active nodes at the first instant the bound reached its peak: in (0, 1] whenever the bound is above 0 (1 = no node more than needed), 0 when nothing ran.' },
  { name: 'node_failures', unit: 'nodes', meaning: 'Node failures injected (the scenario\'s `failures`, listed or drawn from a failure process).' },
  { name: 'node_hours_lost', unit: 'node-hours', meaning: 'Σ over failed nodes of the time from the failure to its repair (or the end of the run).' },
  { name: 'pods_disrupted', unit: 'pods', meaning: 'Pods whose node failed under them (or that were bound to a failed node before it was marked NotReady).' },
  { name: 'pods_evicted', unit: 'pods', meaning: 'Pods of failed nodes deleted by the node lifecycle controller when their unreachable toleration ran out; with them, pods_submitted = completed + running_end + pending_end + never_fit + preempted + evicted. Pods of a failed node not yet evicted count in pods_running_end.' },
  { name: 'pods_failed', unit: 'pods', meaning: 'Job pods whose run ended in failure (a job\'s podFailureRate); the Job replaces each after its backoff delay. With them, pods_submitted = completed + running_end + pending_end + never_fit + preempted + evicted + failed.' },
  { name: 'jobs_failed', unit: 'jobs', meaning: 'Jobs that failed: more failed pods than their backoffLimit (default 6); a failed Job creates no more pods.' },
  { name: 'recovery_max_s', unit: 's', meaning: 'Longest time from a node failure until a disrupted pod (or its replacement) was running again.' },
  { name: 'pods_unrecovered', unit: 'pods', meaning: 'Service and job pods standing for disrupted ones that were not running when the run stopped (pending replacements, StatefulSet pods waiting for their node).' },
  { name: 'local_data_lost', unit: 'pods', meaning: 'Pods that held local persistent volumes (volumeClaims) on a node when it failed (or were bound to it before it was marked NotReady) and whose node was still down when the run stopped, so their data is gone; replicas of a service with more than one replica are left out (their data has copies on the other replicas). A node repaired before the end brings its pods\' data back.' },
  { name: 'startup_p50_s', unit: 's', meaning: 'Pod start-up latency (bind → containers started: image pulls, then container start; 0 without a `runtime`), median over started pods.' },
  { name: 'startup_p99_s', unit: 's', meaning: 'Pod start-up latency, 99th percentile.' },
  { name: 'image_bytes_pulled', unit: 'bytes', meaning: 'Image bytes pulled onto all nodes (a `runtime` only).' },
  { name: 'image_bytes_pulled_node_max', unit: 'bytes', meaning: 'Image bytes pulled onto the node that pulled most.' },
  ...USAGE_COLUMNS,
  { name: 'trace_rows_rejected', unit: 'rows', meaning: 'Rows of the replayed trace that the run read and left out as bad (malformed, out of range or out of order; see `rackbench trace inspect`); empty for a run that replays no trace.' },
];

/** The runs.csv column of a trace replay's rejected rows. */
export const TRACE_ROWS_REJECTED = 'trace_rows_rejected';

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
  { name: 'attempts', unit: 'attempts', meaning: 'Scheduling attempts: decisions asked of the placement policy, failed ones included (retries of waiting pods count each time).' },
];

/**
 * Columns of the opt-in run records (`--record`): timeseries.csv, nodes.csv
 * and pods.csv. Every row starts with the key columns (scenario, scheduler,
 * queue, seed). Over-time values are time-weighted means over a bucket.
 */
export const RECORD_COLUMNS: Readonly<Record<'timeseries' | 'nodes' | 'pods', readonly ColumnDoc[]>> = {
  timeseries: [
    { name: 't_s', unit: 's', meaning: 'Start of the time bucket (simulated time).' },
    { name: 'width_s', unit: 's', meaning: 'Length of the bucket: 1, 2, 10, 20, 100 ms … chosen so a run has at most 1,000 buckets; the last one ends with the run.' },
    { name: 'pending_pods', unit: 'pods', meaning: 'Pods created and not yet bound (queued or waiting for capacity), mean over the bucket.' },
    { name: 'running_pods', unit: 'pods', meaning: 'Pods bound and holding their node (running or terminating), mean over the bucket.' },
    { name: 'active_nodes', unit: 'nodes', meaning: 'Nodes running at least one pod, mean over the bucket.' },
    { name: 'alloc_<r>', unit: 'ratio', meaning: 'Σ requested ÷ Σ allocatable of resource r over all nodes, mean over the bucket.' },
    { name: 'node_failures', unit: 'nodes', meaning: 'Nodes that failed during the bucket.' },
    { name: 'node_repairs', unit: 'nodes', meaning: 'Failed nodes back during the bucket.' },
    { name: 'node_joins', unit: 'nodes', meaning: 'Nodes that joined the cluster during the bucket (a trace\'s machines added during the run).' },
    { name: 'pods_evicted', unit: 'pods', meaning: 'Pods of failed nodes evicted by the node lifecycle controller during the bucket.' },
    { name: 'cpu_used', unit: 'cores', meaning: 'CPU the pods use over all nodes, mean over the bucket: what the usage model gives them (contention, limits), or what they request when the run does not model usage.' },
    { name: 'cpu_requested', unit: 'cores', meaning: 'CPU the bound pods request over all nodes, mean over the bucket (alloc_cpu × cpu_allocatable).' },
    { name: 'cpu_allocatable', unit: 'cores', meaning: 'Allocatable CPU over all nodes, as the scheduler sees it (after cluster.overcommit).' },
    { name: 'memory_used', unit: 'bytes', meaning: 'Memory (working set) the pods use over all nodes, mean over the bucket; what they request without a usage model.' },
    { name: 'memory_requested', unit: 'bytes', meaning: 'Memory the bound pods request over all nodes, mean over the bucket.' },
    { name: 'memory_allocatable', unit: 'bytes', meaning: 'Allocatable memory over all nodes, as the scheduler sees it.' },
  ],
  nodes: [
    { name: 'node', unit: '', meaning: 'Node name.' },
    { name: 't_s', unit: 's', meaning: 'Start of the time bucket; at most 200 buckets per run.' },
    { name: 'width_s', unit: 's', meaning: 'Length of the bucket.' },
    { name: 'alloc_<r>', unit: 'ratio', meaning: "The node's requested ÷ allocatable of resource r, mean over the bucket (0 where the node has none of r)." },
  ],
  pods: [
    { name: 'pod', unit: '', meaning: 'Creation order across the run (0, 1, 2 …); rows are in this order.' },
    { name: 'owner', unit: '', meaning: 'The service, job, stream, trace or platform component the pod belongs to.' },
    { name: 'kind', unit: '', meaning: 'service, job, stream, trace, daemonset or static (a control-plane static pod).' },
    { name: 'tenant', unit: '', meaning: 'Tenant of the owner.' },
    { name: 'priority', unit: '', meaning: 'Pod priority.' },
    { name: 'node', unit: '', meaning: 'Node the pod was bound to; empty when never bound.' },
    { name: 'arrival_s', unit: 's', meaning: 'When the pod was created.' },
    { name: 'bind_s', unit: 's', meaning: 'When it was bound to its node; empty when never bound.' },
    { name: 'start_s', unit: 's', meaning: 'When its containers started: bind_s plus image pulls and container start with a `runtime`, else bind_s; empty if they never did.' },
    { name: 'end_s', unit: 's', meaning: 'When it completed, finished terminating after preemption, or was turned away; empty while running or waiting at the end.' },
    { name: 'delay_s', unit: 's', meaning: 'bind_s − arrival_s; empty when never bound.' },
    { name: 'outcome', unit: '', meaning: 'completed, failed (a Job pod that exited non-zero), preempted, evicted (its node failed), never-fit, or at the end of the run running, terminating, lost (on a failed node, not yet evicted) or pending.' },
  ],
};
