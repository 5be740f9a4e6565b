/**
 * What every component stands on: the kernel's count of work events and its
 * last activity (src/sim/kernel.ts), the World's pod events recognised as
 * stale in one place and its policy contract check (src/sim/world.ts),
 * NodeStatus's node events and mask (src/sim/node-status.ts), and Arrivals
 * (src/sim/arrivals.ts).
 */
import { describe, expect, it } from 'vitest';
import { asNode, NO_NODE } from '../src/core/ids.js';
import type { PolicyFactory } from '../src/schedulers/types.js';
import { Arrivals } from '../src/sim/arrivals.js';
import { Kernel } from '../src/sim/kernel.js';
import { NodeStatus } from '../src/sim/node-status.js';
import { PodState } from '../src/sim/pod-table.js';
import { PolicyError } from '../src/sim/world.js';
import type { Submission } from '../src/workload/pod.js';
import { Bench, S, template } from './support/sim-unit.js';
import type { Line } from './support/sim-unit.js';

describe('Kernel: work events and last activity', () => {
  it('counts the work events scheduled and not yet handled; timers are not counted', () => {
    // Scheduled: work at 1 s, a timer at 2 s, work at 3 s → 2 work events. Each handler sees the count
    // without its own event: 1 at 1 s, still 1 at 2 s (a timer), 0 at 3 s.
    const kernel = new Kernel();
    const log: Line[] = [];
    const work = kernel.on(() => log.push([kernel.now / S, `work event, ${kernel.work} left`]), 'work');
    const timer = kernel.on(() => log.push([kernel.now / S, `timer, ${kernel.work} left`]), 'timer');
    kernel.schedule(1 * S, work);
    kernel.schedule(2 * S, timer);
    kernel.schedule(3 * S, work);
    expect(kernel.work).toBe(2);
    kernel.run();
    expect(log).toEqual([
      [1, 'work event, 1 left'],
      [2, 'timer, 1 left'],
      [3, 'work event, 0 left'],
    ]);
    expect(kernel.work).toBe(0);
  });

  it('the last activity is the last instant a handler touched, not the last event', () => {
    const kernel = new Kernel();
    const busy = kernel.on(() => kernel.touch());
    const idle = kernel.on(() => {}, 'timer');
    kernel.schedule(4 * S, busy);
    kernel.schedule(9 * S, idle);
    kernel.run();
    expect([kernel.now, kernel.lastActivity]).toEqual([9 * S, 4 * S]);
  });
});

describe('World: pod events', () => {
  it('runs a pod event only for the pod it was scheduled for, in the state it names; a stale one is counted as work but touches nothing', () => {
    // a's event at 5 s runs. b's (8 s) is stale: b's slot was freed and reused by c at 1 s. d's (9 s) asks for
    // Running, but d is Parked by then. The last activity is a's, at 5 s; 3 work events were counted until handled.
    const bench = new Bench([{ cpu: 4 }]);
    const { world, pods, kernel } = bench;
    const event = world.onPod((slot) => bench.note(`event for ${bench.name(slot)}`), PodState.Running);
    const a = bench.pod('a', { cpu: 1 });
    const b = bench.pod('b', { cpu: 1 });
    const d = bench.pod('d', { cpu: 1 });
    for (const s of [a, b, d]) pods.state[s] = PodState.Running;
    world.schedulePod(5 * S, event, a);
    world.schedulePod(8 * S, event, b);
    world.schedulePod(9 * S, event, d);
    expect(kernel.work).toBe(3);
    bench.at(1 * S, () => {
      pods.remove(b);
      const c = bench.pod('c', { cpu: 1 });
      bench.note(`c takes slot ${c} (b's was ${b})`);
      pods.state[c] = PodState.Running;
      pods.state[d] = PodState.Parked;
    });
    expect(bench.run()).toEqual([
      [1, `c takes slot ${b} (b's was ${b})`],
      [5, 'event for a'],
    ]);
    expect([kernel.now, kernel.lastActivity, kernel.work]).toEqual([9 * S, 5 * S, 0]);
  });

  it('decide: a policy choosing a node the pod does not fit on breaks its contract (PolicyError)', () => {
    const careless: PolicyFactory = () => ({ name: 'careless', place: () => asNode(0) });
    const bench = new Bench([{ cpu: 4 }, { cpu: 4 }], careless);
    expect(bench.world.decide(bench.pod('fits', { cpu: 4 }))).toBe(0);
    expect(() => bench.world.decide(bench.pod('big', { cpu: 5 }))).toThrow(PolicyError);
    const nowhere: PolicyFactory = () => ({ name: 'nowhere', place: () => NO_NODE });
    const other = new Bench([{ cpu: 4 }], nowhere);
    expect(other.world.decide(other.pod('any', { cpu: 1 }))).toBe(NO_NODE);
  });
});

describe('NodeStatus', () => {
  it('runs a node event only if no failure, repair or join happened to the node since it was scheduled', () => {
    const bench = new Bench([{ cpu: 4 }, { cpu: 4 }]);
    const status = new NodeStatus(bench.cluster, bench.policy);
    const event = status.onNode(bench.kernel, (node) => bench.note(`event for n${node}`));
    bench.kernel.schedule(5 * S, event, 0, status.epoch[0]!);
    bench.kernel.schedule(5 * S, event, 1, status.epoch[1]!);
    bench.at(2 * S, () => status.epoch[1]!++);
    expect(bench.run()).toEqual([[5, 'event for n0']]);
  });

  it('block and unblock move a node out of and back into the schedulable mask, telling the policy only on a change', () => {
    const changed: number[] = [];
    const watching: PolicyFactory = () => ({ name: 'watching', onNodeChanged: (node) => void changed.push(node) });
    const bench = new Bench([{ cpu: 4 }, { cpu: 4 }], watching);
    const status = new NodeStatus(bench.cluster, bench.policy);
    status.block(asNode(1));
    status.block(asNode(1));
    expect([[...bench.cluster.schedulable], bench.cluster.unschedulableCount]).toEqual([[1, 0], 1]);
    status.unblock(asNode(1));
    status.unblock(asNode(1));
    expect([[...bench.cluster.schedulable], bench.cluster.unschedulableCount]).toEqual([[1, 1], 0]);
    expect(changed).toEqual([1, 1]);
  });
});

describe('Arrivals', () => {
  const pod = (owner: string, seconds: number): Submission => ({ kind: 'pod', template: template(owner), arrival: seconds * S, duration: -1, requests: new Float64Array(5) });
  const arrivals = (list: Submission[], until?: number) => {
    const kernel = new Kernel();
    const log: Line[] = [];
    const source = list[Symbol.iterator]();
    const a = new Arrivals(kernel, { next: () => source.next() }, until, (s) => log.push([kernel.now / S, s.template.owner]));
    return { kernel, log, a };
  };

  it('hands over every submission due at an instant in one event, in order, and stops at `until`', () => {
    const { kernel, log, a } = arrivals([pod('a', 0), pod('b', 2), pod('c', 2), pod('d', 7)], 5 * S);
    a.begin();
    kernel.run({ until: 5 * S });
    expect(log).toEqual([
      [0, 'a'],
      [2, 'b'],
      [2, 'c'],
    ]);
    expect(kernel.processed).toBe(2);
    // d is due after `until`: never scheduled, but still pending in the workload.
    expect(a.pending).toBe(true);
  });

  it('refuses a workload that goes back in time', () => {
    const { kernel, a } = arrivals([pod('a', 3), pod('b', 1)]);
    a.begin();
    expect(() => kernel.run()).toThrow(/back in time/);
  });
});
