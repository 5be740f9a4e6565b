import { appendFileSync } from 'node:fs';
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
  readonly details: string;
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
  if (!full) writeFileAtomic(flags.details, gateMarkdown(report));
  const text = gateSummaryMarkdown(report, { mode: flags.stat ? `across seeds at α = ${alpha}` : 'exact', details: full ? undefined : flags.details });
  console.log(text);
  if (flags.summary !== undefined) appendFileSync(flags.summary, `${text}\n`);
  return report.passed ? 0 : 1;
}
