/**
 * A run's outcome leaves its worker thread with its typed arrays moved, not
 * copied: the per-pod and per-node records of a large run run to hundreds of
 * MiB, and a structured clone would copy each byte once more while the
 * thread that made them waits.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { RunOutcome } from './run-protocol.js';

/** The outcome wrapped so that piscina transfers the buffers of its records and sketches. */
export function movable(outcome: RunOutcome): unknown {
  if (!outcome.ok) return outcome;
  const buffers = new Set<ArrayBuffer>();
  collect(outcome.result.records, buffers, 0);
  collect(outcome.result.sketches, buffers, 0);
  if (buffers.size === 0) return outcome;
  return move({
    get [transferableSymbol]() {
      return [...buffers];
    },
    get [valueSymbol]() {
      return outcome;
    },
  });
}

/** The ArrayBuffers under `value` (typed arrays in plain objects and arrays, a few levels deep). */
function collect(value: unknown, into: Set<ArrayBuffer>, depth: number): void {
  if (value === null || typeof value !== 'object' || depth > 4) return;
  if (ArrayBuffer.isView(value)) {
    // A Buffer may be a slice of a shared pool, which cannot be moved.
    if (value.buffer instanceof ArrayBuffer && !Buffer.isBuffer(value)) into.add(value.buffer);
    return;
  }
  if (Array.isArray(value)) {
    // Arrays of typed arrays (a series per resource) are short; arrays of names and owners hold none.
    if (value.length > 0 && ArrayBuffer.isView(value[0])) for (const v of value) collect(v, into, depth + 1);
    return;
  }
  for (const v of Object.values(value)) collect(v, into, depth + 1);
}
