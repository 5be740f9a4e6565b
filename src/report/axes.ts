/**
 * Quantitative axes that read right whatever the values. Positive values
 * spanning decades get a log axis from the power of ten below them to the one
 * above, ticked and gridded at each power of ten only (vega's own log ticks
 * label 0.01, 0.02, 0.1, 0.2 … and crowd). Otherwise the axis is linear, and
 * values that are constant or nearly so get a domain widened around them:
 * vega's ticks over a zero-width domain print `0.000000`, and over a width of
 * rounding noise they print 5.9999962, 5.9999964 … and make noise look like a
 * difference.
 */
import type { ChartSpec } from './chart.js';

/** Whether positive values spanning this range read better on a log axis (more than 1.5 decades). */
export function spansDecades(values: readonly number[]): boolean {
  const pos = values.filter((v) => v > 0);
  if (pos.length < 2 || pos.length < values.length) return false;
  return Math.max(...pos) / Math.min(...pos) > 30;
}

/** The powers of ten from `lo` to `hi` (both powers of ten themselves). */
export function decadeTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.round(Math.log10(lo)); e <= Math.round(Math.log10(hi)); e++) out.push(Number(`1e${e}`));
  return out;
}

/**
 * A log scale just wider than the values (rounding out to whole decades would
 * leave up to nine tenths of the top decade empty), ticked at the powers of
 * ten inside it; at 1, 2 and 5 times them when it holds fewer than three.
 */
export function logAxis(min: number, max: number): { scale: ChartSpec; axis: ChartSpec } {
  const lo = min / 1.15;
  const hi = max * 1.15;
  const inside = (steps: readonly number[]): number[] => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of steps) out.push(Number(`${m}e${e}`));
    return out.filter((t) => t >= lo && t <= hi);
  };
  const decades = inside([1]);
  return { scale: { type: 'log', domain: [lo, hi], nice: false }, axis: { values: decades.length >= 3 ? decades : inside([1, 2, 5]) } };
}

/**
 * A linear domain no narrower than 5 % of the values' magnitude (1 when they
 * are all 0), so a constant metric shows as a flat line at a plainly labelled
 * value; undefined when the values already span that much. It stays at or
 * above 0 for values that are.
 */
export function widenedDomain(values: readonly number[]): [number, number] | undefined {
  if (values.length === 0) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  const least = magnitude === 0 ? 1 : magnitude * 0.05;
  if (max - min >= least) return undefined;
  const pad = (least - (max - min)) / 2;
  let lo = min - pad;
  let hi = max + pad;
  if (min >= 0 && lo < 0) {
    hi -= lo;
    lo = 0;
  }
  return [lo, hi];
}

export interface AxisChoice {
  readonly log: boolean;
  /** The encoding's `scale`. */
  readonly scale: ChartSpec;
  /** Axis properties to merge into the encoding's `axis`. */
  readonly axis: ChartSpec;
}

/**
 * The scale and ticks for these values: log when they span decades, else
 * linear (from 0 with `zero`), widened when (nearly) constant. Whole-number
 * values (pod counts, peaks) keep whole-number ticks.
 */
export function axisFor(values: readonly number[], options: { zero?: boolean } = {}): AxisChoice {
  const finite = values.filter((v) => Number.isFinite(v));
  const whole = finite.every((v) => Number.isInteger(v)) ? { tickMinStep: 1 } : {};
  if (spansDecades(finite)) {
    const { scale, axis } = logAxis(Math.min(...finite), Math.max(...finite));
    return { log: true, scale, axis };
  }
  const domain = widenedDomain(options.zero === true ? [0, ...finite] : finite);
  if (domain !== undefined) {
    // One tick, at the value every policy shares (to three figures: what differs beyond is noise).
    const mid = (Math.min(...finite) + Math.max(...finite)) / 2;
    return { log: false, scale: { domain, nice: false, zero: false }, axis: { values: [Number(mid.toPrecision(3))], format: ',.3~r' } };
  }
  return { log: false, scale: { zero: options.zero === true, nice: true }, axis: whole };
}

