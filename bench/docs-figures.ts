/**
 * `npm run docs:figures`: regenerates every figure README.md and docs/*.md
 * quote from a run, from the command that produces it, into the marked
 * blocks (figure-blocks.ts). With `--check` it writes nothing and exits 1
 * when the committed text differs from what it would write (CI runs it).
 * Only figures that do not depend on wall-clock time are generated: runs are
 * deterministic for the same inputs and seeds, whatever the worker count.
 *
 *   node dist/bench/docs-figures.js [--check] [--only <figure id>]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../src/core/atomic-file.js';
import { packageRoot } from '../src/runner/defaults.js';
import { blocksOf, rewriteBlocks } from './figure-blocks.js';

/** What one rackbench command printed and wrote. */
export interface Output {
  readonly stdout: string;
  /** A file the command wrote to its --out directory. */
  readonly file: (name: string) => string;
}

interface Figure {
  readonly id: string;
  /** rackbench arguments, without --out. */
  readonly command: readonly string[];
  /** A second command reading the first one's results directory (OUT in its arguments); its output is the figure's. */
  readonly then?: readonly string[];
  readonly render: (out: Output) => string;
}

const Gi = 2 ** 30;

/** The lines from the one starting with `start` to the next blank line. */
export function section(stdout: string, start: string): string {
  const lines = stdout.split('\n');
  const from = lines.findIndex((l) => l.startsWith(start));
  if (from < 0) throw new Error(`the command's output has no line starting "${start}"`);
  const to = lines.findIndex((l, i) => i > from && l.trim() === '');
  return lines
    .slice(from, to < 0 ? undefined : to)
    .map((l) => l.trimEnd())
    .join('\n');
}

/** Rows of a CSV file (rackbench's own: quoted fields double their quotes). */
export function csvRows(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  const endRow = (): void => {
    endField();
    records.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted) {
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') endRow();
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) endRow();
  const [head, ...rest] = records;
  return rest.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

/** A command as a shell line: arguments with shell characters quoted. */
const shell = (command: readonly string[]): string => command.map((a) => (/^[\w./,:=-]+$/.test(a) ? a : `"${a}"`)).join(' ');

/** Stands for the results directory in a figure's second command. */
const OUT = '{out}';
/** The results directory the commands shown write to and read. */
const SHOWN_OUT = 'results/figures';

/** The commands of a figure as a reader types them. */
const commandLine = (command: readonly string[], then?: readonly string[]): string =>
  then === undefined
    ? `\`npx rackbench ${shell(command)}\``
    : `\`npx rackbench ${shell([...command, '--out', SHOWN_OUT])}\` then \`npx rackbench ${shell(then.map((a) => (a === OUT ? SHOWN_OUT : a)))}\``;

const fenced = (command: readonly string[], body: string, then?: readonly string[]): string =>
  [`Printed by ${commandLine(command, then)} (\`npm run docs:figures\` regenerates it):`, '', '```', body, '```'].join('\n');

const K8S_VS_K3S = ['run', 'scenarios/k8s-vs-k3s.yaml'] as const;
const OFFICE_SURVIVE = ['capacity', 'scenarios/capacity/office-survive.yaml', '--survive', '1'] as const;
const OFFICE_PLAIN = ['capacity', 'scenarios/capacity/office-survive.yaml'] as const;
const WEB_AND_BATCH = [
  'capacity',
  'scenarios/capacity/web-and-batch.yaml',
  '--profiles',
  'r650-2x32c,r750-2x48c,ampere-altra-80c',
  '--platform',
  'kubernetes,k3s',
  '--slo',
  'sched_delay_p99<=30s,unschedulable=0,startup_p99<=60s',
  '--growth',
  '1.0',
] as const;

interface GroupMetric {
  readonly scenario: string;
  readonly scheduler: string;
  readonly metrics: Record<string, { mean: number }>;
}

/** The headline of the Kubernetes vs k3s comparison, from platforms.csv and summary.json. */
function k8sVsK3sHeadline(out: Output): string {
  const pools = csvRows(out.file('platforms.csv'));
  const groups = (JSON.parse(out.file('summary.json')) as { groups: GroupMetric[] }).groups;
  const platform = (p: string) => {
    const rows = pools.filter((r) => r.platform === p);
    const usable = rows.filter((r) => !/NoSchedule/.test(r.taints ?? ''));
    const machines = rows.reduce((s, r) => s + Number(r.nodes), 0);
    const used = usable.reduce((s, r) => s + Number(r.nodes), 0);
    const left = [...new Set(usable.map((r) => `${Math.round(Number(r.left_cpu) * 1000)}m · ${(Number(r.left_memory) / Gi).toFixed(2)}Gi`))].join(' or ');
    const mine = groups.filter((g) => g.scenario === `k8s-vs-k3s (platform=${p})`);
    const range = (metric: string, digits: number) => {
      const v = mine.map((g) => g.metrics[metric]!.mean);
      const [lo, hi] = [Math.min(...v), Math.max(...v)];
      return lo === hi ? lo.toFixed(digits) : `${lo.toFixed(digits)}–${hi.toFixed(digits)}`;
    };
    return { machines, used, left, neverFit: range('pods_never_fit', 0), delay: range('delay_p99_s', 0), seeds: mine[0] ? (mine[0] as unknown as { seeds: number[] }).seeds.length : 0 };
  };
  const k8s = platform('kubernetes');
  const k3s = platform('k3s');
  return [
    `From \`npx rackbench ${K8S_VS_K3S.join(' ')}\` (\`npm run docs:figures\` regenerates this paragraph):`,
    `on kubernetes the workload can use ${k8s.used} of the ${k8s.machines} machines, with ${k8s.left} left on each;`,
    `on k3s ${k3s.used} of ${k3s.machines}, with ${k3s.left} on each.`,
    `Pods that never fit (\`pods_never_fit\`, mean over ${k8s.seeds} seeds, by policy): ${k8s.neverFit} on kubernetes, ${k3s.neverFit} on k3s.`,
    `Scheduling delay p99 (\`delay_p99_s\`, mean over the seeds, by policy): ${k8s.delay} s on kubernetes, ${k3s.delay} s on k3s.`,
  ].join('\n');
}

/** The ranking table of a `rackbench capacity` run. */
const capacityTable = (out: Output): string =>
  section(out.stdout, 'growth ×')
    .split('\n')
    .filter((l) => !l.startsWith('nodes: of pool') && !l.startsWith('wrote '))
    .join('\n');

const TETRIS = ['run', 'scenarios/tetris-repro.yaml', '-s', 'tetris', '-s', 'first-fit', '-s', 'worst-fit', '-s', 'best-fit', '-s', 'kube-default', '-q', 'fifo', '--seed', '1', '--seed', '2', '--seed', '3', '--seed', '4', '--seed', '5'] as const;
const TETRIS_COMPARE = ['compare', OUT, '--baseline', 'first-fit', '--metric', 'makespan_s', '--metric', 'delay_p50_s', '--metric', 'delay_p99_s', '--metric', 'alloc_cpu_mean'] as const;

export const FIGURES: readonly Figure[] = [
  { id: 'k8s-vs-k3s-headline', command: K8S_VS_K3S, render: k8sVsK3sHeadline },
  { id: 'k8s-vs-k3s-nodes', command: K8S_VS_K3S, render: (o) => fenced(K8S_VS_K3S, section(o.stdout, 'Each node, after reserved resources')) },
  { id: 'k8s-vs-k3s-outcomes', command: K8S_VS_K3S, render: (o) => fenced(K8S_VS_K3S, section(o.stdout, 'Outcomes per policy and platform')) },
  { id: 'k8s-vs-k3s-parts', command: K8S_VS_K3S, render: (o) => fenced(K8S_VS_K3S, section(o.stdout, 'Where the difference comes from')) },
  { id: 'office-survive', command: OFFICE_SURVIVE, render: (o) => fenced(OFFICE_SURVIVE, capacityTable(o)) },
  { id: 'office-plain', command: OFFICE_PLAIN, render: (o) => fenced(OFFICE_PLAIN, capacityTable(o)) },
  { id: 'web-and-batch-growth1', command: WEB_AND_BATCH, render: (o) => fenced(WEB_AND_BATCH, capacityTable(o)) },
  { id: 'tetris-compare', command: TETRIS, then: TETRIS_COMPARE, render: (o) => fenced(TETRIS, section(o.stdout, 'tetris-repro'), TETRIS_COMPARE) },
];

/** Runs a rackbench command (the built CLI) into a fresh directory, then `then` on it, and keeps what the last printed and the first wrote. */
function runCommand(root: string, command: readonly string[], then?: readonly string[]): Output {
  const dir = mkdtempSync(join(tmpdir(), 'rackbench-figures-'));
  const rackbench = (args: readonly string[]): string =>
    execFileSync(process.execPath, [join(root, 'bin/rackbench.js'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = rackbench([...command, '--out', dir, '--quiet']);
    const stdout = then === undefined ? first : rackbench(then.map((a) => (a === OUT ? dir : a)));
    const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    return {
      stdout,
      file: (name) => {
        const text = files.get(name);
        if (text === undefined) throw new Error(`rackbench ${command.join(' ')} wrote no ${name}`);
        return text;
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** README.md and docs/*.md: the files that may hold figures blocks. */
function documents(root: string): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const root = packageRoot();
  const texts = new Map(documents(root).map((f) => [f, readFileSync(join(root, f), 'utf8')]));
  const wanted = new Set([...texts].flatMap(([f, t]) => blocksOf(t, f).map((b) => b.id)));
  for (const id of wanted) if (!FIGURES.some((f) => f.id === id)) throw new Error(`a figures block names "${id}", which is no figure (known: ${FIGURES.map((f) => f.id).join(', ')})`);
  const outputs = new Map<string, Output>();
  const rendered = new Map<string, string>();
  for (const fig of FIGURES) {
    if (!wanted.has(fig.id) || (only !== undefined && fig.id !== only)) continue;
    const key = commandLine(fig.command, fig.then);
    if (!outputs.has(key)) {
      console.error(key);
      outputs.set(key, runCommand(root, fig.command, fig.then));
    }
    rendered.set(fig.id, fig.render(outputs.get(key)!));
  }
  let differs = 0;
  for (const [file, text] of texts) {
    const next = rewriteBlocks(text, file, (id) => rendered.get(id) ?? blocksOf(text, file).find((b) => b.id === id)!.content);
    if (next === text) continue;
    if (check) {
      const was = new Map(blocksOf(text, file).map((b) => [b.id, b]));
      for (const b of blocksOf(next, file)) if (was.get(b.id)!.content !== b.content) console.error(`${file}:${b.line}: figures block "${b.id}" differs from what ${commandLine(FIGURES.find((f) => f.id === b.id)!.command, FIGURES.find((f) => f.id === b.id)!.then)} prints`);
      differs++;
    } else {
      writeFileAtomic(join(root, file), next);
      console.error(`rewrote ${file}`);
    }
  }
  if (check && differs > 0) console.error('run `npm run docs:figures` and commit the result');
  return check && differs > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`docs:figures: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  }
}
