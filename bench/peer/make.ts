/**
 * Writes the peer saturation workload (workload.ts) to a directory.
 *
 *   node dist/bench/peer/make.js --pods 100000 [--grouped] [--seed 1] --out DIR
 */
import { writePeerWorkload } from './workload.js';

const args = process.argv.slice(2);
const value = (flag: string, fallback?: string): string => {
  const i = args.indexOf(flag);
  if (i >= 0 && args[i + 1] !== undefined) return args[i + 1]!;
  if (fallback === undefined) throw new Error(`usage: make.js --pods N [--grouped] [--seed S] --out DIR (missing ${flag})`);
  return fallback;
};
const files = writePeerWorkload(value('--out'), { pods: Number(value('--pods')), grouped: args.includes('--grouped'), seed: Number(value('--seed', '1')) });
console.log(`${files.nodes}\n${files.pods}`);
