/** The pod table's slots: requests copied in, kept per slot, and right across reuse and growth. */
import { describe, expect, it } from 'vitest';
import { PodTable } from '../src/sim/pod-table.js';
import { template } from './support/sim-unit.js';

const req = (...xs: number[]): Float64Array => Float64Array.from(xs);

describe('PodTable requests', () => {
  it('copies a pod’s requests, so the array it was given may change or be shared', () => {
    const pods = new PodTable(2);
    const shared = req(1000, 2e9);
    const a = pods.add(template('a'), shared, 0, 10, 0, -1);
    shared[0] = 9999;
    const b = pods.add(template('b'), shared, 0, 10, 0, -1);
    expect([...pods.requests[a]!]).toEqual([1000, 2e9]);
    expect([...pods.requests[b]!]).toEqual([9999, 2e9]);
    expect(pods.requests[a]).not.toBe(shared);
  });

  it('a reused slot holds its new pod’s requests', () => {
    const pods = new PodTable(2);
    const a = pods.add(template('a'), req(1, 2), 0, 10, 0, -1);
    pods.remove(a);
    const b = pods.add(template('b'), req(3, 4), 0, 10, 0, -1);
    expect(b).toBe(a);
    expect([...pods.requests[b]!]).toEqual([3, 4]);
  });

  it('keeps every live pod’s requests when the table grows, and a view taken before keeps its values', () => {
    const pods = new PodTable(2);
    const slots = Array.from({ length: 50 }, (_, i) => pods.add(template(`p${i}`), req(i, 10 * i, 100 * i), 0, 10, 0, -1));
    const early = pods.requests[slots[1]!]!;
    for (let i = 50; i < 300; i++) pods.add(template(`p${i}`), req(i, 10 * i, 100 * i), 0, 10, 0, -1);
    slots.forEach((s, i) => expect([...pods.requests[s]!]).toEqual([i, 10 * i, 100 * i]));
    expect([...early]).toEqual([1, 10, 100]);
  });

  it('refuses a pod with another number of resource dimensions', () => {
    const pods = new PodTable(2);
    pods.add(template('a'), req(1, 2), 0, 10, 0, -1);
    expect(() => pods.add(template('b'), req(1, 2, 3), 0, 10, 0, -1)).toThrow(/3 resource dimensions in a table of 2/);
  });
});
