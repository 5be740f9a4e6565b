/**
 * The fidelity tests read published data kept beside the repository, in ../shared (traces, benchmark
 * instances, upstream Kubernetes fixtures). In CI those files must be there: a suite that needs one that
 * is absent fails, naming it, rather than passing without having checked anything. Elsewhere (no `CI`
 * environment variable) it is skipped, and the skipped test and a warning name the missing path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ROOT } from './cli.js';

/** The directory of shared data: ../shared next to the repository. */
export const SHARED = join(ROOT, '..', 'shared');

/** The absolute path of a file under ../shared, e.g. `sharedPath('data', 'traces', 'x.csv')`. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED, ...parts);
}

/** Whether this is a CI run: `CI` set to anything but empty, `0` or `false` (as CI services set it). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** What becomes of a suite that reads `paths`: it runs, or it fails or is skipped with a message naming what is absent. */
export type SharedDataPlan = { readonly action: 'run' } | { readonly action: 'fail' | 'skip'; readonly message: string };

export function sharedDataPlan(paths: readonly string[], env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): SharedDataPlan {
  const missing = paths.filter((p) => !exists(p));
  if (missing.length === 0) return { action: 'run' };
  const list = missing.join(', ');
  if (inCi(env)) return { action: 'fail', message: `absent: ${list} (CI runs the fidelity tests on the shared data, which must be beside the repository)` };
  return { action: 'skip', message: `skipped: ${list} absent` };
}

/**
 * `describe(title, body)` when every path in `paths` exists. When some are absent: in CI, a suite of one
 * failing test that names them; elsewhere a skipped test that names them, and a warning. `body` is not
 * called then, so it may read the files while the tests are collected.
 */
export function describeWithShared(title: string, paths: readonly string[], body: () => void): void {
  const plan = sharedDataPlan(paths);
  if (plan.action === 'run') {
    describe(title, body);
    return;
  }
  const { message } = plan;
  if (plan.action === 'skip') console.warn(`${title}: ${message} (in CI this fails)`);
  describe(title, () => {
    if (plan.action === 'fail') {
      it('needs the shared data', () => {
        throw new Error(message);
      });
    } else {
      it.skip(message, () => {});
    }
  });
}
