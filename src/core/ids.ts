/**
 * Dense integer indices used inside the engine. Names and labels live only at
 * the edges (loading, reports); the hot path works on these numbers.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Index of a node in ClusterState's arrays, 0 … nodeCount − 1. */
export type NodeIndex = Brand<number, 'NodeIndex'>;
/** Slot of a live pod in the pod table; slots are reused after a pod ends. */
export type PodSlot = Brand<number, 'PodSlot'>;
/** Simulated time in integer microseconds. */
export type Micros = number;

/** Returned by a placement when no node can take the pod. */
export const NO_NODE = -1 as NodeIndex;

export const asNode = (i: number): NodeIndex => i as NodeIndex;
export const asSlot = (i: number): PodSlot => i as PodSlot;

export const MICROS_PER_SECOND = 1_000_000;
