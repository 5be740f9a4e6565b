/**
 * The saturation benchmark (`npm run bench -- --only peer`): the peer
 * workload (workload.ts: 40 nodes of 64 cores at ~95 % CPU load, flat one pod
 * per task) replayed as whole processes — the bare first-fit loop of limit.ts
 * and `rackbench run` with first-fit, best-fit, kube with MostAllocated and
 * kube-default — alternating run by run, so that each figure's ratio to the
 * limit is measured under the same load. Reports pods/s, the ratio to the
 * limit, events and scheduling attempts per pod.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import { quantileSorted } from '../../src/core/stats.js';
import { packageRoot } from '../../src/runner/defaults.js';
import type { BenchFigure } from '../harness.js';
import { writePeerWorkload } from './workload.js';

/** The kube profile the published comparisons ran: MostAllocated on cpu and memory, BalancedAllocation off. */
const SCENARIO = `name: peer-flat
cluster:
  pools: [{ name: unused, count: 0, capacity: { cpu: 1 } }]
workload: {}
trace: { format: csv, files: [nodes.csv, pods.csv] }
schedulers:
  kube-most-allocated:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - schedulerName: default-scheduler
        plugins:
          score:
            disabled: [{ name: NodeResourcesBalancedAllocation }]
        pluginConfig:
          - name: NodeResourcesFit
            args:
              scoringStrategy:
                type: MostAllocated
                resources: [{ name: cpu, weight: 1 }, { name: memory, weight: 1 }]
defaults: { seeds: [1] }
`;

interface Contender {
  readonly name: string;
  readonly scheduler?: string;
  readonly queue?: string;
}

const CONTENDERS: readonly Contender[] = [
  { name: 'the limit: a bare first-fit event loop' },
  { name: 'first-fit, fifo', scheduler: 'first-fit', queue: 'fifo' },
  { name: 'best-fit, fifo', scheduler: 'best-fit', queue: 'fifo' },
  { name: 'kube, MostAllocated', scheduler: 'kube-most-allocated', queue: 'kube' },
  { name: 'kube-default', scheduler: 'kube-default', queue: 'kube' },
];

interface Sample {
  readonly ms: number;
  readonly events: number;
  readonly attempts: number;
}

/** The workload's directory (made once per pod count, kept in the temp directory). */
function workload(pods: number): string {
  const dir = join(tmpdir(), `rackbench-peer-flat-${pods}`);
  if (!existsSync(join(dir, 'scenario.yaml'))) {
    writePeerWorkload(dir, { pods, grouped: false, seed: 1 });
    writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
  }
  return dir;
}

function once(c: Contender, dir: string): Sample {
  const limit = fileURLToPath(new URL('./limit.js', import.meta.url));
  const out = mkdtempSync(join(tmpdir(), 'rackbench-peer-out-'));
  const args =
    c.scheduler === undefined
      ? [limit, join(dir, 'nodes.csv'), join(dir, 'pods.csv')]
      : [join(packageRoot(), 'bin', 'rackbench.js'), 'run', join(dir, 'scenario.yaml'), '--scheduler', c.scheduler, '--queue', c.queue!, '--workers', '1', '--quiet', '--out', out];
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = performance.now() - started;
  try {
    if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}\n${r.stderr}`);
    if (c.scheduler === undefined) return { ms, events: 0, attempts: 0 };
    const [t] = parse(readFileSync(join(out, 'timings.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    return { ms, events: Number(t!.events), attempts: Number(t!.attempts) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function peerRuns(repeats: number, pods = 100_000): BenchFigure[] {
  const dir = workload(pods);
  const samples = CONTENDERS.map((): Sample[] => []);
  for (let i = 0; i < repeats; i++) CONTENDERS.forEach((c, k) => samples[k]!.push(once(c, dir)));
  const median = (xs: number[]): number => quantileSorted([...xs].sort((a, b) => a - b), 0.5);
  const limitMs = median(samples[0]!.map((s) => s.ms));
  return CONTENDERS.map((c, k) => {
    const ms = median(samples[k]!.map((s) => s.ms));
    const { events, attempts } = samples[k]![0]!;
    return {
      group: 'peer',
      name: `${c.name}, 40 nodes, ${pods.toLocaleString('en-US')} pods at ~95 % load (whole process)`,
      medianMs: ms,
      opsPerSecond: (pods * 1000) / ms,
      unit: 'pod',
      samples: repeats,
      extra: {
        ratio_to_limit: limitMs / ms,
        ...(c.scheduler === undefined ? {} : { events_per_pod: events / pods, attempts_per_pod: attempts / pods }),
      },
    };
  });
}
