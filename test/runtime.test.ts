/**
 * Container start-up (`runtime`): image pulls over the node's NIC, serialized
 * or shared, the image cache and its garbage collection, worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Micros, NodeIndex, PodSlot } from '../src/core/ids.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';

const S = 1_000_000;

class Starts implements SimObserver {
  pods!: PodTable;
  readonly started: [string, number][] = [];
  readonly finished: [string, number][] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podStarted(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.started.push([this.pods.template[slot]!.owner, now / S]);
  }
  podFinished(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.finished.push([this.pods.template[slot]!.owner, now / S]);
  }
}

/**
 * One node on 1 Gb/s (125 MB/s). At t = 0: a and a2 need image A (250 MB),
 * b needs image B (125 MB); each runs 10 s; containers start 1 s after their
 * images are on the node.
 */
function scenario(runtime: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const pod = (name: string, image: string) => ({
    name,
    arrival: { process: 'burst', at: ['0s'], size: 1 },
    duration: '10s',
    requests: { cpu: 1, memory: '1Gi' },
    images: [image],
  });
  return {
    name: 'runtime-by-hand',
    cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 8, memory: '16Gi', nvme: '10G', nic: '1G' } }] },
    workload: { streams: [pod('a', 'A'), pod('a2', 'A'), pod('b', 'B')] },
    runtime: { images: { A: '250M', B: '125M' }, containerStart: '1s', ...runtime },
    ...extra,
  };
}

function run(data: unknown) {
  const obs = new Starts();
  const prepared = prepareRun({ scenario: scenarioFromData(data, 'by-hand'), source: 'by-hand', scheduler: 'first-fit', queue: 'fifo', seed: 1 }, undefined, [obs]);
  prepared.sim.run();
  return { obs, metrics: prepared.metrics.result() };
}

describe('container start-up worked out by hand', () => {
  it('serialized pulls (the kubelet default): A takes 2 s, then B 1 s; a2 shares A’s pull', () => {
    const { obs, metrics } = run(scenario({}));
    expect(obs.started).toEqual([
      ['a', 3],
      ['a2', 3],
      ['b', 4],
    ]);
    // Run time counts from the start.
    expect(obs.finished).toEqual([
      ['a', 13],
      ['a2', 13],
      ['b', 14],
    ]);
    expect(metrics.image_bytes_pulled).toBe(375e6);
    expect(metrics.image_bytes_pulled_node_max).toBe(375e6);
    // Start-ups [3, 3, 4] s: type-7 median 3, p99 3 + 0.98 · (4 − 3).
    expect(metrics.startup_p50_s).toBe(3);
    expect(metrics.startup_p99_s).toBeCloseTo(3.98, 9);
  });

  it('parallel pulls share the NIC: B is done at 2 s (62.5 MB/s), then A alone at 3 s', () => {
    const { obs } = run(scenario({ serializeImagePulls: false }));
    expect(obs.started).toEqual([
      ['b', 3],
      ['a', 4],
      ['a2', 4],
    ]);
  });

  it('an image already on the node is not pulled', () => {
    const data = scenario({});
    data.cluster.pools[0] = { ...data.cluster.pools[0]!, images: [{ names: ['A'], sizeBytes: '250M' }] } as (typeof data.cluster.pools)[0];
    const { obs, metrics } = run(data);
    expect(obs.started).toEqual([
      ['a', 1],
      ['a2', 1],
      ['b', 2],
    ]);
    expect(metrics.image_bytes_pulled).toBe(125e6);
  });

  it('garbage-collects unused images past the high threshold, least recently used first', () => {
    // A 1 GB disk holding an unused 500 MB image: pulling A (250 MB) makes 75 %, under 85 %: kept.
    // Then at 20 s, c needs C (300 MB): 105 % > 85 %: "old" (unused, oldest) goes → 55 %.
    // At 40 s, d needs "old" again: pulled anew (4 s).
    const data = {
      name: 'gc-by-hand',
      cluster: {
        pools: [{ name: 'node', count: 1, capacity: { cpu: 8, memory: '16Gi', nvme: '1G', nic: '1G' }, images: [{ names: ['old'], sizeBytes: '500M' }] }],
      },
      workload: {
        streams: [
          { name: 'a', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '10s', requests: { cpu: 1 }, images: ['A'] },
          { name: 'c', arrival: { process: 'burst', at: ['20s'], size: 1 }, duration: '10s', requests: { cpu: 1 }, images: ['C'] },
          { name: 'd', arrival: { process: 'burst', at: ['40s'], size: 1 }, duration: '10s', requests: { cpu: 1 }, images: ['old'] },
        ],
      },
      runtime: { images: { A: '250M', C: '300M' }, containerStart: '1s' },
    };
    const { obs, metrics } = run(data);
    expect(obs.started).toEqual([
      ['a', 3],
      ['c', 23.4],
      ['d', 45],
    ]);
    expect(metrics.image_bytes_pulled).toBe(250e6 + 300e6 + 500e6);
  });

  it('names an image without a size', () => {
    const data = scenario({ images: { A: '250M' } });
    expect(() => scenarioFromData(data, 'r.yaml')).toThrow(/workload\.streams\[2\]\.images\[0\]: image "B" has no size/);
  });

  it('pulls at the NIC the node has, whatever an over-committed scheduler sees of it', () => {
    // pullShare 0.5 of a 1 Gb/s NIC over-committed 4×: pulls get 0.5 Gb/s (62.5 MB/s), not half of the 4 Gb/s the
    // scheduler sees. A (250 MB) takes 4 s, then B (125 MB) 2 s; containers start 1 s after.
    const pools = [{ name: 'node', count: 1, capacity: { cpu: 8, memory: '16Gi', nvme: '10G', nic: '1G' } }];
    const { obs } = run(scenario({ pullShare: 0.5 }, { cluster: { overcommit: { nic: 4 }, pools } }));
    expect(obs.started).toEqual([
      ['a', 5],
      ['a2', 5],
      ['b', 7],
    ]);
  });

  it('refuses a pool without a NIC, over which no pull could ever finish (its pods would never start)', () => {
    const data = scenario({}, { cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 8, memory: '16Gi' } }] } });
    expect(() => scenarioFromData(data, 'r.yaml')).toThrow(/cluster\.pools\[0\]\.capacity\.nic: pool "node" has no nic capacity/);
  });
});

describe('image pulls share the NIC with running pods (contention modelled)', () => {
  /**
   * One node on 1 Gb/s (125 MB/s); containers start at once. `net` has no
   * image and starts at 0: 10 s of batch work demanding `nic` of the NIC.
   * `p` needs image A (250 MB), then runs 10 s using no NIC.
   */
  function shared(nic: string) {
    const stream = (name: string, fields: Record<string, unknown>) => ({ name, arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '10s', requests: { cpu: 1, memory: '1Gi' }, ...fields });
    return run({
      name: 'pull-shares-nic',
      cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 8, memory: '16Gi', nvme: '10G', nic: '1G' } }] },
      workload: { streams: [stream('net', { usage: { nic } }), stream('p', { images: ['A'] })] },
      runtime: { images: { A: '250M' }, containerStart: '0s' },
    });
  }

  it('a pull beside a pod that wants the whole NIC gets half: 4 s instead of 2, and the pod loses 2 s', () => {
    // Max-min between two flows each wanting 1 Gb/s: 0.5 Gb/s each. The pull: 250 MB at 62.5 MB/s = 4 s.
    // net in those 4 s does 2 s of its work at half speed, then the last 8 s alone: ends at 12 s (alone: 10 s).
    const { obs, metrics } = shared('1G');
    expect(obs.started).toEqual([
      ['net', 0],
      ['p', 4],
    ]);
    expect(obs.finished).toEqual([
      ['net', 12],
      ['p', 14],
    ]);
    // Slowdowns 1.2 (net) and 1 (p): type-7 p50 1.1.
    expect(metrics.slowdown_p50).toBeCloseTo(1.1, 12);
  });

  it('max-min, not an equal split: a pod wanting 250 Mb/s keeps it, the pull takes the other 750 Mb/s', () => {
    // 250 MB at 93.75 MB/s = 2.666… s, the event at the next whole µs: 2.666667 s.
    const { obs } = shared('250M');
    expect(obs.started).toEqual([
      ['net', 0],
      ['p', 2.666667],
    ]);
    expect(obs.finished).toEqual([
      ['net', 10],
      ['p', 12.666667],
    ]);
  });
});
