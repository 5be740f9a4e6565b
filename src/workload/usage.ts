/**
 * Drawing a pod's usage profile from its workload's `usage:` spec, on a
 * seeded stream of its own (so adding usage shifts no other draw). A value
 * the spec leaves out is what the pod requests (cpu, memory, nic) or nothing
 * (NVMe bandwidth, which no request stands for).
 */
import type { Rng } from '../core/random.js';
import { CPU, MEMORY, NIC } from '../model/resources.js';
import type { UsageSpec } from '../model/usage-schema.js';
import type { PodUsage, UsagePhase } from './pod.js';
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
