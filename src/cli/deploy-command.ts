import { join } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-file.js';
import { pathInside } from '../core/paths.js';
import { quote } from '../core/text.js';
import { renderDeployment } from '../runner/deploy.js';
import type { Deployment } from '../runner/deploy.js';
import { parseRecordTables } from '../runner/records.js';
import { parseDurationMs } from './options.js';

export interface DeployFlags {
  readonly shards: string;
  readonly image: string;
  readonly out?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly pvc?: string;
  readonly storageClass?: string;
  readonly storage?: string;
  readonly accessMode?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly record?: string;
  readonly imagePath?: string;
  readonly mergeTimeout?: string;
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d{1,7}$/.test(text.trim())) throw new UsageError(`${flag} ${quote(text)}: expected a whole number`);
  return Number(text);
}

export function deploySweepCommand(file: string, flags: DeployFlags): number {
  const accessMode = flags.accessMode;
  if (accessMode !== undefined && accessMode !== 'ReadWriteMany' && accessMode !== 'ReadWriteOnce') {
    throw new UsageError(`--access-mode ${quote(accessMode)}: expected ReadWriteMany (shards on several nodes) or ReadWriteOnce (a single-node cluster)`);
  }
  const deployment = renderDeployment({
    sweepFile: file,
    shards: wholeNumber('--shards', flags.shards),
    image: flags.image,
    name: flags.name,
    namespace: flags.namespace,
    pvc: flags.pvc,
    storageClass: flags.storageClass,
    storage: flags.storage,
    accessMode,
    cpu: flags.cpu === undefined ? undefined : wholeNumber('--cpu', flags.cpu),
    memory: flags.memory,
    record: flags.record === undefined ? undefined : parseRecordTables(flags.record),
    imagePath: flags.imagePath,
    mergeTimeoutS: flags.mergeTimeout === undefined ? undefined : Math.ceil(parseDurationMs('--merge-timeout', flags.mergeTimeout) / 1000),
  });
  const header = headerOf(deployment, file);
  if (flags.out === undefined) {
    process.stdout.write(`${header}${deployment.objects.map((o) => stringify(o.object, { lineWidth: 0 })).join('---\n')}`);
    return 0;
  }
  for (const o of deployment.objects) writeFileAtomic(pathInside(flags.out, o.file), `${header}${stringify(o.object, { lineWidth: 0 })}`);
  console.error(`wrote ${deployment.objects.map((o) => join(flags.out!, o.file)).join(', ')}; apply with: kubectl apply -f ${flags.out}`);
  return 0;
}

function headerOf(d: Deployment, file: string): string {
  return [
    `# rackbench sweep ${d.sweepName} (id ${d.sweepId}, ${d.runs} runs), rendered by rackbench deploy sweep from ${file}.`,
    '# Render it again to change it: the shard count and the sweep id appear in several places below.',
    `# Results: /results/${d.name}/merged on the results volume once job/${d.name}-merge completes (deploy/README.md).`,
    '',
  ].join('\n');
}
