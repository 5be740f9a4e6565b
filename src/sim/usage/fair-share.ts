/**
 * Sharing one resource of a node among the pods that want it, as a fluid:
 * each pod gets a rate, and the rates add up to at most the capacity.
 *
 * Weighted max-min fairness (water-filling): a pod never gets more than it
 * demands; capacity left by pods that want less than their weighted share
 * goes to the others in proportion to their weights. With equal weights this
 * is plain max-min fairness, how NVMe queues and a NIC share bandwidth among
 * flows in the model; with cpu.shares as weights and each demand capped at
 * the container's CFS quota it is how the Linux CFS shares CPU time among
 * cgroups (Documentation/scheduler/sched-design-CFS and sched-bwc).
 *
 * Cost: O(k²) compares at worst for k pods (an insertion sort by demand ÷
 * weight, fast for the tens of pods on a node); nothing is allocated.
 */

/**
 * Fills out[0..k) with each pod's rate. demands[i] ≥ 0 (already capped by
 * any limit), weights[i] > 0. `order` is scratch of length ≥ k.
 */
export function weightedMaxMin(capacity: number, demands: ArrayLike<number>, weights: ArrayLike<number>, k: number, out: Float64Array, order: Int32Array): void {
  let total = 0;
  for (let i = 0; i < k; i++) total += demands[i]!;
  if (total <= capacity) {
    for (let i = 0; i < k; i++) out[i] = demands[i]!;
    return;
  }
  // Pods that want the least per unit of weight are satisfied first: an insertion sort by demand ÷ weight
  // (ties by index), stable and allocation-free; a node holds at most a few hundred pods.
  const o = order;
  for (let i = 0; i < k; i++) {
    const key = demands[i]! / weights[i]!;
    let j = i - 1;
    while (j >= 0 && demands[o[j]!]! / weights[o[j]!]! > key) {
      o[j + 1] = o[j]!;
      j--;
    }
    o[j + 1] = i;
  }
  let left = capacity;
  let weight = 0;
  for (let i = 0; i < k; i++) weight += weights[i]!;
  for (let j = 0; j < k; j++) {
    const i = o[j]!;
    const share = (left * weights[i]!) / weight;
    if (demands[i]! <= share) {
      out[i] = demands[i]!;
      left -= demands[i]!;
      weight -= weights[i]!;
      continue;
    }
    // Everyone from here on wants more than its share: each gets exactly its share of what is left.
    for (let r = j; r < k; r++) {
      const p = o[r]!;
      out[p] = (left * weights[p]!) / weight;
    }
    return;
  }
}

/**
 * CFS's weight for a container's CPU request: cpu.shares = milliCPU × 1024 /
 * 1000, at least 2 (MilliCPUToShares in pkg/kubelet/cm/helpers_linux.go; a
 * BestEffort pod gets the minimum, 2).
 */
export function cpuShares(milliCpu: number): number {
  return Math.max(2, Math.floor((milliCpu * 1024) / 1000));
}
