/**
 * Best fit over a grid of nodes by free CPU × free memory, one grid per node
 * shape (allocatable CPU and memory). A node sits in one cell, found from its
 * free capacity; each cell keeps an intrusive list of its nodes and each row a
 * bitmap of its non-empty cells. A decision visits cells in increasing order
 * of a lower bound on `remainingAfter` and stops when the bound exceeds the
 * best score found, so it reads the few cells near the pod's size instead of
 * every node. (A tree over node indices bounds poorly here: nearly full nodes
 * the pod does not fit sit next to ones it does, and drag every subtree's
 * minimum down.)
 *
 * Exact, for integer capacities and requests (else `usable` says no):
 * every node in a cell has free ≥ the cell's lower edge, exactly, so for a
 * node the pod fits, (free − r) / alloc ≥ (max(edge, r) − r) / alloc, in
 * floating point too (rounding is monotone), and the dimensions other than
 * CPU and memory add terms ≥ 0. A cell whose bound exceeds the best score is
 * skipped; one whose bound equals it is still read, since it may hold an equal
 * score at a lower index. Nodes are confirmed with `pod.fitsOn` and scored by
 * `remainingAfter` itself, ties to the lowest index, as the scan does.
 */
import { asNode, NO_NODE } from '../../core/ids.js';
import type { NodeIndex } from '../../core/ids.js';
import type { ClusterView } from '../../model/cluster-state.js';
import { CPU, MEMORY } from '../../model/resources.js';
import { remainingAfter } from '../fit.js';
import type { PodView } from '../types.js';

/** Cells per dimension: fine enough that a cell holds few nodes, coarse enough that a row's bitmap is two words. */
const G = 64;
const WORDS = G / 32;
/** Beyond this many node shapes the grids cost more than they save; the caller uses another search. */
const MAX_SHAPES = 32;

export class FreeGrid {
  /** Whether every allocatable and every requested amount seen is an integer (exact arithmetic). */
  private integral = true;
  readonly usableShapes: boolean;
  private readonly shapeOf: Int32Array;
  private readonly shapeCount: number;
  /** Per shape: allocatable CPU and memory, and the (integer) cell widths. */
  private readonly allocCpu: Float64Array;
  private readonly allocMemory: Float64Array;
  private readonly widthCpu: Float64Array;
  private readonly widthMemory: Float64Array;
  /** First node of each cell (shape × G × G), −1 when empty; cell of each node; doubly linked lists. */
  private readonly head: Int32Array;
  private readonly cellOf: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** Per shape and row (CPU cell), which memory cells are non-empty. */
  private readonly bits: Uint32Array;
  /** Cells read by the last search, for tests and benchmarks. */
  visited = 0;

  constructor(private readonly cluster: ClusterView) {
    const n = cluster.nodeCount;
    this.shapeOf = new Int32Array(n);
    const shapes = new Map<string, number>();
    const cpus: number[] = [];
    const mems: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = cluster.allocatable[CPU]![i]!;
      const m = cluster.allocatable[MEMORY]![i]!;
      for (let d = 0; d < cluster.space.size; d++) if (!Number.isSafeInteger(cluster.allocatable[d]![i]!)) this.integral = false;
      const key = `${c}/${m}`;
      let s = shapes.get(key);
      if (s === undefined) {
        s = cpus.length;
        shapes.set(key, s);
        cpus.push(c);
        mems.push(m);
      }
      this.shapeOf[i] = s;
    }
    this.shapeCount = cpus.length;
    this.usableShapes = this.shapeCount <= MAX_SHAPES;
    const shapeCount = this.usableShapes ? this.shapeCount : 0;
    this.allocCpu = Float64Array.from(cpus);
    this.allocMemory = Float64Array.from(mems);
    this.widthCpu = Float64Array.from(cpus, (a) => Math.max(1, Math.ceil(a / G)));
    this.widthMemory = Float64Array.from(mems, (a) => Math.max(1, Math.ceil(a / G)));
    this.head = new Int32Array(shapeCount * G * G).fill(-1);
    this.bits = new Uint32Array(shapeCount * G * WORDS);
    this.cellOf = new Int32Array(n).fill(-1);
    this.next = new Int32Array(n).fill(-1);
    this.prev = new Int32Array(n).fill(-1);
    if (this.usableShapes) for (let i = 0; i < n; i++) this.update(asNode(i));
  }

  /** Whether `search` answers this pod exactly; otherwise the caller must use another search. */
  usable(request: Float64Array): boolean {
    if (!this.usableShapes || !this.integral) return false;
    for (let d = 0; d < request.length; d++) if (!Number.isSafeInteger(request[d]!)) return false;
    return true;
  }

  /** Moves a node to the cell of its current free capacity (after a reserve or unreserve on it). */
  update(node: NodeIndex): void {
    if (!this.usableShapes) return;
    const { cluster } = this;
    for (let d = 0; d < cluster.space.size; d++) if (!Number.isSafeInteger(cluster.requested[d]![node]!)) this.integral = false;
    const s = this.shapeOf[node]!;
    const bc = this.cell(cluster.allocatable[CPU]![node]! - cluster.requested[CPU]![node]!, this.widthCpu[s]!);
    const bm = this.cell(cluster.allocatable[MEMORY]![node]! - cluster.requested[MEMORY]![node]!, this.widthMemory[s]!);
    const cell = (s * G + bc) * G + bm;
    const old = this.cellOf[node]!;
    if (old === cell) return;
    if (old >= 0) this.unlink(node, old);
    this.cellOf[node] = cell;
    const first = this.head[cell]!;
    this.prev[node] = -1;
    this.next[node] = first;
    if (first >= 0) this.prev[first] = node;
    else this.bits[(s * G + bc) * WORDS + (bm >>> 5)]! |= 1 << (bm & 31);
    this.head[cell] = node;
  }

  /** The node a full best-fit scan returns (see the module comment); only when `usable(pod.requests)`. */
  search(pod: PodView): NodeIndex {
    const req = pod.requests;
    const rc = req[CPU]!;
    const rm = req[MEMORY]!;
    let best = -1;
    let bestScore = Infinity;
    this.visited = 0;
    for (let s = 0; s < this.shapeCount; s++) {
      const ac = this.allocCpu[s]!;
      const am = this.allocMemory[s]!;
      if (rc > ac || rm > am) continue;
      const wc = this.widthCpu[s]!;
      const wm = this.widthMemory[s]!;
      // Cells below these hold nodes with less free than the request.
      const c0 = Math.min(this.cell(rc, wc), G - 1);
      const m0 = Math.min(this.cell(rm, wm), G - 1);
      const tm0 = this.term(m0 * wm, rm, am);
      for (let bc = c0; bc < G; bc++) {
        const tc = this.term(bc * wc, rc, ac);
        // Rows only get worse: stop once even the row's best cell cannot beat the incumbent.
        if (tc + tm0 > bestScore) break;
        const row = (s * G + bc) * WORDS;
        for (let bm = this.nextSet(row, m0); bm < G; bm = this.nextSet(row, bm + 1)) {
          if (tc + this.term(bm * wm, rm, am) > bestScore) break;
          this.visited++;
          for (let node = this.head[(s * G + bc) * G + bm]!; node >= 0; node = this.next[node]!) {
            if (!pod.fitsOn(asNode(node))) continue;
            const score = remainingAfter(this.cluster, asNode(node), req);
            if (score < bestScore || (score === bestScore && node < best)) {
              bestScore = score;
              best = node;
            }
          }
        }
      }
    }
    return best < 0 ? NO_NODE : asNode(best);
  }

  /**
   * A lower bound on (free − r) / alloc over nodes with free ≥ edge that fit r
   * (free ≥ r): 0 for a dimension the pod does not request, which
   * `remainingAfter` then does not measure.
   */
  private term(edge: number, r: number, alloc: number): number {
    if (r <= 0) return 0;
    return edge > r ? (edge - r) / alloc : 0;
  }

  /** The cell of a free amount: ⌊free / width⌋ computed exactly for integers, within 0 … G − 1. */
  private cell(free: number, width: number): number {
    let b = Math.floor(free / width);
    // Division may round up to the next integer; the edge b × width must not exceed free.
    while (b > 0 && b * width > free) b--;
    return b < 0 ? 0 : b >= G ? G - 1 : b;
  }

  /** The first non-empty memory cell ≥ from in a row, or G. */
  private nextSet(row: number, from: number): number {
    for (let w = from >>> 5; w < WORDS; w++) {
      let word = this.bits[row + w]!;
      if (w === from >>> 5) word &= ~0 << (from & 31);
      if (word !== 0) return w * 32 + (31 - Math.clz32(word & -word));
    }
    return G;
  }

  private unlink(node: number, cell: number): void {
    const p = this.prev[node]!;
    const nx = this.next[node]!;
    if (p >= 0) this.next[p] = nx;
    else {
      this.head[cell] = nx;
      if (nx < 0) {
        const bm = cell % G;
        const row = Math.floor(cell / G) * WORDS;
        this.bits[row + (bm >>> 5)]! &= ~(1 << (bm & 31));
      }
    }
    if (nx >= 0) this.prev[nx] = p;
  }
}
