/**
 * Backfilling queues for batch work: first come, first served, with later
 * pods started early when they delay no reservation — EASY (only the first
 * blocked pod holds a reservation; Lifka, JSSPP 1995) or conservative (every
 * blocked pod holds one; Mu'alem and Feitelson, IEEE TPDS 12(6), 2001). The
 * planning itself is the simulator's (src/sim/backfill.ts); these policies
 * say which kind and what run-time estimates it plans with.
 *
 * Plain names plan with the true run times. `-estimate` names plan with a
 * noisy estimate — the true run time times e^(σ·z), the same hashed
 * log-normal factor as sjf-estimate — so a pod may run past its estimate
 * (a real batch system would kill it at its limit; here it runs on, and
 * the plan treats it as ending at the next instant until it does).
 */
import { DEFAULT_SJF_SIGMA, estimateFactor } from './sjf.js';
import type { QueuePolicy } from './types.js';

export type BackfillKind = 'easy' | 'conservative';

export interface BackfillEstimates {
  /** σ of the log-normal noise; 0 plans with the true run times. */
  readonly sigma: number;
  readonly seed: number;
}

export function backfill(kind: BackfillKind, estimates?: BackfillEstimates): QueuePolicy {
  const name = `${kind}-backfill${estimates === undefined ? '' : '-estimate'}`;
  const mode = kind === 'easy' ? 'easy-backfill' : 'conservative-backfill';
  if (estimates === undefined) return { name, mode, key: () => 0 };
  const { sigma, seed } = estimates;
  return {
    name,
    mode,
    key: () => 0,
    estimate: (pod) => (pod.duration < 0 ? -1 : Math.max(1, Math.round(pod.duration * estimateFactor(pod, sigma, seed)))),
  };
}

export const DEFAULT_BACKFILL_ESTIMATES: BackfillEstimates = { sigma: DEFAULT_SJF_SIGMA, seed: 1 };
