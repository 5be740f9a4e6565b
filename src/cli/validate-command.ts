import pc from 'picocolors';
import { buildNodes, resourceSpaceOf } from '../model/cluster.js';
import { estimateRunMemory, formatBytes } from '../model/memory-estimate.js';
import { checkRunsMemory, memoryLimit } from '../runner/memory-check.js';
import { loadScenarioVariants } from '../runner/plan.js';
import { parseMaxMemory } from './options.js';

/**
 * Validates every file and reports each; throws the first file's InputError
 * after reporting the good ones. A scenario whose run would need more memory
 * than is free (or than --max-memory) is invalid too.
 */
export function validateCommand(files: string[], flags: { readonly maxMemory?: string } = {}): number {
  const limit = memoryLimit(parseMaxMemory(flags.maxMemory));
  for (const file of files) {
    // Each platform of defaults.platforms is validated too.
    const variants = loadScenarioVariants(file);
    // Before the nodes are built below: a scenario of 10^8 nodes is refused here, not after it filled the memory.
    checkRunsMemory(variants, limit);
    const { scenario } = variants[0]!;
    const nodes = buildNodes(scenario, resourceSpaceOf(scenario));
    const w = scenario.workload;
    const platforms = scenario.defaults.platforms === undefined ? '' : `, run on ${variants.map((v) => v.scenario.platform).join(' and ')}`;
    console.log(
      `${pc.green('ok')} ${file}: scenario "${scenario.name}", ${nodes.length} nodes in ${scenario.cluster.pools.length} pools, ` +
        `${w.services.length} services, ${w.jobs.length} jobs, ${w.streams.length} streams${platforms}; a run needs about ${formatBytes(Math.max(...variants.map((v) => estimateRunMemory(v.scenario).bytes)))}`,
    );
  }
  return 0;
}
