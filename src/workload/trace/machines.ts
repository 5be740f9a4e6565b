/**
 * Machine events as node lifecycle. A trace whose machine table has ADD and
 * REMOVE events (the Google traces) says when each machine is in the
 * cluster; here that becomes, in replay time, the nodes of the run, the
 * nodes that join after its start and the nodes that fail (and come back).
 *
 * Times follow the pods' clock: the window's start is 0 and times are
 * divided by `compress`, so a machine removed between two arrivals is
 * removed between them in the replay too, and a machine's time out of the
 * cluster (REMOVE to the next ADD) shrinks by the same factor. Events at or
 * after the window's end are not replayed; events before its start only
 * decide whether the machine is up when the replay starts.
 *
 * Per machine, the times it is up form intervals; an interval that rounds to
 * no time at all is dropped, and two that touch are one (so a REMOVE and an
 * ADD at the same replay time change nothing). A machine never up in the
 * window is not a node. The first interval's start, if after 0, is a join;
 * each interval's end is a failure, repaired at the next interval's start.
 */
import type { TraceContext } from './issues.js';
import type { MachineChange, TraceFailure, TraceJoin, TraceMachines, TraceNode, TraceOptions } from './types.js';

/** Up intervals [start, end) of one machine in replay time, µs (end Infinity: to the end of the run). */
export function upIntervals(history: readonly MachineChange[], options: Pick<TraceOptions, 'window' | 'compress'>): [number, number][] {
  const { start, end } = options.window;
  const clock = (t: number): number => Math.round((t - start) / options.compress);
  // Files of one table come in time order, but a stable sort costs little and keeps same-time events in file order.
  const changes = [...history].sort((a, b) => a.at - b.at);
  const out: [number, number][] = [];
  const push = (from: number, to: number): void => {
    if (to <= from) return;
    const last = out[out.length - 1];
    if (last !== undefined && last[1] >= from) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  };
  let since: number | undefined;
  for (const c of changes) {
    if (c.at >= end) break;
    if (c.at < start) {
      since = c.up ? 0 : undefined;
      continue;
    }
    const at = clock(c.at);
    if (c.up) since ??= at;
    else if (since !== undefined) {
      push(since, at);
      since = undefined;
    }
  }
  if (since !== undefined) push(since, Infinity);
  return out;
}

/**
 * The replay's nodes, joins and failures from the machines the format read
 * and the machine events it kept in `ctx.machineHistory`. With
 * `machineEvents: ignore`, or when the files had no machine events, every
 * machine is a node for the whole run.
 */
export function machineLifecycle(machines: readonly TraceNode[], ctx: TraceContext): TraceMachines {
  const hasEvents = ctx.machineHistory.size > 0;
  if (!hasEvents || ctx.options.machineEvents === 'ignore') return { nodes: [...machines], joins: [], failures: [], hasEvents };
  const nodes: TraceNode[] = [];
  const joins: TraceJoin[] = [];
  const failures: TraceFailure[] = [];
  for (const m of machines) {
    const history = ctx.machineHistory.get(m.name);
    if (history === undefined) {
      nodes.push(m);
      continue;
    }
    const up = upIntervals(history, ctx.options);
    if (up.length === 0) continue;
    const node = nodes.length;
    nodes.push(m);
    if (up[0]![0] > 0) joins.push({ node, at: up[0]![0] });
    for (let i = 0; i < up.length; i++) {
      const down = up[i]![1];
      if (down === Infinity) break;
      const back = up[i + 1]?.[0];
      failures.push({ node, at: down, repairAfter: back === undefined ? undefined : back - down });
    }
  }
  return { nodes, joins, failures, hasEvents };
}
