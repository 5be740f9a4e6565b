import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathInside } from '../core/paths.js';
import { writeFileAtomic } from '../core/atomic-file.js';
import { UsageError } from '../core/errors.js';
import { gateMarkdown } from '../report/gate.js';
import { gateSummaryMarkdown, printsInFull } from '../report/gate-rollup.js';
import { gate } from '../runner/gate.js';

export interface GateFlags {
  readonly baseline?: string;
  readonly update?: boolean;
  readonly speed?: boolean;
  readonly stat?: boolean;
  readonly alpha?: string;
  readonly summary?: string;
  readonly details?: string;
}

/** The file of the gate's full table in its results directory, when --details names none. */
export const GATE_DETAILS = 'gate.md';

/**
 * Where the full table goes when it is too long to print: --details; else
 * beside the runs it judges (the results directory); else, for the default
 * suite (which writes no results directory), a new directory under the
 * system's temporary directory. Never the working directory unasked.
 */
function detailsFile(results: string | undefined, flags: GateFlags): string {
  if (flags.details !== undefined) return flags.details;
  if (results !== undefined) return pathInside(results, GATE_DETAILS);
  return join(mkdtempSync(join(tmpdir(), 'rackbench-gate-')), GATE_DETAILS);
}

function parseAlpha(flags: GateFlags): number {
  if (flags.alpha === undefined) return 0.05;
  if (!flags.stat) throw new UsageError('--alpha applies to --stat: add --stat to compare across seeds');
  const alpha = Number(flags.alpha);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(flags.alpha) || !(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha ${flags.alpha}: expected a significance level between 0 and 1, such as 0.05`);
  return alpha;
}

export async function gateCommand(results: string | undefined, flags: GateFlags): Promise<number> {
  const alpha = parseAlpha(flags);
  const outcome = await gate({ results, baseline: flags.baseline, update: flags.update, speed: flags.speed, stat: flags.stat ? { alpha } : undefined });
  if (outcome.updated) {
    console.log(`wrote ${outcome.baselineFile} from ${outcome.runs} runs`);
    return 0;
  }
  const report = outcome.report!;
  const full = printsInFull(report);
  const details = full ? undefined : detailsFile(results, flags);
  if (details !== undefined) writeFileAtomic(details, gateMarkdown(report));
  const text = gateSummaryMarkdown(report, { mode: flags.stat ? `across seeds at α = ${alpha}` : 'exact', details });
  console.log(text);
  if (flags.summary !== undefined) appendFileSync(flags.summary, `${text}\n`);
  return report.passed ? 0 : 1;
}
