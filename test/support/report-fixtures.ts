/** Shared by the report tests: the CLI helpers and the scenario they run. */
import { join } from 'node:path';
import { ROOT } from './cli.js';

export { BIN, ROOT, rackbench, rackbenchWith, tempDir } from './cli.js';

export const K8S_SCENARIO = join(ROOT, 'scenarios', 'k8s-bare-metal.yaml');
