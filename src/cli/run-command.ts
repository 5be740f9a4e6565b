import pc from 'picocolors';
import { UsageError } from '../core/errors.js';
import { summarize } from '../report/summary.js';
import { comparisonTable } from '../report/table.js';
import { defaultScenarioFiles } from '../runner/defaults.js';
import { loadScenarioFile, planRuns } from '../runner/plan.js';
import { writeResults } from '../runner/results.js';
import { runOne } from '../runner/run-one.js';
import type { RunResult } from '../runner/run-one.js';

export interface RunFlags {
  readonly scheduler?: string[];
  readonly seed?: string[];
  readonly queue?: string;
  readonly out: string;
  readonly quiet?: boolean;
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed ${text}: expected a non-negative integer`);
  }
  return Number(text);
}

export function runCommand(files: string[], flags: RunFlags): number {
  const scenarios =
    files.length > 0 ? files.map(loadScenarioFile) : defaultScenarioFiles().map(loadScenarioFile).filter((s) => s.scenario.defaults.runByDefault);
  const specs = planRuns(scenarios, {
    schedulers: flags.scheduler,
    seeds: flags.seed?.map(parseSeed),
    queue: flags.queue,
  });
  const results: RunResult[] = [];
  const width = String(specs.length).length;
  specs.forEach((spec, i) => {
    const result = runOne(spec);
    results.push(result);
    if (!flags.quiet) {
      const t = result.timing;
      const eventsPerSecond = Math.round(t.events / (t.wallMs / 1000));
      console.error(
        pc.dim(`[${String(i + 1).padStart(width)}/${specs.length}]`) +
          ` ${result.scenario} ${pc.bold(result.scheduler)} seed ${result.seed}: ` +
          `${result.metrics.pods_scheduled} placed, ${result.metrics.pods_unschedulable} unschedulable ` +
          pc.dim(`(${t.wallMs.toFixed(0)} ms, ${eventsPerSecond.toLocaleString('en-US')} events/s)`),
      );
    }
  });
  const written = writeResults(flags.out, results);
  console.log(comparisonTable(summarize(results)));
  console.log(`wrote ${written.runs}, ${written.summary}, ${written.timings}`);
  return 0;
}
