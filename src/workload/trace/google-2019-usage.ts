/**
 * What each instance of a Google 2019 trace uses (the instance_usage table,
 * ClusterData2019.md and clusterdata_trace_format_v3.proto InstanceUsage):
 * one row per instance and measurement window (usually 5 minutes, from
 * start_time to end_time, µs), with the window's mean use
 * (`average_usage.cpus`, `average_usage.memory`) and its peak
 * (`maximum_usage.*`), in the same normalized units as requests. A pod's
 * usage is the time-weighted mean of its windows' average_usage: a constant
 * profile, what the usage model needs of a pod (TraceUsage); the peaks are
 * read and checked but not replayed.
 */
import type { HeaderColumns } from './format.js';

/** instance_usage: the columns read, then the table's other fields. */
export const INSTANCE_USAGE_COLUMNS: HeaderColumns = {
  required: ['start_time', 'end_time', 'collection_id', 'instance_index', 'average_usage.cpus', 'average_usage.memory'],
  optional: [
    'maximum_usage.cpus', 'maximum_usage.memory', 'machine_id', 'alloc_collection_id', 'alloc_instance_index', 'collection_type',
    'random_sample_usage.cpus', 'assigned_memory', 'page_cache_memory', 'cycles_per_instruction', 'memory_accesses_per_instruction',
    'sample_rate', 'cpu_usage_distribution', 'tail_cpu_usage_distribution',
  ],
};

/** Per instance (`collection_id/instance_index`), its windows' use summed over their lengths. */
export class InstanceUsageTable {
  private readonly sums = new Map<string, { cpu: number; memory: number; time: number }>();

  /** One window of an instance: [start, end) µs, mean CPU and memory in normalized units. */
  add(key: string, start: number, end: number, cpu: number, memory: number): void {
    const length = end - start;
    if (length <= 0) return;
    let s = this.sums.get(key);
    if (s === undefined) {
      s = { cpu: 0, memory: 0, time: 0 };
      this.sums.set(key, s);
    }
    s.cpu += cpu * length;
    s.memory += memory * length;
    s.time += length;
  }

  /** The instance's time-weighted mean use, normalized; undefined when it has no window. */
  mean(key: string): { cpu: number; memory: number } | undefined {
    const s = this.sums.get(key);
    return s === undefined ? undefined : { cpu: s.cpu / s.time, memory: s.memory / s.time };
  }
}
