import pc from 'picocolors';
import { buildNodes, resourceSpaceOf } from '../model/cluster.js';
import { loadScenarioFile } from '../runner/plan.js';

/** Validates every file and reports each; throws the first file's InputError after reporting the good ones. */
export function validateCommand(files: string[]): number {
  for (const file of files) {
    const { scenario } = loadScenarioFile(file);
    const nodes = buildNodes(scenario, resourceSpaceOf(scenario));
    const w = scenario.workload;
    console.log(
      `${pc.green('ok')} ${file}: scenario "${scenario.name}", ${nodes.length} nodes in ${scenario.cluster.pools.length} pools, ` +
        `${w.services.length} services, ${w.jobs.length} jobs, ${w.streams.length} streams`,
    );
  }
  return 0;
}
