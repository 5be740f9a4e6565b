import { gateMarkdown } from '../report/gate.js';
import { gate } from '../runner/gate.js';

export interface GateFlags {
  readonly baseline?: string;
  readonly update?: boolean;
  readonly speed?: boolean;
}

export async function gateCommand(results: string | undefined, flags: GateFlags): Promise<number> {
  const outcome = await gate({ results, baseline: flags.baseline, update: flags.update, speed: flags.speed });
  if (outcome.updated) {
    console.log(`wrote ${outcome.baselineFile} from ${outcome.runs} runs`);
    return 0;
  }
  console.log(gateMarkdown(outcome.report!));
  return outcome.report!.passed ? 0 : 1;
}
