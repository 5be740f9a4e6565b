import pc from 'picocolors';
import { buildNodes, resourceSpaceOf } from '../model/cluster.js';
import { loadScenarioVariants } from '../runner/plan.js';

/** Validates every file and reports each; throws the first file's InputError after reporting the good ones. */
export function validateCommand(files: string[]): number {
  for (const file of files) {
    // Each platform of defaults.platforms is validated too.
    const variants = loadScenarioVariants(file);
    const { scenario } = variants[0]!;
    const nodes = buildNodes(scenario, resourceSpaceOf(scenario));
    const w = scenario.workload;
    const platforms = scenario.defaults.platforms === undefined ? '' : `, run on ${variants.map((v) => v.scenario.platform).join(' and ')}`;
    console.log(
      `${pc.green('ok')} ${file}: scenario "${scenario.name}", ${nodes.length} nodes in ${scenario.cluster.pools.length} pools, ` +
        `${w.services.length} services, ${w.jobs.length} jobs, ${w.streams.length} streams${platforms}`,
    );
  }
  return 0;
}
