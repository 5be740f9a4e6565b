/**
 * Per-run quantile sketches of the delay metrics: scheduling delay (arrival
 * → bind) and start-up latency (bind → containers started) of workload pods,
 * in seconds, each a DDSketch (core/quantile-sketch.ts). runs.csv keeps a
 * handful of exact quantiles per run; the sketches keep the whole
 * distribution, to 1 % relative accuracy, in a few kilobytes, and merge across
 * seeds, so a report can draw true distributions (sketches.json).
 */
import type { DDSketch } from '@datadog/sketches-js';
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { newSketch, sketchData } from '../core/quantile-sketch.js';
import type { SketchData } from '../core/quantile-sketch.js';
import type { SimContext, SimObserver } from '../sim/observer.js';
import type { PodTable } from '../sim/pod-table.js';

/** The sketched metrics, by their name in sketches.json. */
export const SKETCHED_METRICS = ['delay_s', 'startup_s'] as const;
export type SketchedMetric = (typeof SKETCHED_METRICS)[number];

export type RunSketches = Readonly<Record<SketchedMetric, SketchData>>;

export class DelaySketches implements SimObserver {
  private pods!: PodTable;
  private readonly delay: DDSketch = newSketch();
  private readonly startup: DDSketch = newSketch();

  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }

  // Platform pods pinned to their node are left out, as from delay_p50_s and startup_p50_s.
  podBound(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    if (this.pods.pinned[slot] === 1) return;
    this.delay.accept((now - this.pods.arrival[slot]!) / MICROS_PER_SECOND);
  }

  podStarted(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    if (this.pods.pinned[slot] === 1) return;
    this.startup.accept((now - this.pods.bindAt[slot]!) / MICROS_PER_SECOND);
  }

  result(): RunSketches {
    return { delay_s: sketchData(this.delay), startup_s: sketchData(this.startup) };
  }
}
