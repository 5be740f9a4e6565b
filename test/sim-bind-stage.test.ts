/**
 * BindStage (src/sim/bind-stage.ts) on its own: place = Reserve → Permit,
 * commit = Bind, against a real World and a fake port that logs what the
 * stage announces. The policy logs the hooks the stage calls on it.
 */
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { firstFit } from '../src/schedulers/first-fit.js';
import type { PolicyFactory } from '../src/schedulers/types.js';
import { BindStage } from '../src/sim/bind-stage.js';
import type { BindStagePort } from '../src/sim/bind-stage.js';
import { PodState } from '../src/sim/pod-table.js';
import { PolicyError } from '../src/sim/world.js';
import { Bench, Gi, S } from './support/sim-unit.js';
import type { NodeShape } from './support/sim-unit.js';

function bindBench(nodes: readonly NodeShape[] = [{ cpu: 4 }, { cpu: 4 }]) {
  // first-fit, logging the hooks the stage calls (into the bench's log, once there is a bench).
  let note = (_event: string): void => {};
  const logged: PolicyFactory = (ctx) => {
    const inner = firstFit(ctx);
    return {
      ...inner,
      onBind: (pod, node) => {
        note(`policy onBind ${pod.owner} on n${node}`);
        inner.onBind?.(pod, node);
      },
    };
  };
  const bench = new Bench(nodes, logged);
  note = (event) => bench.note(event);
  const down = new Uint8Array(nodes.length);
  const line = (what: string) => (slot: PodSlot, node: NodeIndex) => bench.note(`${what} ${bench.name(slot)} on n${node}`);
  const port: BindStagePort = {
    placed: (slot, node, claimed) => bench.note(`placed ${bench.name(slot)} on n${node}, ${claimed} claims bound`),
    permit: line('permit'),
    lost: line('lost'),
    bind: line('bind'),
    launch: line('launch'),
  };
  return { bench, down, stage: new BindStage(bench.world, down, port) };
}

describe('BindStage.place: Reserve, then Permit', () => {
  it('reserves the requests, marks the pod assumed on the node, tells the policy, then announces placed and permit', () => {
    const { bench, stage } = bindBench();
    const a = bench.pod('a', { cpu: 3, memory: 1 });
    bench.at(5 * S, () => stage.place(a, asNode(1)));
    expect(bench.run()).toEqual([
      [5, 'policy onBind a on n1'],
      [5, 'placed a on n1, 0 claims bound'],
      [5, 'permit a on n1'],
    ]);
    expect([bench.cluster.requested[0]![1], bench.cluster.requested[1]![1]]).toEqual([3000, Gi]);
    expect([bench.pods.state[a], bench.pods.node[a], bench.pods.bindAt[a]]).toEqual([PodState.Running, 1, 5 * S]);
  });

  it('refuses an over-commit with a PolicyError and changes nothing', () => {
    // n0 has 4000m; a holds 3000m; b asks 2000m: 3000 + 2000 > 4000.
    const { bench, stage } = bindBench();
    const a = bench.pod('a', { cpu: 3 });
    const b = bench.pod('b', { cpu: 2 });
    stage.place(a, asNode(0));
    expect(() => stage.place(b, asNode(0))).toThrow(PolicyError);
    expect(() => stage.place(b, asNode(0))).toThrow(/over-commit/);
    expect(bench.cluster.requested[0]![0]).toBe(3000);
    expect(bench.pods.state[b]).toBe(PodState.Queued);
    expect(bench.log.filter(([, e]) => e.includes(' b '))).toEqual([]);
  });

  it('binds the pod’s volume claims to PVs on the node at Reserve', () => {
    // n0 has one 10 GiB "local" PV, n1 none. a's 5 GiB claim takes n0's PV; b's finds none left there.
    const { bench, stage } = bindBench([{ cpu: 4, localVolumes: [{ storageClass: 'local', capacity: 10 * Gi, count: 1 }] }, { cpu: 4 }]);
    const claims = [{ name: 'data', storageClass: 'local', size: 5 * Gi }];
    const a = bench.pod('a', { cpu: 1, volumeClaims: claims });
    const b = bench.pod('b', { cpu: 1, volumeClaims: claims });
    stage.place(a, asNode(0));
    expect(bench.log).toContainEqual([0, 'placed a on n0, 1 claims bound']);
    const volumes = bench.cluster.volumes;
    const claim = volumes.claimsOf(bench.pods.volumes[a]!)[0]!;
    expect(volumes.pvNode[volumes.claimPv[claim]!]).toBe(0);
    expect(() => stage.place(b, asNode(0))).toThrow(/volume claims/);
    // Refused before Reserve: only a's 1000m on n0.
    expect(bench.cluster.requested[0]![0]).toBe(1000);
  });
});

describe('BindStage.commit: Bind', () => {
  it('binds at the time of the commit and hands the pod to its kubelet', () => {
    const { bench, stage } = bindBench();
    const a = bench.pod('a', { cpu: 1 });
    stage.place(a, asNode(0));
    bench.at(7 * S, () => stage.commit(a, asNode(0)));
    expect(bench.run().slice(3)).toEqual([
      [7, 'bound a on n0'],
      [7, 'bind a on n0'],
    ]);
    expect(bench.pods.bindAt[a]).toBe(7 * S);
    expect(bench.pods.state[a]).toBe(PodState.Running);
  });

  it('a pod bound to a node that is down (failed before the scheduler knew) is lost, never launched', () => {
    const { bench, stage, down } = bindBench();
    const a = bench.pod('a', { cpu: 1 });
    stage.place(a, asNode(0));
    down[0] = 1;
    bench.at(7 * S, () => stage.commit(a, asNode(0)));
    expect(bench.run().slice(3)).toEqual([
      [7, 'bound a on n0'],
      [7, 'lost a on n0'],
    ]);
    expect(bench.pods.state[a]).toBe(PodState.Lost);
    // It still holds its requests on the node until it is evicted or the node returns.
    expect(bench.cluster.requested[0]![0]).toBe(1000);
  });
});
