/**
 * The queues' incremental shortcuts (the backfilling pass's memory of pods
 * that fit nowhere, the kept waiting list, Tetris's skipping of nodes no
 * waiting pod fits, the kube queue's failed cycles replayed for like pods)
 * can be turned off, so a test can check that a run with them decides
 * exactly as a run that recomputes everything.
 */
let enabled = true;

/** Whether the shortcuts are on (the default). */
export function replanningShortcuts(): boolean {
  return enabled;
}

/** Turns the shortcuts on or off for queues built afterwards; returns the previous setting. */
export function setReplanningShortcuts(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
