/**
 * A bound on the typed-array memory of this thread. V8's heap limits (a
 * worker's resourceLimits) do not cover ArrayBuffer storage, which lives
 * outside the heap; the arrays that grow with a run (pod table, event heap,
 * samples, records) grow through resized() (typed-arrays.ts), which asks here
 * first. Unbounded (the default) costs one comparison.
 */

let budget = Infinity;

/** The run would take more array memory than the budget: it fails, as it would on the heap limit. */
export class MemoryBudgetError extends Error {
  override name = 'MemoryBudgetError';
}

/** Sets the budget in bytes (Infinity: none). */
export function setArrayBudget(bytes: number): void {
  budget = bytes;
}

/** The budget in bytes. */
export function arrayBudget(): number {
  return budget;
}

/**
 * Throws MemoryBudgetError when allocating `bytes` more of ArrayBuffer storage
 * would take the process's ArrayBuffers (live or not yet collected, every
 * thread's: Node counts them per process) past the budget, which the pool
 * sets to the threads' shares together.
 */
export function reserveArrayBytes(bytes: number): void {
  if (budget === Infinity) return;
  const used = process.memoryUsage().arrayBuffers;
  if (used + bytes > budget) {
    const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
    throw new MemoryBudgetError(
      `ran out of memory: growing an array to ${mib(bytes)} would take the run's typed arrays to ${mib(used + bytes)}, past the ${mib(budget)} the worker threads' shares of --worker-memory allow`,
    );
  }
}
