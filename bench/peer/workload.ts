/**
 * The saturation workload of the published simulator comparisons, as CSV in
 * rackbench's generic trace format (docs/traces.md): 40 nodes of 64 cores,
 * 256 GiB and 3.84 TB of NVMe; Poisson task arrivals at about 95 % of the
 * cluster's CPU. A task is one pod (flat) or 1–20 pods that arrive together
 * (grouped). Seeded: the same arguments write the same bytes.
 *
 *   node dist/bench/peer/make.js --pods 100000 [--grouped] [--seed 1] --out DIR
 *
 * Per task: CPU 1, 2, 4, 8 or 16 cores (weights 8:6:4:2:1), memory 4 GiB per
 * core, run time exponential with mean 600 s (at most 2 h). The arrival rate
 * is set so that rate × E[cores per task] × E[run time] = 0.95 × 2,560 cores.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/core/atomic-file.js';
import { RandomStreams } from '../../src/core/random.js';

export const PEER_NODES = 40;
export const PEER_NODE = { cpu: 64, memoryGiB: 256, nvme: '3840G' } as const;
const CORES = [1, 2, 4, 8, 16];
const WEIGHTS = [8, 6, 4, 2, 1];
const MEAN_RUN_S = 600;
const MAX_RUN_S = 7200;
const LOAD = 0.95;

export interface PeerWorkload {
  readonly pods: number;
  readonly grouped: boolean;
  readonly seed: number;
}

/** Writes nodes.csv and pods.csv into `dir`; returns their paths. */
export function writePeerWorkload(dir: string, w: PeerWorkload): { nodes: string; pods: string } {
  mkdirSync(dir, { recursive: true });
  const nodes = ['node,cpu,memory,zone,rack'];
  for (let n = 0; n < PEER_NODES; n++) nodes.push(`n${n},${PEER_NODE.cpu},${PEER_NODE.memoryGiB}Gi,z1,r${Math.floor(n / 20)}`);
  const streams = new RandomStreams(w.seed);
  const rng = streams.stream('bench/peer');
  const totalWeight = WEIGHTS.reduce((a, b) => a + b, 0);
  const meanCores = CORES.reduce((a, c, i) => a + (c * WEIGHTS[i]!) / totalWeight, 0);
  const meanPods = w.grouped ? 10.5 : 1;
  const tasksPerSecond = (LOAD * PEER_NODES * PEER_NODE.cpu) / (meanCores * meanPods * MEAN_RUN_S);
  const pods = ['name,owner,arrival,duration,cpu,memory'];
  let t = 0;
  let task = 0;
  let written = 0;
  while (written < w.pods) {
    t += -Math.log(1 - rng.next()) / tasksPerSecond;
    let pick = rng.next() * totalWeight;
    let k = 0;
    while (pick >= WEIGHTS[k]!) pick -= WEIGHTS[k++]!;
    const cores = CORES[k]!;
    const size = w.grouped ? 1 + Math.floor(rng.next() * 20) : 1;
    for (let i = 0; i < size && written < w.pods; i++, written++) {
      const run = Math.min(MAX_RUN_S, Math.max(1, Math.round(-Math.log(1 - rng.next()) * MEAN_RUN_S)));
      pods.push(`t${task}-${i},t${task},${t.toFixed(3)},${run},${cores},${cores * 4}Gi`);
    }
    task++;
  }
  const files = { nodes: join(dir, 'nodes.csv'), pods: join(dir, 'pods.csv') };
  writeFileAtomic(files.nodes, `${nodes.join('\n')}\n`);
  writeFileAtomic(files.pods, `${pods.join('\n')}\n`);
  return files;
}
