/**
 * PodLifecycle (src/sim/pods.ts) on its own: creation or rejection, start,
 * completion, deletion by preemption with its grace period, loss on a
 * failed node — with a fake port that logs each announcement, so the traces
 * show the order in which the rest of the simulation hears of them.
 */
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import type { PodSlot } from '../src/core/ids.js';
import { PodState } from '../src/sim/pod-table.js';
import { PodLifecycle } from '../src/sim/pods.js';
import type { PodLifecyclePort } from '../src/sim/pods.js';
import { Bench, Gi, S, template } from './support/sim-unit.js';
import type { PodShape } from './support/sim-unit.js';

function lifecycleBench() {
  const bench = new Bench([{ cpu: 4, localVolumes: [{ storageClass: 'local', capacity: 10 * Gi, count: 1 }] }, { cpu: 4 }]);
  const port: PodLifecyclePort = {
    admitted: (slot, via) => bench.note(`admitted ${bench.name(slot)}${via ? ' via a controller' : ''}`),
    runningAtStart: () => false,
    unplaced: (slot) => bench.note(`unplaced ${bench.name(slot)}`),
    left: (slot, node, started, lost) => bench.note(`left ${bench.name(slot)} from n${node}${started ? ', started' : ''}${lost ? ', lost' : ''}`),
    volumesChanged: () => bench.note('volumes changed'),
    vacated: (node) => bench.note(`vacated n${node}`),
    ended: (job, fails) => bench.note(`ended: job ${job}, ${fails ? 'failed' : 'succeeded'}`),
    deleted: (slot) => bench.note(`deleted ${bench.name(slot)}`),
  };
  const pods = new PodLifecycle(bench.world, port);
  /** Creates a pod through pod lifecycle, named `name`. */
  const create = (name: string, shape: PodShape, job = -1): PodSlot | -1 => {
    bench.nameNext(name);
    return pods.create(template(name, shape), bench.requests(shape), (shape.seconds ?? -1) * S, job);
  };
  /** Creates a pod and, at `seconds`, holds it on `node` (as the bind stage would) and starts it. */
  const startAt = (seconds: number, name: string, shape: PodShape, node = 0, job = -1): PodSlot => {
    const slot = create(name, shape, job) as PodSlot;
    bench.at(seconds * S, () => {
      bench.hold(slot, node);
      pods.start(slot, asNode(node));
    });
    return slot;
  };
  return { bench, pods, create, startAt };
}

describe('PodLifecycle.create', () => {
  it('admits a pod, through the controller manager for controllers’ pods', () => {
    const { bench, create } = lifecycleBench();
    for (const kind of ['stream', 'service', 'job', 'daemonset', 'static', 'trace'] as const) create(kind, { cpu: 1, kind });
    expect(bench.log.filter(([, e]) => e.startsWith('admitted'))).toEqual([
      [0, 'admitted stream'],
      [0, 'admitted service via a controller'],
      [0, 'admitted job via a controller'],
      [0, 'admitted daemonset via a controller'],
      [0, 'admitted static'],
      [0, 'admitted trace'],
    ]);
  });

  it('rejects a pod no node could ever hold, with the reason, and frees its slot', () => {
    // The largest node has 4 CPU: 8 > 4.
    const { bench, pods, create } = lifecycleBench();
    expect(create('big', { cpu: 8 })).toBe(-1);
    expect(create('nowhere', { cpu: 1, nodeSelector: { zone: 'mars' } })).toBe(-1);
    // n0's only PV has 10 GiB: a 20 GiB claim can never bind.
    expect(create('huge-claim', { cpu: 1, volumeClaims: [{ name: 'data', storageClass: 'local', size: 20 * Gi }] })).toBe(-1);
    expect(bench.log).toEqual([
      [0, 'arrived big'],
      [0, 'rejected big: larger than every node: cpu 8 > largest allocatable 4'],
      [0, 'arrived nowhere'],
      [0, 'rejected nowhere: no node matches its nodeSelector and node affinity and has only taints it tolerates'],
      [0, 'arrived huge-claim'],
      [0, 'rejected huge-claim: no node it may run on has local persistent volumes of the classes and sizes its volume claims need'],
    ]);
    expect([pods.rejected, bench.pods.live, bench.cluster.volumes.claimsOf(0).length]).toEqual([3, 0, 0]);
  });
});

describe('PodLifecycle: a pod’s end', () => {
  it('completion: unbind → unplaced, finished, then vacate → left, claims released, vacated, then ended', () => {
    // a (2 CPU, 10 s, a 5 GiB claim bound to n0's PV) starts at 0 s and completes at 10 s.
    const { bench, pods, startAt } = lifecycleBench();
    const a = startAt(0, 'a', { cpu: 2, seconds: 10, volumeClaims: [{ name: 'data', storageClass: 'local', size: 5 * Gi }] });
    bench.at(0, () => bench.cluster.volumes.bind(bench.pods.volumes[a]!, asNode(0)));
    expect(bench.run().slice(2)).toEqual([
      [0, 'started a on n0'],
      [10, 'unplaced a'],
      [10, 'finished a on n0'],
      [10, 'left a from n0, started'],
      [10, 'volumes changed'],
      [10, 'vacated n0'],
      [10, 'ended: job -1, succeeded'],
    ]);
    expect([pods.completed, bench.pods.live, bench.cluster.requested[0]![0]]).toEqual([1, 0, 0]);
  });

  it('a Job pod whose run fails: counted failed, and its Job hears it failed', () => {
    const { bench, pods, startAt } = lifecycleBench();
    const a = startAt(0, 'a', { cpu: 2, seconds: 10, kind: 'job' }, 0, 3);
    bench.pods.fails[a] = 1;
    expect(bench.run().slice(3)).toEqual([
      [10, 'unplaced a'],
      [10, 'failed a on n0'],
      [10, 'left a from n0, started'],
      [10, 'vacated n0'],
      [10, 'ended: job 3, failed'],
    ]);
    expect([pods.completed, pods.failed]).toEqual([0, 1]);
  });

  it('preemption: deleted at once (its owner may replace it), terminated after the grace period, its completion no longer due', () => {
    // a (10 s) starts at 0 s, is preempted at 5 s: it holds its node until 5 + 30 = 35 s (the default grace);
    // b, with terminationGracePeriodSeconds 2, until 5 + 2 = 7 s. Neither completes at 10 s.
    const { bench, pods, startAt } = lifecycleBench();
    const a = startAt(0, 'a', { cpu: 1, seconds: 10 });
    const b = startAt(0, 'b', { cpu: 1, seconds: 10, terminationGracePeriodSeconds: 2 }, 1);
    bench.at(5 * S, () => {
      pods.preempt(a);
      pods.preempt(b);
    });
    bench.at(6 * S, () => bench.note(`a ${bench.pods.state[a] === PodState.Terminating ? 'terminating' : 'not terminating'}, n0 holds ${bench.cluster.requested[0]![0]}m`));
    expect(bench.run().filter(([t]) => t > 0)).toEqual([
      [5, 'deleted a'],
      [5, 'deleted b'],
      [6, 'a terminating, n0 holds 1000m'],
      [7, 'unplaced b'],
      [7, 'preempted b on n1'],
      [7, 'left b from n1, started'],
      [7, 'vacated n1'],
      [35, 'unplaced a'],
      [35, 'preempted a on n0'],
      [35, 'left a from n0, started'],
      [35, 'vacated n0'],
    ]);
    expect([pods.preempted, pods.completed]).toEqual([2, 0]);
  });

  it('a pod lost with its node keeps its node and requests, makes no progress, and leaves as lost when vacated', () => {
    const { bench, pods, startAt } = lifecycleBench();
    const a = startAt(0, 'a', { cpu: 1, seconds: 10 });
    bench.at(4 * S, () => pods.lose(a, asNode(0), 4 * S));
    bench.at(20 * S, () => {
      pods.unbind(a, asNode(0));
      pods.vacate(a, asNode(0), 20 * S);
    });
    bench.at(12 * S, () => bench.note(`n0 holds ${bench.cluster.requested[0]![0]}m, disrupted at ${bench.pods.disruptedAt[a]! / S} s`));
    expect(bench.run().filter(([t]) => t > 0)).toEqual([
      [4, 'lost a on n0'],
      [12, 'n0 holds 1000m, disrupted at 4 s'],
      [20, 'unplaced a'],
      [20, 'left a from n0, started, lost'],
      [20, 'vacated n0'],
    ]);
    expect(pods.completed).toBe(0);
  });
});
