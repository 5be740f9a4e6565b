/** `rackbench import DUMP... --out FILE`: the command line over src/import/import-cluster.ts. */
import pc from 'picocolors';
import { UsageError } from '../core/errors.js';
import { parseDuration, QuantityError } from '../model/quantity.js';
import { importCluster, writeImportedScenario } from '../import/import-cluster.js';
import { EXIT_OK } from './exit.js';

export interface ImportFlags {
  readonly out: string;
  readonly name?: string;
  readonly group?: boolean;
  readonly pendingAt?: string;
  readonly until?: string;
  readonly jobDuration?: string;
  readonly reschedule?: boolean;
  readonly ignoreUnknown?: boolean;
}

function duration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value);
  } catch (e) {
    if (e instanceof QuantityError) throw new UsageError(`${flag}: ${e.message}`);
    throw e;
  }
}

export function importCommand(files: string[], flags: ImportFlags): number {
  const result = importCluster(files, {
    out: flags.out,
    name: flags.name,
    group: flags.group,
    pendingAt: duration('--pending-at', flags.pendingAt),
    until: duration('--until', flags.until),
    jobDuration: duration('--job-duration', flags.jobDuration),
    reschedule: flags.reschedule,
    ignoreUnknown: flags.ignoreUnknown,
  });
  writeImportedScenario(flags.out, result);
  const s = result.summary;
  const n = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
  for (const w of result.warnings) console.error(`${pc.yellow('warning:')} ${w}`);
  console.error(
    `${pc.green('wrote')} ${flags.out}: scenario "${result.scenario.name}", ${n(s.nodes, 'node')} in ${n(s.pools, 'pool')}; ` +
      `${n(s.pods.total, 'pod')} in the dumps: ${s.pods.pinned} pinned to their nodes, ${s.pods.pending} pending, ${s.pods.skipped} skipped` +
      `${s.fromControllers > 0 ? `, ${s.fromControllers} added for controllers' replicas` : ''}; ` +
      `${n(s.services, 'service')}, ${n(s.jobs, 'job')} (${n(s.scenarioPods, 'pod')} in all)`,
  );
  for (const n of result.notes) console.error(`  ${pc.dim('approximated:')} ${n}`);
  return EXIT_OK;
}
