/** Shared by the report tests: temporary directories and the scenario they run. */
import { join } from 'node:path';
import { ROOT } from './cli.js';

export { fileTempDir, ROOT, tempDir } from './cli.js';

export const K8S_SCENARIO = join(ROOT, 'scenarios', 'k8s-bare-metal.yaml');
