/**
 * The replay's pod queue gives pods in (arrival, insertion) order, whatever
 * mix of sorted runs (its ring) and pods out of order (its heap) it is
 * given, and gives them back with every field they went in with.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartNamedPod, PodQueue } from '../src/workload/trace/pod-queue.js';
import type { TracePod } from '../src/workload/trace/types.js';
import { runs } from './support/property-runs.js';

const pod = (id: number, arrival: number): TracePod => ({
  name: `p${id}`, owner: `o${id % 3}`, arrival, duration: id, cpu: id * 10, memory: id * 100, gpuMilli: 0, priority: id % 2, qos: id % 2 === 0 ? 'batch' : undefined,
  resources: id % 5 === 0 ? { nvme: id } : undefined, file: 'f.csv', line: id + 1,
});

describe('PodQueue', () => {
  it('pops in (arrival, insertion) order under any interleaving of pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 200 }), (ops) => {
        const q = new PodQueue();
        const reference: { arrival: number; id: number }[] = [];
        const out: number[] = [];
        const expected: number[] = [];
        const take = (): void => {
          reference.sort((a, b) => a.arrival - b.arrival || a.id - b.id);
          expect(q.peekArrival()).toBe(reference[0]!.arrival);
          expected.push(reference.shift()!.id);
          out.push(q.pop().duration);
        };
        ops.forEach((op, id) => {
          if (op < 0) {
            if (q.size > 0) take();
            return;
          }
          q.push(pod(id, op));
          reference.push({ arrival: op, id });
        });
        while (q.size > 0) take();
        expect(out).toEqual(expected);
        expect(q.peekArrival()).toBe(Infinity);
      }),
      { numRuns: runs(300) },
    );
  });

  it('gives a pod back with its fields, a new arrival and duration if given, and a part-named pod its name', () => {
    const q = new PodQueue();
    q.push(pod(5, 7), 3, 11);
    q.push(new PartNamedPod('j_1', 'M2', 4, 9, 60, 500, 1024, 0, 0, 'batch', 'batch_task.csv', 12));
    expect(q.pop()).toEqual({ ...pod(5, 7), arrival: 3, duration: 11, gpuModels: undefined, limits: undefined, usage: undefined });
    const p = q.pop();
    expect([p.name, p.owner, p.arrival, p.duration, p.cpu, p.memory, p.qos, p.line]).toEqual(['j_1/M2/4', 'j_1', 9, 60, 500, 1024, 'batch', 12]);
  });
});
