/**
 * The floor under every policy on this machine: the peer workload's files
 * read and replayed by a bare first-fit event loop in plain Node — no
 * rackbench code, a typed-array heap of pod ends, FIFO waiting pods retried
 * on the node each end frees. Timed as a whole process, exactly as
 * rackbench is, so the ratio of the two is stable where absolute times are
 * not. Prints one JSON line.
 *
 *   node dist/bench/peer/limit.js NODES.csv PODS.csv
 */
import { readFileSync } from 'node:fs';

const [nodesFile, podsFile] = process.argv.slice(2);
if (nodesFile === undefined || podsFile === undefined) throw new Error('usage: limit.js NODES.csv PODS.csv');

const GI = 2 ** 30;
const memory = (s: string): number => (s.endsWith('Gi') ? Number(s.slice(0, -2)) * GI : Number(s));
const rows = (file: string): string[][] => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: string[][] = [];
  for (let i = 1; i < lines.length; i++) if (lines[i]!.length > 0) out.push(lines[i]!.split(','));
  return out;
};

const nodeRows = rows(nodesFile);
const n = nodeRows.length;
const freeCpu = new Float64Array(n);
const freeMem = new Float64Array(n);
nodeRows.forEach((r, i) => {
  freeCpu[i] = Number(r[1]) * 1000;
  freeMem[i] = memory(r[2]!);
});

// name,owner,arrival,duration,cpu,memory
const podRows = rows(podsFile);
const p = podRows.length;
const arrival = new Float64Array(p);
const duration = new Float64Array(p);
const cpu = new Float64Array(p);
const mem = new Float64Array(p);
podRows.forEach((r, i) => {
  arrival[i] = Math.round(Number(r[2]) * 1e6);
  duration[i] = Math.round(Number(r[3]) * 1e6);
  cpu[i] = Number(r[4]) * 1000;
  mem[i] = memory(r[5]!);
});

// A binary min-heap of (end time, pod, node) on typed arrays.
let size = 0;
const hTime = new Float64Array(p);
const hPod = new Int32Array(p);
const hNode = new Int32Array(p);
function push(t: number, pod: number, node: number): void {
  let i = size++;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (hTime[parent]! <= t) break;
    hTime[i] = hTime[parent]!;
    hPod[i] = hPod[parent]!;
    hNode[i] = hNode[parent]!;
    i = parent;
  }
  hTime[i] = t;
  hPod[i] = pod;
  hNode[i] = node;
}
function pop(): void {
  const t = hTime[--size]!;
  const pod = hPod[size]!;
  const node = hNode[size]!;
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && hTime[c + 1]! < hTime[c]!) c++;
    if (hTime[c]! >= t) break;
    hTime[i] = hTime[c]!;
    hPod[i] = hPod[c]!;
    hNode[i] = hNode[c]!;
    i = c;
  }
  hTime[i] = t;
  hPod[i] = pod;
  hNode[i] = node;
}

const waiting = new Int32Array(p);
let tail = 0;
let placed = 0;
let now = 0;
const start = (pod: number, node: number): void => {
  freeCpu[node]! -= cpu[pod]!;
  freeMem[node]! -= mem[pod]!;
  push(now + duration[pod]!, pod, node);
  placed++;
};
const firstFit = (pod: number): number => {
  for (let k = 0; k < n; k++) if (cpu[pod]! <= freeCpu[k]! && mem[pod]! <= freeMem[k]!) return k;
  return -1;
};

let next = 0;
while (next < p || size > 0) {
  if (next < p && (size === 0 || arrival[next]! <= hTime[0]!)) {
    now = arrival[next]!;
    const node = firstFit(next);
    if (node >= 0) start(next, node);
    else waiting[tail++] = next;
    next++;
    continue;
  }
  now = hTime[0]!;
  const node = hNode[0]!;
  const pod = hPod[0]!;
  pop();
  freeCpu[node]! += cpu[pod]!;
  freeMem[node]! += mem[pod]!;
  // Waiting pods, oldest first, on the node that room opened on (no other node changed).
  let kept = 0;
  for (let i = 0; i < tail; i++) {
    const w = waiting[i]!;
    if (cpu[w]! <= freeCpu[node]! && mem[w]! <= freeMem[node]!) start(w, node);
    else waiting[kept++] = w;
  }
  tail = kept;
}

console.log(JSON.stringify({ pods: p, placed, makespanS: now / 1e6 }));
