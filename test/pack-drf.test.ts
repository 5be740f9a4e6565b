/** DRF progressive filling (src/schedulers/vbp/drf.ts) against the worked example of Ghodsi et al., NSDI 2011. */
import { describe, expect, it } from 'vitest';
import { drfAllocate } from '../src/schedulers/vbp/drf.js';

describe('drfAllocate', () => {
  it('reproduces the NSDI 2011 example: ⟨9 CPU, 18 GB⟩, A ⟨1, 4⟩, B ⟨3, 1⟩ → A 3 tasks, B 2, both dominant shares 2/3', () => {
    const a = drfAllocate(
      [9, 18],
      [
        [1, 4],
        [3, 1],
      ],
    );
    // A's dominant resource is memory (4/18 = 2/9 a task), B's is CPU (3/9 = 1/3 a task).
    // shares (A, B): (0, 0) → A; (2/9, 0) → B; (2/9, 1/3) → A; (4/9, 1/3) → B; (4/9, 2/3) → A; (2/3, 2/3):
    // A's next task needs 1 CPU of 0 left, B's 3: both saturated. Used ⟨3·1 + 2·3, 3·4 + 2·1⟩ = ⟨9, 14⟩.
    expect(a.tasks).toEqual([3, 2]);
    expect(a.sequence).toEqual([0, 1, 0, 1, 0]);
    expect(a.dominantShares[0]).toBeCloseTo(2 / 3, 12);
    expect(a.dominantShares[1]).toBeCloseTo(2 / 3, 12);
    expect(a.used).toEqual([9, 14]);
  });

  it('a user whose task no longer fits stops; the others go on filling', () => {
    // Capacity ⟨10, 10⟩, A ⟨6, 1⟩ (share 0.6 a task), B ⟨1, 1⟩ (0.1 a task). A goes first (tie at 0): ⟨6, 1⟩.
    // B, with the lower share, launches 4 tasks: ⟨10, 5⟩; its 5th needs 11 CPU, and so does A's 2nd (12): both stop.
    const a = drfAllocate(
      [10, 10],
      [
        [6, 1],
        [1, 1],
      ],
    );
    expect(a.tasks).toEqual([1, 4]);
    expect(a.used).toEqual([10, 5]);
  });

  it('honours task limits and needs one for a user demanding nothing', () => {
    const a = drfAllocate(
      [9, 18],
      [
        [1, 4],
        [3, 1],
      ],
      { maxTasks: [1, Infinity] },
    );
    // A stops after one task (⟨1, 4⟩); B launches two (⟨7, 6⟩); a third would need 10 CPU of 9.
    expect(a.tasks).toEqual([1, 2]);
    expect(() => drfAllocate([1], [[0]])).toThrow('user 0 demands nothing');
    expect(drfAllocate([1], [[0]], { maxTasks: [3] }).tasks).toEqual([3]);
  });
});
