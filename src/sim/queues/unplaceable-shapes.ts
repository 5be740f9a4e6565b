/**
 * What a backfilling pass has learnt about which pods cannot start: the
 * (eligibility class, requests, estimated end) of pods that fit on no node
 * in the room the reservations leave them. Within a pass that room only
 * shrinks — pods are placed, reservations added, and a later end holds back
 * at least as much — so a later pod of the same class whose requests are at
 * least as large in every dimension and whose end is no earlier fits nowhere
 * either, and the placement policy need not be asked: it could only answer
 * "no node". A pod that fits nowhere even without holds is remembered with
 * end −∞. The caller clears it at each pass and whenever room opens.
 *
 * Dominance is exact: `fits` fails on a dimension where r > 0 and
 * requested + r > allocatable, and a larger r' fails there too (floating-point
 * addition is monotone).
 */
export class UnplaceableShapes {
  private readonly classes: number[] = [];
  private readonly requests: Float64Array[] = [];
  private readonly ends: number[] = [];

  clear(): void {
    this.classes.length = 0;
    this.requests.length = 0;
    this.ends.length = 0;
  }

  /** Remembers a pod of eligibility class `cls` with `requests`, planned to run until `end`, that fits on no node. */
  add(cls: number, requests: Float64Array, end: number): void {
    // Entries the new one covers are dropped, so the list stays about as long as the distinct requests.
    let kept = 0;
    for (let k = 0; k < this.classes.length; k++) {
      if (this.classes[k] === cls && this.ends[k]! >= end && atLeast(this.requests[k]!, requests)) continue;
      this.classes[kept] = this.classes[k]!;
      this.requests[kept] = this.requests[k]!;
      this.ends[kept] = this.ends[k]!;
      kept++;
    }
    this.classes.length = kept;
    this.requests.length = kept;
    this.ends.length = kept;
    this.classes.push(cls);
    // A copy: the pod table's array belongs to the slot, and holds another pod's requests once the slot is reused.
    this.requests.push(Float64Array.from(requests));
    this.ends.push(end);
  }

  /** Whether a remembered pod of the same class, ending no later, asked for no more than `requests` in every dimension. */
  covers(cls: number, requests: Float64Array, end: number): boolean {
    for (let k = 0; k < this.classes.length; k++) {
      if (this.classes[k] !== cls || this.ends[k]! > end) continue;
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

/** Whether `a` asks for at least `b` in every dimension. */
function atLeast(a: Float64Array, b: Float64Array): boolean {
  for (let d = 0; d < b.length; d++) if (a[d]! < b[d]!) return false;
  return true;
}
