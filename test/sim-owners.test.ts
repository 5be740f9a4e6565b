/**
 * Owners (src/sim/controllers/owners.ts) and the controllers behind it —
 * ReplicaSet, StatefulSet, DaemonSet, Job, bare pods — on their own: what
 * each does when its pod is deleted by preemption or by the node lifecycle
 * controller. Pods are created through a fake `create` that logs.
 */
import { describe, expect, it } from 'vitest';
import type { PodSlot } from '../src/core/ids.js';
import { JobController } from '../src/sim/controllers/job.js';
import { Owners } from '../src/sim/controllers/owners.js';
import type { CreateReplica } from '../src/sim/controllers/replicaset.js';
import { Gi, S, Bench, template } from './support/sim-unit.js';
import type { PodShape } from './support/sim-unit.js';

function ownersBench() {
  const bench = new Bench([{ cpu: 4, localVolumes: [{ storageClass: 'local', capacity: 10 * Gi, count: 2 }] }]);
  let made = 0;
  const create: CreateReplica = (tmpl, requests, duration, job, _usage, claims = -1) => {
    const name = `${tmpl.owner}-r${++made}`;
    bench.note(`create ${name}: job ${job}, claims ${claims}, ${duration < 0 ? 'runs until deleted' : `runs ${duration / S} s`}`);
    bench.nameNext(name);
    const volumes = claims >= 0 ? claims : tmpl.volumeClaims === undefined ? -1 : bench.cluster.volumes.createSet(tmpl.volumeClaims);
    return bench.pods.add(tmpl, requests, bench.kernel.now, duration, bench.world.eligibility.classOf(tmpl), job, volumes);
  };
  const jobs = new JobController(bench.world, create);
  const owners = new Owners(bench.world, jobs, create);
  const pod = (name: string, shape: PodShape) => bench.pod(name, shape);
  return { bench, jobs, owners, pod };
}

const claims = [{ name: 'data', storageClass: 'local', size: 5 * Gi }];

describe('Owners: who replaces a deleted pod', () => {
  it('ReplicaSet: a service replica is replaced at once, on preemption and on eviction, by a pod that runs until deleted', () => {
    const { bench, owners, pod } = ownersBench();
    const web = pod('web', { cpu: 1, kind: 'service', seconds: 50 });
    const owner = owners.of(web);
    owner.preempted(web);
    expect(owner.evictable(web)).toBe(true);
    const replacement = owner.evicted(web);
    expect(bench.log).toEqual([
      [0, 'create web-r1: job -1, claims -1, runs until deleted'],
      [0, 'create web-r2: job -1, claims -1, runs until deleted'],
    ]);
    expect(bench.name(replacement)).toBe('web-r2');
  });

  it('StatefulSet: a replica with local volumes is replaced on preemption keeping its claims, and is never evicted', () => {
    const { bench, owners, pod } = ownersBench();
    const db = pod('db', { cpu: 1, kind: 'service', volumeClaims: claims });
    const set = bench.pods.volumes[db]!;
    const owner = owners.of(db);
    owner.preempted(db);
    expect(bench.log).toEqual([[0, `create db-r1: job -1, claims ${set}, runs until deleted`]]);
    // The claims now belong to the replacement: deleting the terminating pod must not delete them.
    expect(bench.pods.volumes[db]).toBe(-1);
    expect(owner.evictable(db)).toBe(false);
    expect(owner.evicted(db)).toBe(-1);
  });

  it('DaemonSet and static pods stay on their node: not replaced, not evicted', () => {
    const { bench, owners, pod } = ownersBench();
    for (const kind of ['daemonset', 'static'] as const) {
      const agent = pod(kind, { cpu: 1, kind });
      const owner = owners.of(agent);
      owner.preempted(agent);
      expect(owner.evictable(agent)).toBe(false);
      expect(owner.evicted(agent)).toBe(-1);
    }
    expect(bench.log).toEqual([]);
  });

  it('bare pods (streams, traces) are evicted and not replaced', () => {
    const { bench, owners, pod } = ownersBench();
    for (const kind of ['stream', 'trace'] as const) {
      const bare = pod(kind, { cpu: 1, kind });
      const owner = owners.of(bare);
      owner.preempted(bare);
      expect(owner.evictable(bare)).toBe(true);
      expect(owner.evicted(bare)).toBe(-1);
    }
    expect(bench.log).toEqual([]);
  });

  it('a Job’s pod is replaced by its Job controller with the same work, on preemption and on eviction', () => {
    const { bench, jobs, owners } = ownersBench();
    jobs.start({
      kind: 'job',
      template: template('train', { kind: 'job' }),
      arrival: 0,
      parallelism: 1,
      completions: 1,
      nextPod: () => ({ duration: 30 * S, requests: bench.requests({ cpu: 1 }) }),
    });
    const train = 0 as PodSlot;
    const owner = owners.of(train);
    owner.preempted(train);
    expect(owner.evictable(train)).toBe(true);
    owner.evicted(train);
    expect(bench.log).toEqual([
      [0, 'create train-r1: job 0, claims -1, runs 30 s'],
      [0, 'create train-r2: job 0, claims -1, runs 30 s'],
      [0, 'create train-r3: job 0, claims -1, runs 30 s'],
    ]);
  });
});
