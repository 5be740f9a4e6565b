/** Operations the engine performs on every event or decision. */
import { PairHeap } from '../src/core/heap.js';
import { rngFor } from '../src/core/random.js';
import { parseQuantity } from '../src/model/quantity.js';
import { SpecClasses } from '../src/schedulers/kube/spec-classes.js';
import type { PodTemplate } from '../src/workload/pod.js';
import type { MicroTask } from './harness.js';

/**
 * The hold model of event-queue benchmarks: a heap of 10,000 pending events;
 * each step pops the earliest and pushes one a random interval later. A push
 * and a pop each count as one operation.
 */
function heapHold(): MicroTask {
  const heap = new PairHeap(16384);
  const rng = rngFor(1, 'bench/heap');
  const gaps = Float64Array.from({ length: 4096 }, () => Math.floor(rng.next() * 1e6));
  let seq = 0;
  for (let i = 0; i < 10_000; i++) heap.push(gaps[i & 4095]!, seq++, i, 0, 0);
  const steps = 10_000;
  return {
    name: 'event heap hold, 10k pending',
    unit: 'op',
    opsPerCall: 2 * steps,
    fn: () => {
      for (let i = 0; i < steps; i++) {
        const t = heap.topPrimary();
        const a = heap.topA();
        heap.pop();
        heap.push(t + gaps[seq & 4095]!, seq++, a, 0, 0);
      }
    },
  };
}

/**
 * The kube queue's spec class of a pod as it is queued, with 256 classes
 * known (one template per owner, as a trace makes them) and pods of every
 * class in turn, so that the class found last never answers.
 */
function specClassOf(): MicroTask {
  const classes = new SpecClasses();
  // Shared by every template, as a trace's are: only the requests tell classes apart.
  const labels = Object.freeze({ app: 'bench' });
  const nodeSelector = Object.freeze({});
  const tolerations: PodTemplate['tolerations'] = [];
  const missingRequests = { cpu: false, memory: false };
  const pods = Array.from({ length: 256 }, (_, i) => ({
    template: { owner: `owner-${i}`, kind: 'trace', priority: 0, tenant: 'default', labels, nodeSelector, tolerations, missingRequests } as PodTemplate,
    requests: Float64Array.from([1000 + 250 * i, 2 ** 30, 1]),
  }));
  for (const p of pods) classes.of(p.template, p.requests);
  const steps = 4096;
  return {
    name: 'kube spec class of a queued pod, 256 classes',
    unit: 'op',
    opsPerCall: steps,
    fn: () => {
      for (let i = 0; i < steps; i++) {
        const p = pods[(i * 97) & 255]!;
        classes.of(p.template, p.requests);
      }
    },
  };
}

/** 100,000 pushes in random order, then 100,000 pops. */
function heapFillDrain(): MicroTask {
  const heap = new PairHeap(1 << 17);
  const rng = rngFor(1, 'bench/heap-fill');
  const n = 100_000;
  const times = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 1e9));
  return {
    name: 'event heap fill 100k then drain',
    unit: 'op',
    opsPerCall: 2 * n,
    fn: () => {
      for (let i = 0; i < n; i++) heap.push(times[i]!, i, i, 0, 0);
      while (heap.size > 0) heap.pop();
    },
  };
}

function rngDraws(): MicroTask {
  const rng = rngFor(1, 'bench/rng');
  let sink = 0;
  return {
    name: 'random stream next() (xor4096)',
    unit: 'draw',
    opsPerCall: 10_000,
    fn: () => {
      for (let i = 0; i < 10_000; i++) sink += rng.next();
      if (sink < 0) throw new Error('unreachable');
    },
  };
}

function quantities(): MicroTask {
  const inputs = ['500m', '2', '4Gi', '1.5T', '25G', '128974848', '1e3', '0.25'];
  return {
    name: 'parseQuantity (mixed notation)',
    unit: 'parse',
    opsPerCall: inputs.length,
    fn: () => {
      for (const q of inputs) parseQuantity(q, 'bytes');
    },
  };
}

export const frequentTasks = (): MicroTask[] => [heapHold(), heapFillDrain(), rngDraws(), quantities(), specClassOf()];
