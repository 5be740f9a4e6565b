/**
 * A vector bin packing instance: items with a size in each of d dimensions and
 * one bin shape with a capacity in each dimension. Item types of a `.vbp` file
 * are expanded by their demand, so item i is one physical item.
 */

export interface VbpInstance {
  /** Number of dimensions d (≥ 1). */
  readonly dims: number;
  /** Bin capacity per dimension, length d, every entry positive. */
  readonly capacity: Float64Array;
  /** Number of items n. */
  readonly items: number;
  /**
   * Item sizes, row-major: the size of item i in dimension k is at `i * dims + k`.
   * Normally non-negative; a negative size (see `read-vbp.ts`) frees capacity.
   */
  readonly sizes: Float64Array;
}

/** The result of a packing heuristic: `assignment[i]` is the bin (0-based) holding item i. */
export interface Packing {
  readonly bins: number;
  readonly assignment: Int32Array;
}

/**
 * Builds an instance from plain arrays (for tests and programs). Throws a
 * RangeError for an empty or non-positive capacity, a size vector of the
 * wrong length, a size that is not a finite number, or an item larger than
 * the bin in some dimension.
 */
export function vbpInstance(capacity: readonly number[], items: readonly (readonly number[])[]): VbpInstance {
  const dims = capacity.length;
  if (dims === 0) throw new RangeError('a bin needs at least one dimension');
  for (const c of capacity) if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`bin capacity ${c}: expected a positive number`);
  const sizes = new Float64Array(items.length * dims);
  items.forEach((item, i) => {
    if (item.length !== dims) throw new RangeError(`item ${i}: expected ${dims} sizes, got ${item.length}`);
    item.forEach((s, k) => {
      if (!Number.isFinite(s)) throw new RangeError(`item ${i}: size ${s} in dimension ${k + 1}: expected a finite number`);
      sizes[i * dims + k] = s;
    });
  });
  const instance: VbpInstance = { dims, capacity: Float64Array.from(capacity), items: items.length, sizes };
  assertItemsFit(instance);
  return instance;
}

/** The first item larger than the bin in some dimension, or undefined when every item fits in an empty bin. */
export function oversizedItem(instance: VbpInstance): { item: number; dim: number } | undefined {
  const { dims, capacity, sizes } = instance;
  for (let i = 0; i < instance.items; i++) {
    for (let k = 0; k < dims; k++) if (sizes[i * dims + k]! > capacity[k]!) return { item: i, dim: k };
  }
  return undefined;
}

/** Throws a RangeError naming the first item that fits in no bin. */
export function assertItemsFit(instance: VbpInstance): void {
  const bad = oversizedItem(instance);
  if (bad === undefined) return;
  const size = instance.sizes[bad.item * instance.dims + bad.dim]!;
  throw new RangeError(
    `item ${bad.item}: size ${size} in dimension ${bad.dim + 1} exceeds the bin capacity ${instance.capacity[bad.dim]!}; it fits in no bin`,
  );
}
