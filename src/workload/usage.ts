/**
 * Drawing a pod's usage profile from its workload's `usage:` spec, on a
 * seeded stream of its own (so adding usage shifts no other draw). A value
 * the spec leaves out is what the pod requests (cpu, memory, nic) or nothing
 * (NVMe bandwidth, which no request stands for).
 */
import type { Rng } from '../core/random.js';
import { CPU, MEMORY, NIC } from '../model/resources.js';
import type { ContainerSpec } from '../model/containers-schema.js';
import type { UsageSpec } from '../model/usage-schema.js';
import type { ContainerUse, PodUsage, UsagePhase } from './pod.js';
import { sample } from './sample.js';

/** A function giving each new pod its usage, from its requests; undefined when the workload has no `usage:`. */
export type UsageSampler = (requests: Float64Array) => PodUsage;

export function usageSampler(spec: UsageSpec | undefined, rng: Rng): UsageSampler | undefined {
  if (spec === undefined) return undefined;
  return (requests) => {
    // Drawn in a fixed order, each only when given, so a spec's draws do not depend on the others'.
    const base = {
      cpu: spec.cpu === undefined ? requests[CPU]! : sample(rng, spec.cpu),
      memory: spec.memory === undefined ? requests[MEMORY]! : sample(rng, spec.memory),
      nvme: (spec.nvmeRead === undefined ? 0 : sample(rng, spec.nvmeRead)) + (spec.nvmeWrite === undefined ? 0 : sample(rng, spec.nvmeWrite)),
      nic: spec.nic === undefined ? (requests[NIC] ?? 0) : sample(rng, spec.nic),
    };
    if (spec.phases === undefined) return { phases: [{ length: Infinity, ...base }] };
    const last = spec.phases.length - 1;
    const phases: UsagePhase[] = spec.phases.map((p, i) => {
      const read = p.nvmeRead;
      const write = p.nvmeWrite;
      return {
        // The last phase lasts to the end of the run.
        length: i === last ? Infinity : p.for!,
        cpu: p.cpu ?? base.cpu,
        memory: p.memory ?? base.memory,
        nvme: read === undefined && write === undefined ? base.nvme : (read ?? 0) + (write ?? 0),
        nic: p.nic ?? base.nic,
      };
    });
    return { phases };
  };
}

/**
 * The usage of a pod given by `containers:`: each container's, drawn in
 * container order (a value left out is the container's request, NVMe none),
 * and the pod's one phase, their sum.
 */
export function containersUsageSampler(containers: readonly ContainerSpec[], rng: Rng): UsageSampler {
  return () => {
    const uses: ContainerUse[] = [];
    const sum = { length: Infinity, cpu: 0, memory: 0, nvme: 0, nic: 0 };
    for (const c of containers) {
      const u = c.usage ?? {};
      const cpu = u.cpu === undefined ? (c.requests['cpu'] ?? 0) : sample(rng, u.cpu);
      const memory = u.memory === undefined ? (c.requests['memory'] ?? 0) : sample(rng, u.memory);
      const nvme = (u.nvmeRead === undefined ? 0 : sample(rng, u.nvmeRead)) + (u.nvmeWrite === undefined ? 0 : sample(rng, u.nvmeWrite));
      const nic = u.nic === undefined ? (c.requests['nic'] ?? 0) : sample(rng, u.nic);
      uses.push({ cpu, memory });
      sum.cpu += cpu;
      sum.memory += memory;
      sum.nvme += nvme;
      sum.nic += nic;
    }
    return { phases: [sum], containers: uses };
  };
}
