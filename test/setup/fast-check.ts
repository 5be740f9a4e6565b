import fc from 'fast-check';

// CI runs every property on the same seed, so its verdict depends on the code alone; locally each run
// explores new cases (a failure prints its seed, to replay with FC_SEED=<seed>).
const seed = process.env.FC_SEED ?? (process.env.CI ? '20261122' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
