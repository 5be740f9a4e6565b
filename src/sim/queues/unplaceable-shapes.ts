/**
 * What a backfilling pass has learnt about which pods cannot start: the
 * (eligibility class, requests) of pods that fit on no node even with no
 * capacity held for reservations. Within a pass free capacity only shrinks
 * (pods are placed; holds are taken and given back), so a later pod of the
 * same class whose requests are at least as large in every dimension fits
 * nowhere either, and the placement policy need not be asked: it could only
 * answer "no node". The caller clears it at each pass and whenever room opens.
 *
 * Dominance is exact: `fits` fails on a dimension where r > 0 and
 * requested + r > allocatable, and a larger r' fails there too (floating-point
 * addition is monotone).
 */
export class UnplaceableShapes {
  private readonly classes: number[] = [];
  private readonly requests: Float64Array[] = [];

  clear(): void {
    this.classes.length = 0;
    this.requests.length = 0;
  }

  /** Remembers a pod of eligibility class `cls` with `requests` that fits on no node. */
  add(cls: number, requests: Float64Array): void {
    this.classes.push(cls);
    this.requests.push(requests);
  }

  /** Whether a remembered pod of the same class asked for no more than `requests` in every dimension. */
  covers(cls: number, requests: Float64Array): boolean {
    for (let k = 0; k < this.classes.length; k++) {
      if (this.classes[k] !== cls) continue;
      const known = this.requests[k]!;
      let dominated = true;
      for (let d = 0; d < requests.length; d++) {
        if (requests[d]! < known[d]!) {
          dominated = false;
          break;
        }
      }
      if (dominated) return true;
    }
    return false;
  }
}
