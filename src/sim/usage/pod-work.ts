/**
 * What each running pod is doing under the usage model, as typed arrays
 * indexed by pod slot: its phase, the work it has left, the rates it gets,
 * and what it has been denied so far.
 */
import { resized } from '../../core/typed-arrays.js';

export class PodWork {
  /** The node the pod works on, or −1 while it does not (not started, stopped, done). */
  node = new Int32Array(0).fill(-1);
  /** Index of its current phase. */
  phase = new Int32Array(0);
  /** µs left in the phase: of uncontended run time for batch work, of wall-clock time otherwise. */
  phaseLeft = new Float64Array(0);
  /** µs of uncontended run time left for batch work; of wall-clock time otherwise. */
  left = new Float64Array(0);
  /** 1 when its work is an amount that contention stretches (jobs, streams, traces); 0 for a service's time. */
  batch = new Uint8Array(0);
  /** Share of its current demand it gets (0…1): the speed of batch work. */
  rate = new Float64Array(0);
  /** CPU millicores, memory bytes it uses now. */
  cpu = new Float64Array(0);
  memory = new Float64Array(0);
  /** Share of the time its CFS quota holds it back now, and µs it has been held back so far. */
  throttle = new Float64Array(0);
  throttled = new Float64Array(0);
  /** µs of demand delivered (rate × time), for services' delivered share. */
  delivered = new Float64Array(0);
  /** How long it would run alone on its node under its own limits. */
  ideal = new Float64Array(0);
  /** CrashLoopBackOff: restarts so far, and 1 while it waits to restart (using nothing). */
  restarts = new Int32Array(0);
  backingOff = new Uint8Array(0);
  /** When a pod backing off restarts (Infinity: it is not restarted in the run). */
  restartAt = new Float64Array(0);
  /** Its position in its node's list. */
  at = new Int32Array(0);
  /** Its current phase's demands (copied from its profile when the phase begins): millicores, bytes, bytes/s, bits/s. */
  dCpu = new Float64Array(0);
  dMemory = new Float64Array(0);
  dNvme = new Float64Array(0);
  dNic = new Float64Array(0);
  /** Its CPU and memory limits (Infinity: none), its cpu.shares, and how many phases its profile has. */
  limCpu = new Float64Array(0);
  limMemory = new Float64Array(0);
  shares = new Float64Array(0);
  phaseCount = new Int32Array(0);

  /** Makes room for slot `s`. */
  ensure(s: number): void {
    if (s < this.node.length) return;
    let n = Math.max(64, this.node.length);
    while (n <= s) n *= 2;
    const old = this.node.length;
    this.node = resized(this.node, n);
    this.node.fill(-1, old);
    this.phase = resized(this.phase, n);
    this.phaseLeft = resized(this.phaseLeft, n);
    this.left = resized(this.left, n);
    this.batch = resized(this.batch, n);
    this.rate = resized(this.rate, n);
    this.cpu = resized(this.cpu, n);
    this.memory = resized(this.memory, n);
    this.throttle = resized(this.throttle, n);
    this.throttled = resized(this.throttled, n);
    this.delivered = resized(this.delivered, n);
    this.ideal = resized(this.ideal, n);
    this.restarts = resized(this.restarts, n);
    this.backingOff = resized(this.backingOff, n);
    this.restartAt = resized(this.restartAt, n);
    this.at = resized(this.at, n);
    this.dCpu = resized(this.dCpu, n);
    this.dMemory = resized(this.dMemory, n);
    this.dNvme = resized(this.dNvme, n);
    this.dNic = resized(this.dNic, n);
    this.limCpu = resized(this.limCpu, n);
    this.limMemory = resized(this.limMemory, n);
    this.shares = resized(this.shares, n);
    this.phaseCount = resized(this.phaseCount, n);
  }
}
