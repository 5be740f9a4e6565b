import fc from 'fast-check';

/**
 * Every property runs on the same seed, everywhere: with each `fc.assert` given a fixed `numRuns` (and no
 * time limit), a run of the suite checks exactly the same cases, so its verdict depends on the code alone.
 * A failure prints its seed and path; FC_SEED=<seed> replays or explores another seed, and
 * RACKBENCH_PROPERTY_SCALE=<k> (in the simulation property files) runs k times as many cases for a long hunt.
 */
export const PROPERTY_SEED = 20261122;

const seed = Number(process.env.FC_SEED ?? PROPERTY_SEED);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED=${process.env.FC_SEED}: expected an integer`);
fc.configureGlobal({ seed });
