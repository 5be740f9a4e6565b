import { reserveArrayBytes } from './memory-budget.js';

/**
 * A copy of a typed array in a new one of `length` elements (the tail zeroed), for arrays that grow by
 * doubling. The new storage is checked against the thread's memory budget first (memory-budget.ts).
 */
export function resized<T extends Float64Array | Int32Array | Uint8Array>(a: T, length: number): T {
  reserveArrayBytes(length * a.BYTES_PER_ELEMENT);
  const next = new (a.constructor as new (n: number) => T)(length);
  next.set(a.subarray(0, Math.min(a.length, length)));
  return next;
}
