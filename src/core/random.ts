import seedrandom from 'seedrandom';

/** A seeded source of uniform numbers in [0, 1). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

class XorRng implements Rng {
  private readonly gen: seedrandom.PRNG;
  constructor(seed: string) {
    // xor4096 is ~10x faster than seedrandom's default ARC4 and has a 2^4096 period.
    this.gen = seedrandom.xor4096(seed);
  }
  next(): number {
    return this.gen.double();
  }
  int(n: number): number {
    return Math.floor(this.gen.double() * n);
  }
}

/**
 * Named random streams derived from one run seed. Each stream depends only on
 * (run seed, name), so adding or consuming one stream never shifts another.
 */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();
  constructor(readonly seed: number) {}

  /** The stream called `name`, created on first use. */
  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new XorRng(`rackbench:${this.seed}:${name}`);
      this.streams.set(name, rng);
    }
    return rng;
  }
}

/** A stream for one (seed, name), outside any run (tests, tools). */
export function rngFor(seed: number, name: string): Rng {
  return new RandomStreams(seed).stream(name);
}
