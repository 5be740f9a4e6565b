/** A chart of a report: a vega-lite spec with where it goes and how to read it. */

/** A vega-lite spec, kept as plain JSON data. */
export type ChartSpec = Record<string, unknown>;

export interface Chart {
  /** What the chart shows (delay-cdf, nodes, alloc, stranded, platform); a section has at most one of each. */
  readonly kind: string;
  /** The scenario (or platform set) the chart belongs to. */
  readonly section: string;
  readonly title: string;
  /** One sentence under the chart: what is drawn and how to read it. */
  readonly caption: string;
  readonly spec: ChartSpec;
}
