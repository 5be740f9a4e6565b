/** A copy of a typed array in a new one of `length` elements (the tail zeroed), for arrays that grow by doubling. */
export function resized<T extends Float64Array | Int32Array | Uint8Array>(a: T, length: number): T {
  const next = new (a.constructor as new (n: number) => T)(length);
  next.set(a.subarray(0, Math.min(a.length, length)));
  return next;
}
