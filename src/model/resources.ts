import type { QuantityUnit } from './quantity.js';

/**
 * Resource dimensions. The first five are always present, in this order, so
 * the hot path can address them by constant index; extended resources (e.g.
 * `gpu`, `nvidia.com/gpu`) follow in the order a scenario declares them.
 */
export const CPU = 0;
export const MEMORY = 1;
export const NVME = 2;
export const NIC = 3;
export const PODS = 4;

export const BUILTIN_RESOURCES = ['cpu', 'memory', 'nvme', 'nic', 'pods'] as const;
export type BuiltinResource = (typeof BUILTIN_RESOURCES)[number];

const BUILTIN_UNITS: Record<BuiltinResource, QuantityUnit> = {
  cpu: 'millicores',
  memory: 'bytes',
  nvme: 'bytes',
  nic: 'bitsPerSecond',
  pods: 'count',
};

/** Kubernetes' default kubelet --max-pods. */
export const DEFAULT_MAX_PODS = 110;

/** The dimensions of one scenario: the built-ins, then its extended resources. */
export class ResourceSpace {
  readonly names: readonly string[];
  private readonly index: ReadonlyMap<string, number>;

  constructor(extended: readonly string[] = []) {
    const names = [...BUILTIN_RESOURCES, ...extended.filter((r) => !isBuiltin(r))];
    this.names = [...new Set(names)];
    this.index = new Map(this.names.map((n, i) => [n, i]));
  }

  get size(): number {
    return this.names.length;
  }

  indexOf(name: string): number | undefined {
    return this.index.get(name);
  }

  unitOf(dim: number): QuantityUnit {
    return unitOf(this.names[dim]!);
  }

  /** A zero vector of this space's dimensions. */
  zeros(): Float64Array {
    return new Float64Array(this.size);
  }
}

export function isBuiltin(name: string): name is BuiltinResource {
  return (BUILTIN_RESOURCES as readonly string[]).includes(name);
}

/** The integer unit a resource is measured in; extended resources are counts. */
export function unitOf(name: string): QuantityUnit {
  return isBuiltin(name) ? BUILTIN_UNITS[name] : 'count';
}
