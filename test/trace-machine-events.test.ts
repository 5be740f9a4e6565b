/**
 * Machine events of the Google traces as node lifecycle: joins, failures and
 * repairs from hand-made rows, under the time window and compression; a
 * replay worked out by hand (a pod waits for its node to join; pods on a
 * removed machine are lost at once and evicted 50 + 300 s later); the
 * machineEvents option; and the real samples, which have no machine events.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Micros, NodeIndex, PodSlot } from '../src/core/ids.js';
import { inspectTrace } from '../src/runner/trace-inspect.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { upIntervals } from '../src/workload/trace/machines.js';
import type { TraceRef } from '../src/workload/trace/options.js';
import { openTrace, traceMachines, traceNodes } from '../src/workload/trace/replay.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { describeWithShared, sharedPath } from './support/shared-data.js';

const S = 1_000_000;

function files(contents: Record<string, string>): string[] {
  const dir = tempDir();
  return Object.entries(contents).map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  });
}

/** Nodes by name, joins and failures by node name, times in seconds. */
function lifecycle(ref: TraceRef) {
  const t = openTrace(ref, 'test');
  const m = traceMachines(t);
  const name = (i: number) => m.nodes[i]!.name;
  return {
    nodes: m.nodes.map((n) => n.name),
    joins: m.joins.map((j) => `${name(j.node)}@${j.at / S}`),
    failures: m.failures.map((f) => `${name(f.node)}@${f.at / S}${f.repairAfter === undefined ? '' : `+${f.repairAfter / S}`}`),
    hasEvents: m.hasEvents,
    t,
  };
}

// Google 2011 machine_events: time (µs), machine_id, event_type (0 ADD, 1 REMOVE, 2 UPDATE), platform_id, cpus, memory.
const MACHINES_2011 = [
  '0,1,0,p,0.5,0.5', // ADD at the start
  '0,2,0,p,1,1', // ADD at the start
  '5000000,3,0,p,1,1', // ADD later: joins at 5 s
  '10000000,1,2,p,0.25,', // UPDATE: capacity only
  '20000000,2,1,p,,', // REMOVE …
  '30000000,5,0,p,1,1',
  '40000000,5,1,p,,', // REMOVE and ADD at the same time: no failure
  '40000000,5,0,p,1,1',
  '50000000,2,0,p,1,1', // … and ADD again 30 s later: a failure repaired after 30 s
  '60000000,3,1,p,,', // REMOVE for good: a failure without repair
  '70000000,4,0,p,1,1', // ADD and REMOVE at the same time: never up, not a node
  '70000000,4,1,p,,',
  '80000000,9,1,p,,', // REMOVE of a machine never added: unmatched
].join('\n');

describe('google-2011 machine events', () => {
  const machines = () => files({ 'machine_events.csv': MACHINES_2011 });

  it('ADD after the start is a join, REMOVE a failure repaired at the next ADD, UPDATE nothing', () => {
    const r = lifecycle({ format: 'google-2011', files: machines() });
    expect(r.nodes).toEqual(['1', '2', '3', '5']);
    expect(r.joins).toEqual(['3@5', '5@30']);
    expect(r.failures).toEqual(['2@20+30', '3@60']);
    expect(r.hasEvents).toBe(true);
    expect(r.t.ctx.counts).toMatchObject({ rows: 13, rejected: 0, removedMachines: 4, unmatched: 1 });
    // The UPDATE changed machine 1's CPU, not its lifecycle.
    expect(traceNodes(openTrace({ format: 'google-2011', files: machines(), options: { machineCpu: '64' } }, 'test'))[0]).toMatchObject({ name: '1', cpu: 16_000 });
  });

  it('the window: events before it decide who is up at 0, events from its end on are not replayed', () => {
    // Window 10 s .. 55 s: machine 3 (added at 5 s) is up from 0; 2 fails at 20 − 10 and is back at 50 − 10;
    // 3's removal (60 s) and machine 4 (70 s) are past the end.
    const r = lifecycle({ format: 'google-2011', files: machines(), options: { window: '10s..55s' } });
    expect(r.nodes).toEqual(['1', '2', '3', '5']);
    expect(r.joins).toEqual(['5@20']);
    expect(r.failures).toEqual(['2@10+30']);
    // Window 65 s ..: machine 3 was removed before it and never came back; machine 4 is never up.
    const late = lifecycle({ format: 'google-2011', files: machines(), options: { window: '65s..' } });
    expect(late.nodes).toEqual(['1', '2', '5']);
    expect(late.joins).toEqual([]);
    expect(late.failures).toEqual([]);
  });

  it('compression divides machine event times as it divides arrivals, so downtime shrinks too', () => {
    expect(lifecycle({ format: 'google-2011', files: machines(), options: { compress: 2 } })).toMatchObject({
      joins: ['3@2.5', '5@15'],
      failures: ['2@10+15', '3@30'],
    });
    // Window and compression together: (t − 10 s) / 4.
    expect(lifecycle({ format: 'google-2011', files: machines(), options: { window: '10s..', compress: 4 } })).toMatchObject({
      joins: ['5@5'],
      failures: ['2@2.5+7.5', '3@12.5'],
    });
  });

  it('machineEvents=ignore: every machine ADDed is a node for the whole run', () => {
    const r = lifecycle({ format: 'google-2011', files: machines(), options: { machineEvents: 'ignore' } });
    expect(r.nodes).toEqual(['1', '2', '3', '5', '4']);
    expect(r.joins).toEqual([]);
    expect(r.failures).toEqual([]);
    expect(r.t.ctx.counts.removedMachines).toBe(4);
  });

  it('a bad machineEvents value names the option and its values', () => {
    expect(() => openTrace({ format: 'google-2011', files: machines(), options: { machineEvents: 'sometimes' } }, 'here')).toThrow(
      'here: trace option machineEvents: expected failures or ignore (what machine ADD and REMOVE events do), got "sometimes"',
    );
  });
});

describe('google-2019 machine events (type 1 ADD, 2 REMOVE, 3 UPDATE)', () => {
  const header = 'time,machine_id,type,switch_id,capacity.cpus,capacity.memory,platform_id';
  const rows = [
    '0,11,1,s1,0.5,0.5,p', // ADD at the start
    '0,12,1,s1,1,1,p',
    '0,14,1,s2,1,1,p',
    '7000000,13,1,s2,1,1,p', // ADD later: joins at 7 s
    '8000000,11,3,s1,0.25,,p', // UPDATE: nothing
    '9000000,12,2,s1,,,p', // REMOVE, ADD 91 s later
    '9500000,14,0,s2,,,p', // type 0 (EVENT_TYPE_UNKNOWN): a bad row
    '100000000,12,1,s1,1,1,p',
    '120000000,14,2,s2,,,p', // REMOVE without return
  ];

  it('maps the 2019 codes, not the 2011 ones', () => {
    const [m] = files({ 'machine_events.csv': `${header}\n${rows.join('\n')}\n` });
    const r = lifecycle({ format: 'google-2019', files: [m!] });
    expect(r.nodes).toEqual(['11', '12', '14', '13']);
    expect(r.joins).toEqual(['13@7']);
    expect(r.failures).toEqual(['12@9+91', '14@120']);
    expect(r.t.ctx.issues.map((i) => `${i.line}:${i.field}`)).toEqual(['8:type']);
    // Window 60 s .. 110 s, compressed 5×: 12 is down at the start ((100 − 60) / 5 = 8 s: a join), 14's removal is past the end.
    const w = lifecycle({ format: 'google-2019', files: [m!], options: { window: '60s..110s', compress: 5 } });
    expect(w.nodes).toEqual(['11', '12', '14', '13']);
    expect(w.joins).toEqual(['12@8']);
    expect(w.failures).toEqual([]);
  });

  it('JSON lines too', () => {
    const [m] = files({
      'machine_events.json': [
        '{"time":"0","machine_id":"1","type":1,"capacity":{"cpus":1,"memory":1}}',
        '{"time":"4000000","machine_id":"1","type":2}',
        '{"time":"6000000","machine_id":"1","type":1,"capacity":{"cpus":1,"memory":1}}',
      ].join('\n'),
    });
    expect(lifecycle({ format: 'google-2019', files: [m!] }).failures).toEqual(['1@4+2']);
  });
});

describe('up intervals', () => {
  const w = { window: { start: 0, end: Infinity }, compress: 1 };
  it('merges intervals that touch and drops those that round to nothing', () => {
    const up = (at: number) => ({ at, up: true });
    const down = (at: number) => ({ at, up: false });
    expect(upIntervals([up(0), down(10), up(10), down(20)], w)).toEqual([[0, 20]]);
    expect(upIntervals([up(0), down(10), up(30)], w)).toEqual([[0, 10], [30, Infinity]]);
    // A second ADD while up, a REMOVE while down: nothing.
    expect(upIntervals([up(5), up(7), down(9), down(11)], w)).toEqual([[5, 9]]);
    // Compressed 4×, 1 µs up rounds to nothing; out-of-order rows are put in time order.
    expect(upIntervals([down(101), up(100)], { ...w, compress: 4 })).toEqual([]);
    expect(upIntervals([down(8), up(0), up(20)], { ...w, compress: 4 })).toEqual([[0, 2], [5, Infinity]]);
  });
});

/** What happens to nodes and pods, by simulated second; pods by their trace job. */
class Log implements SimObserver {
  pods!: PodTable;
  readonly events: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  private name(slot: PodSlot): string {
    return this.pods.template[slot]!.owner;
  }
  nodeFailed(node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} fail ${node}`);
  }
  nodeRepaired(node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} repair ${node}`);
  }
  podBound(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} bind ${this.name(slot)} → ${node}`);
  }
  podLost(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} lost ${this.name(slot)} on ${node}`);
  }
  podEvicted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} evict ${this.name(slot)} from ${node}`);
  }
  podRestarted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} restart ${this.name(slot)} on ${node}`);
  }
  podFinished(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} finish ${this.name(slot)} on ${node}`);
  }
}

describe('a replay worked out by hand (first-fit, FIFO; NotReady 50 s after a removal, eviction 300 s later)', () => {
  /**
   * Machines 1 and 2 (4 CPUs each) from the start, 3 joins at 30 s; 1 is
   * removed at 100 s for good, 2 at 200 s and added again at 260 s. Jobs a
   * and b take a whole machine each at 0 s and never end; c (a whole
   * machine) arrives at 10 s, when there is no room, and d (a whole machine,
   * 50 s) at 120 s.
   */
  const trace = () =>
    files({
      'machine_events.csv': [
        '0,1,0,p,1,1',
        '0,2,0,p,1,1',
        '30000000,3,0,p,1,1',
        '100000000,1,1,p,,',
        '200000000,2,1,p,,',
        '260000000,2,0,p,1,1',
      ].join('\n'),
      'task_events.csv': [
        '0,,a,0,,0,u,0,0,1,0.25,0,0',
        '0,,b,0,,0,u,0,0,1,0.25,0,0',
        '10000000,,c,0,,0,u,0,0,1,0.25,0,0',
        '120000000,,d,0,,0,u,0,0,1,0.25,0,0',
        '120000000,,d,0,,1,u,0,0,,,,',
        '170000000,,d,0,,4,u,0,0,,,,',
      ].join('\n'),
    });

  function replay(options: Record<string, unknown> = {}, until = '1000s') {
    const scenario = {
      name: 'machine-events-by-hand',
      cluster: { pools: [{ name: 'unused', count: 0, capacity: { cpu: 1 } }] },
      workload: {},
      simulation: { until },
      trace: { format: 'google-2011', files: trace(), options: { machineCpu: '4', machineMemory: '8Gi', ...options } },
    };
    const log = new Log();
    const prepared = prepareRun({ scenario: scenarioFromData(scenario, 'by-hand'), source: 'by-hand', scheduler: 'first-fit', queue: 'fifo', seed: 1 }, undefined, [log]);
    const census = prepared.sim.run();
    return { log: log.events, census, nodes: prepared.cluster.nodes.map((n) => n.name) };
  }

  it('c waits for machine 3 to join; a is lost at 100 s and evicted at 450 s; b is lost at 200 s and restarted at 260 s', () => {
    const { log, nodes } = replay();
    expect(nodes).toEqual(['1', '2', '3']);
    expect(log).toEqual([
      '0 bind a → 0',
      '0 bind b → 1',
      '30 bind c → 2',
      '100 lost a on 0',
      '100 fail 0',
      // d (120 s) never runs: no room on 1 and 2, and 0 runs nothing — not even once a's eviction frees its CPUs.
      '200 lost b on 1',
      '200 fail 1',
      '260 repair 1',
      '260 restart b on 1',
      '450 evict a from 0',
    ]);
  });

  it('compress=2: arrivals and machine events on one clock, halved; durations kept', () => {
    const { log } = replay({ compress: 2 });
    expect(log).toEqual([
      '0 bind a → 0',
      '0 bind b → 1',
      '15 bind c → 2',
      '50 lost a on 0',
      '50 fail 0',
      '100 lost b on 1',
      '100 fail 1',
      '130 repair 1',
      '130 restart b on 1',
      '400 evict a from 0',
    ]);
  });

  it('machineEvents=ignore: no joins, no failures (the old fixed cluster)', () => {
    const { log } = replay({ machineEvents: 'ignore' });
    expect(log).toEqual(['0 bind a → 0', '0 bind b → 1', '10 bind c → 2']);
  });

  it('the scenario’s own failures apply beside the trace’s', () => {
    const scenario = {
      name: 'both',
      cluster: { pools: [{ name: 'unused', count: 0, capacity: { cpu: 1 } }] },
      workload: {},
      simulation: { until: '1000s' },
      failures: [{ at: '40s', names: ['3'] }],
      trace: { format: 'google-2011', files: trace(), options: { machineCpu: '4', machineMemory: '8Gi' } },
    };
    const log = new Log();
    prepareRun({ scenario: scenarioFromData(scenario, 'by-hand'), source: 'by-hand', scheduler: 'first-fit', queue: 'fifo', seed: 1 }, undefined, [log]).sim.run();
    expect(log.events.filter((e) => e.includes('fail') || e.includes('evict'))).toEqual([
      '40 fail 2',
      '100 fail 0',
      '200 fail 1',
      '390 evict c from 2',
      '450 evict a from 0',
    ]);
  });
});

describe('rackbench trace inspect with machine events', () => {
  it('--json adds joins, removals and repairs after the existing keys; the table shows them', async () => {
    const [m] = files({ 'machine_events.csv': MACHINES_2011 });
    const r = await runMain('trace', 'inspect', 'google-2011', m!, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['rows', 'rejected', 'nodes', 'pods', 'capacity', 'span_s', 'joins', 'removals', 'repairs']);
    expect(json).toMatchObject({ rows: 13, rejected: 0, nodes: 4, pods: 0, joins: 2, removals: 2, repairs: 1 });
    const table = await runMain('trace', 'inspect', 'google-2011', m!, '--option', 'window=10s..55s');
    expect(table.stdout).toMatch(/\n\s+joins\s+1 \(machines added after the start\)\n\s+removals\s+1 \(node failures; 1 added again within the window\)\n/);
    const ignored = await runMain('trace', 'inspect', 'google-2011', m!, '--option', 'machine-events=ignore', '--json');
    expect(JSON.parse(ignored.stdout)).toMatchObject({ nodes: 5, joins: 0, removals: 0, repairs: 0 });
    const bad = await runMain('trace', 'inspect', 'google-2011', m!, '--option', 'machineEvents=yes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('trace option machineEvents: expected failures or ignore');
  });

  it('a trace without machine events keeps exactly the old keys', () => {
    const summary = inspectTrace('csv', files({ 'nodes.csv': 'node,cpu,memory\nn1,4,8Gi\n' })).summary;
    expect(Object.keys(summary)).toEqual(['rows', 'rejected', 'nodes', 'pods', 'capacity', 'span_s']);
  });
});

const MACHINE_META = sharedPath('data', 'traces', 'alibaba_v2018_machine_meta_first_row_per_machine.csv');
const NODE_LIST = sharedPath('data', 'traces', 'alibaba_gpu2023_openb_node_list_all_node.csv');

describeWithShared('real samples (no machine ADD/REMOVE events): the same nodes either way', [MACHINE_META, NODE_LIST], () => {
  it.each(['failures', 'ignore'])('machineEvents=%s: 4,034 Alibaba 2018 machines and 1,523 GPU nodes, none joining or failing', (mode) => {
    for (const [format, file, count] of [['alibaba-2018', MACHINE_META, 4034], ['alibaba-gpu2023', NODE_LIST, 1523]] as const) {
      const r = lifecycle({ format, files: [file], options: { machineEvents: mode, window: '1h..2h' } });
      expect(r.nodes).toHaveLength(count);
      expect([r.joins, r.failures, r.hasEvents]).toEqual([[], [], false]);
      expect(r.t.ctx.counts.rejected).toBe(0);
    }
  });
});
