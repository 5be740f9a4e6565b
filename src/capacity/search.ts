/**
 * The smallest node count that passes a test, by bracketing and bisection,
 * as a step-by-step state machine: `next()` names the count to evaluate,
 * `record()` takes its verdict. Driving it one step at a time lets many
 * searches share one batch of runs on the worker pool, and keeps the order of
 * evaluations (and so the answer) independent of how runs are scheduled.
 *
 * 1. Bracket: evaluate 1, 2, 4, 8 … (capped at maxNodes) until a count passes.
 * 2. Bisect between the last failing count and the first passing one.
 * 3. Check the answer's neighbours: n − 1 must fail (it does by construction
 *    when n > 1: bisection ends with it evaluated) and n + 1 must pass. When
 *    n + 1 fails the test is not monotone in the node count there, and the
 *    outcome says so instead of hiding it.
 *
 * A test that fails at maxNodes ends the search as impossible.
 */

export interface Evaluation {
  readonly nodes: number;
  readonly pass: boolean;
}

export interface SearchOutcome {
  readonly status: 'found' | 'impossible';
  /** The smallest passing count found (status found). */
  readonly nodes?: number | undefined;
  /** Every count evaluated, in increasing order. */
  readonly evaluations: readonly Evaluation[];
  /** False when a neighbour check contradicts monotonicity. */
  readonly monotonic: boolean;
  /** What was seen where monotonicity does not hold. */
  readonly anomalies: readonly string[];
}

export interface SearchBounds {
  /** The smallest count to consider (default 1). */
  readonly minNodes?: number | undefined;
  readonly maxNodes: number;
}

type Phase = 'bracket' | 'bisect' | 'check' | 'done';

export class NodeSearch {
  private readonly min: number;
  private readonly max: number;
  private readonly verdicts = new Map<number, boolean>();
  private phase: Phase = 'bracket';
  /** Largest count known to fail (min − 1 before any). */
  private lo: number;
  /** Smallest count known to pass (undefined before any). */
  private hi: number | undefined;
  private probe: number;
  private impossible = false;

  constructor(bounds: SearchBounds) {
    this.min = Math.max(1, bounds.minNodes ?? 1);
    this.max = bounds.maxNodes;
    if (!Number.isInteger(this.max) || this.max < this.min) throw new RangeError(`maxNodes ${bounds.maxNodes} is below minNodes ${this.min}`);
    this.lo = this.min - 1;
    this.probe = this.min;
  }

  /** The count to evaluate next, or undefined when the search is over. */
  next(): number | undefined {
    for (;;) {
      const n = this.candidate();
      if (n === undefined) return undefined;
      const known = this.verdicts.get(n);
      if (known === undefined) return n;
      this.advance(n, known);
    }
  }

  /** The verdict for `nodes` (the count next() returned, or any count: verdicts are cached). */
  record(nodes: number, pass: boolean): void {
    if (this.verdicts.has(nodes)) return;
    this.verdicts.set(nodes, pass);
    if (nodes === this.candidate()) this.advance(nodes, pass);
  }

  get done(): boolean {
    return this.next() === undefined;
  }

  outcome(): SearchOutcome {
    if (!this.done) throw new Error('the search is not finished');
    const evaluations = [...this.verdicts].map(([nodes, pass]) => ({ nodes, pass })).sort((a, b) => a.nodes - b.nodes);
    if (this.impossible || this.hi === undefined) return { status: 'impossible', evaluations, monotonic: true, anomalies: [] };
    const n = this.hi;
    const anomalies: string[] = [];
    for (const e of evaluations) {
      if (e.nodes > n && !e.pass) anomalies.push(`${e.nodes} nodes fail although ${n} pass`);
      if (e.nodes < n && e.pass) anomalies.push(`${e.nodes} nodes pass although ${n} is the answer`);
    }
    return { status: 'found', nodes: n, evaluations, monotonic: anomalies.length === 0, anomalies };
  }

  private candidate(): number | undefined {
    switch (this.phase) {
      case 'bracket':
        return this.probe;
      case 'bisect':
        return Math.floor((this.lo + this.hi!) / 2);
      case 'check':
        return this.hi! + 1 <= this.max ? this.hi! + 1 : undefined;
      case 'done':
        return undefined;
    }
  }

  private advance(n: number, pass: boolean): void {
    switch (this.phase) {
      case 'bracket':
        if (pass) {
          this.hi = n;
          this.phase = this.hi - this.lo > 1 ? 'bisect' : 'check';
        } else if (n >= this.max) {
          this.impossible = true;
          this.phase = 'done';
        } else {
          this.lo = n;
          this.probe = Math.min(n * 2, this.max);
        }
        return;
      case 'bisect':
        if (pass) this.hi = n;
        else this.lo = n;
        if (this.hi! - this.lo <= 1) this.phase = 'check';
        return;
      case 'check':
        this.phase = 'done';
        return;
      case 'done':
        return;
    }
  }
}
