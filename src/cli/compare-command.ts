import pc from 'picocolors';
import { terminalComparison } from '../report/terminal.js';
import { comparison } from '../runner/report.js';

export interface CompareFlags {
  readonly baseline?: string;
  readonly metric?: string[];
}

export function compareCommand(dir: string, flags: CompareFlags): number {
  const model = comparison(dir, { baseline: flags.baseline, metrics: flags.metric });
  // picocolors turns colour off for NO_COLOR, a dumb terminal or output that is not a terminal.
  process.stdout.write(terminalComparison(model, pc, flags.metric));
  return 0;
}
