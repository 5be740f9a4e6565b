/**
 * `npm run bench`: every benchmark, on the built JavaScript (never under a
 * TypeScript loader). Prints a table and writes results/bench.json.
 *
 *   node dist/bench/run.js [--quick] [--only frequent|targeted|whole|queues|sweep|trace|peer|statistics] [--trace-rows N]
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../src/core/atomic-file.js';
import { packageRoot } from '../src/runner/defaults.js';
import { frequentTasks } from './frequent.js';
import type { BenchFigure } from './harness.js';
import { machine, runMicro, table } from './harness.js';
import { peerRuns } from './peer/peer.js';
import { pluginTasks, targetedTasks } from './targeted.js';
import { chartDrawing, statisticsTasks } from './statistics.js';
import { sweepRuns } from './sweep.js';
import { traceRuns } from './trace.js';
import { queueRuns, wholeRuns } from './whole.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const wanted = (group: string): boolean => only === undefined || only === group;

const figures: BenchFigure[] = [];
if (wanted('frequent')) figures.push(...(await runMicro('frequent', frequentTasks(), quick ? 200 : 1000)));
if (wanted('targeted')) figures.push(...(await runMicro('targeted', [...targetedTasks(), ...pluginTasks()], quick ? 100 : 500)));
if (wanted('whole')) figures.push(...wholeRuns(quick ? 1 : 5));
if (wanted('queues')) figures.push(...queueRuns(quick ? 1 : 3));
if (wanted('sweep')) figures.push(...(await sweepRuns(quick ? 1 : 3)));
const traceRows = args.includes('--trace-rows') ? Number(args[args.indexOf('--trace-rows') + 1]) : undefined;
if (wanted('trace')) figures.push(...traceRuns(quick ? 1 : 3, traceRows));
if (wanted('statistics')) figures.push(...(await runMicro('statistics', statisticsTasks(), quick ? 200 : 1000)), await chartDrawing(quick ? 1 : 5));
if (wanted('peer')) figures.push(...peerRuns(quick ? 1 : 3, quick ? 10_000 : 100_000));

console.log(table(figures));
const out = join(packageRoot(), 'results', 'bench.json');
writeFileAtomic(out, `${JSON.stringify({ machine: machine(), figures }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
