import { execFileSync } from 'node:child_process';

/** Compiles src/ to dist/ so the end-to-end tests exercise the current code through bin/rackbench.js. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
