/**
 * Colours of the report: one per policy, the same in every chart. Paul Tol's
 * "muted" qualitative scheme, made to stay distinct under the common forms of
 * colour blindness and in greyscale print (P. Tol, "Colour Schemes", SRON
 * technical note SRON/EPS/TN/09-002, 2021, figure 4). Past nine policies the
 * colours repeat; the legend, tooltips and tables name each line.
 */
export const POLICY_COLOURS: readonly string[] = ['#332288', '#CC6677', '#117733', '#DDCC77', '#88CCEE', '#882255', '#44AA99', '#999933', '#AA4499'];

/** A vega-lite colour scale giving each name of `domain` its colour, in order. */
export function policyScale(domain: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...domain], range: domain.map((_, i) => POLICY_COLOURS[i % POLICY_COLOURS.length]!) };
}

/** The colour of the i-th policy. */
export const policyColour = (i: number): string => POLICY_COLOURS[i % POLICY_COLOURS.length]!;
