/**
 * Fuzzing every kind of input rackbench reads: a valid file of each kind,
 * mutated by fast-check (bytes and lines cut, repeated, swapped; hostile
 * text put in: control bytes, NUL, quotes, YAML anchors and alias bombs,
 * deep nesting, numbers of thousands of digits, repeated header columns), is
 * read in this process by the function the command calls. Each case must end
 * in success or in an error the command reports with exit 2 and one line per
 * issue naming the file and the field or line, with no stack trace, no
 * "internal error", no raw control character and no value quoted beyond 80
 * characters (checkOutcome). Shared by test/fuzz-inputs.test.ts (fixed seed,
 * a fixed number of cases) and test/fuzz/main.ts (`npm run fuzz`).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { loadCapacityFile } from '../../src/capacity/capacity-file.js';
import { isBadInput } from '../../src/cli/exit.js';
import { safeText } from '../../src/core/text.js';
import { importCluster } from '../../src/import/import-cluster.js';
import { scenarioFromText } from '../../src/model/scenario-file.js';
import { mergeShards } from '../../src/runner/merge.js';
import { loadScenarioVariants } from '../../src/runner/plan.js';
import { hashKey } from '../../src/runner/run-key.js';
import { runOne } from '../../src/runner/run-one.js';
import { loadSweep } from '../../src/runner/sweep-file.js';
import { inspectTrace } from '../../src/runner/trace-inspect.js';
import { scenarioFromData } from '../../src/model/scenario-file.js';

const ROOT = join(import.meta.dirname, '..', '..');
const fixture = (...parts: string[]): string => readFileSync(join(ROOT, 'test', 'fixtures', ...parts), 'utf8');

/** A set of files of one input kind, one of which a case mutates. */
export interface Seed {
  readonly files: Readonly<Record<string, string>>;
  /** The file the command is given (for runs.ndjson: the directory holding it, '.'). */
  readonly main: string;
}

export interface FuzzKind {
  readonly name: string;
  readonly seeds: readonly Seed[];
  /** Whether the kind is YAML (alias and nesting mutations apply). */
  readonly yaml: boolean;
  /** Whether the first line is a header row (header mutations apply). */
  readonly header?: boolean;
  /** Reads the files in `dir` as the command does, in this process. Throws what the command would. */
  parse(dir: string, main: string): void | Promise<void>;
  /** The command line that reads the same files, for the sample run through the CLI. */
  cli(dir: string, main: string): string[];
  /** Whether the command runs simulations when the input is valid (the CLI sample then takes only failing cases). */
  readonly runs: boolean;
}

// ---- seeds ------------------------------------------------------------------------------------------

const SCENARIO_RICH = `name: rich
platform: k3s
stack: { datastore: sqlite }
cluster:
  pools:
    - name: server
      role: server
      count: 1
      capacity: { cpu: 4, memory: 8Gi }
    - &pool
      name: agent
      count: 3
      capacity: { cpu: 8, memory: 32Gi, nvme: 1T }
      labels: { tier: edge }
      zones: [a, b]
workload:
  services:
    - name: web
      replicas: 4
      requests: { cpu: 500m, memory: 512Mi }
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: web } } }
      labels: { app: web }
  jobs:
    - name: batch
      completions: 6
      parallelism: 2
      duration: { dist: uniform, min: 30s, max: 2m }
      requests: { cpu: 1, memory: 1Gi }
  streams:
    - name: ad-hoc
      arrival: { process: poisson, rate: 2/s }
      count: 40
      duration: { dist: exponential, mean: 20s, max: 5m }
      requests: { cpu: { dist: choice, values: [250m, 500m], weights: [3, 1] }, memory: 256Mi }
simulation: { until: 1h }
defaults: { seeds: [1, 2], schedulers: [best-fit] }
`;

const NODES_CSV = 'node,cpu,memory,gpu,zone\nn1,32,128Gi,0,a\nn2,32,128Gi,4,b\nn3,16,64Gi,0,a\n';
const PODS_CSV = 'arrival,duration,cpu,memory,name,gpu,priority\n0,60,500m,1Gi,p0,,0\n1.5s,2m,1,2Gi,p1,0.5,10\n10,,250m,512Mi,p2,,\n12,30s,2,4Gi,p3,1,-5\n';
const GOOGLE_2011_MACHINES = '0,5,0,p1,0.5,0.25\n0,6,0,p1,1,1\n100,5,2,p1,,0.5\n200000000,6,1,p1,,\n';
const GOOGLE_2011_TASKS = [
  '1000000,,j1,0,,0,u,2,9,0.125,0.0625,0,0',
  '2000000,,j1,0,5,1,u,2,9,0.125,0.0625,0,0',
  '2000000,,j1,1,,0,u,0,0,0.25,0.25,0,0',
  '3000000,,j1,0,5,4,u,2,9,,,,',
].join('\n');
const GOOGLE_2019_MACHINES = 'time,machine_id,type,switch_id,capacity.cpus,capacity.memory,platform_id\n0,11,1,sw1,0.5,0.5,p\n0,12,1,sw2,1,1,p\n10,12,3,sw2,0.75,,p\n';
const GOOGLE_2019_INSTANCES =
  'time,type,collection_id,instance_index,priority,scheduling_class,collection_type,resource_request.cpus,resource_request.memory\n' +
  '100,0,7,0,200,1,0,0.05,0.02\n200,3,7,0,200,1,0,0.05,0.02\n900,6,7,0,200,1,0,,\n300,0,8,0,0,0,1,0.1,0.1\n';
const GOOGLE_2019_JSONL = [
  '{"time":"100","type":0,"collection_id":"7","instance_index":0,"priority":200,"resource_request":{"cpus":0.05,"memory":0.02}}',
  '{"time":"200","type":3,"collection_id":"7","instance_index":0}',
  '{"time":"900","type":6,"collection_id":"7","instance_index":0}',
].join('\n');
const AZURE = 'vm1,s1,d1,0,300,10,5,8,Interactive,2,4\nvm2,s1,d1,10,500,50,20,40,Delay-insensitive,>24,>64\nvm3,s2,d2,20,40,1,1,1,Unknown,4,8\n';
const ALI_2018_BATCH = 'task_1,3,j_1,1,Terminated,100,400,50,0.5\ntask_2,1,j_1,1,Terminated,120,0,100,1.2\n';
const ALI_2018_CONTAINERS = 'c_1,m_1,10,app_1,started,400,400,1.5\nc_2,m_2,20,app_1,started,200,400,0.8\n';

function runsNdjsonSeed(): Seed {
  const scenario = scenarioFromData(
    { name: 'tiny', cluster: { pools: [{ name: 'w', count: 2, capacity: { cpu: 4, memory: '8Gi' } }] }, workload: { services: [{ name: 'web', replicas: 3, requests: { cpu: 1 } }] } },
    'tiny.yaml',
  );
  const runs = [1, 2].map((seed) => {
    const spec = { scenario, source: 'tiny.yaml', scheduler: 'first-fit', queue: 'priority', seed };
    return { key: hashKey({ seed }), label: `tiny first-fit seed ${seed}`, ok: true, result: { ...runOne(spec), timing: { wallMs: 1, events: 10 } } };
  });
  const failed = { key: hashKey({ seed: 3 }), label: 'tiny first-fit seed 3', ok: false, error: 'a policy chose a node the pod does not fit' };
  const all = [...runs, failed];
  const manifest = { format: 'rackbench-sweep/1', name: 'tiny', sweep: hashKey('tiny'), shard: null, total: 3, runs: all.map((r) => ({ key: r.key, label: r.label })) };
  return { files: { 'sweep.json': `${JSON.stringify(manifest, null, 2)}\n`, 'runs.ndjson': all.map((r) => `${JSON.stringify(r)}\n`).join('') }, main: '.' };
}

function traceKind(name: string, format: string, seeds: Seed[], header: boolean): FuzzKind {
  return {
    name,
    seeds,
    yaml: false,
    header,
    runs: false,
    parse: (dir) => {
      inspectTrace(format, filesIn(dir));
    },
    cli: (dir) => ['trace', 'inspect', format, ...filesIn(dir)],
  };
}

/** The files of a case directory, by name. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(dir, e.name))
    .sort();
}

let ndjsonSeed: Seed | undefined;

/** Every kind of input, with its seeds. */
export function fuzzKinds(): FuzzKind[] {
  ndjsonSeed ??= runsNdjsonSeed();
  return [
    {
      name: 'scenario',
      seeds: [
        { files: { 'valid-small.yaml': fixture('valid-small.yaml') }, main: 'valid-small.yaml' },
        { files: { 'rich.yaml': SCENARIO_RICH }, main: 'rich.yaml' },
      ],
      yaml: true,
      runs: false,
      parse: (dir, main) => {
        loadScenarioVariants(join(dir, main));
      },
      cli: (dir, main) => ['validate', join(dir, main)],
    },
    {
      name: 'sweep',
      seeds: [
        {
          files: {
            'sweep.yaml': 'name: fuzz\nscenarios: [s.yaml]\nschedulers: [first-fit, best-fit]\nseeds: { from: 1, count: 2 }\nparameters:\n  cluster.pools[name=worker].count: [2, 3]\n  workload.services[0].replicas: [1, 2]\n',
            's.yaml': fixture('valid-small.yaml'),
          },
          main: 'sweep.yaml',
        },
      ],
      yaml: true,
      runs: true,
      parse: (dir, main) => {
        loadSweep(join(dir, main));
      },
      cli: (dir, main) => ['sweep', join(dir, main), '--workers', '1', '--quiet', '--out', join(dir, 'out')],
    },
    {
      name: 'capacity',
      seeds: [{ files: { 'tiny.yaml': fixture('capacity', 'tiny.yaml') }, main: 'tiny.yaml' }],
      yaml: true,
      runs: true,
      parse: (dir, main) => {
        loadCapacityFile(join(dir, main));
      },
      cli: (dir, main) => ['capacity', join(dir, main), '--workers', '1', '--quiet', '--out', join(dir, 'out')],
    },
    traceKind('trace alibaba-gpu2023', 'alibaba-gpu2023', [
      {
        files: {
          'node_list.csv': fixture('traces', 'alibaba_gpu2023_node_list_rows.csv'),
          'pod_list.csv': fixture('traces', 'alibaba_gpu2023_pod_list_rows.csv').split('\n').slice(0, 8).join('\n'),
        },
        main: 'node_list.csv',
      },
    ], true),
    traceKind('trace alibaba-2018', 'alibaba-2018', [
      {
        files: {
          'machine_meta.csv': fixture('traces', 'alibaba_v2018_machine_meta_rows.csv'),
          'container_meta.csv': ALI_2018_CONTAINERS,
          'batch_task.csv': ALI_2018_BATCH,
        },
        main: 'machine_meta.csv',
      },
    ], false),
    traceKind('trace google-2011', 'google-2011', [{ files: { 'machine_events.csv': GOOGLE_2011_MACHINES, 'task_events.csv': GOOGLE_2011_TASKS }, main: 'machine_events.csv' }], false),
    traceKind('trace google-2019', 'google-2019', [
      { files: { 'machine_events.csv': GOOGLE_2019_MACHINES, 'instance_events.csv': GOOGLE_2019_INSTANCES }, main: 'machine_events.csv' },
      { files: { 'instance_events.jsonl': GOOGLE_2019_JSONL }, main: 'instance_events.jsonl' },
    ], true),
    traceKind('trace azure-vm', 'azure-vm', [{ files: { 'vmtable.csv': AZURE }, main: 'vmtable.csv' }], false),
    traceKind('trace csv', 'csv', [{ files: { 'nodes.csv': NODES_CSV, 'pods.csv': PODS_CSV }, main: 'pods.csv' }], true),
    {
      name: 'kubectl dump',
      seeds: [
        { files: { 'nodes.json': fixture('k8s-dumps', 'nodes.json'), 'pods.json': fixture('k8s-dumps', 'pods.json') }, main: 'pods.json' },
        { files: { 'cluster-list.yaml': fixture('k8s-dumps', 'cluster-list.yaml') }, main: 'cluster-list.yaml' },
      ],
      yaml: true,
      runs: false,
      parse: (dir) => {
        const files = filesIn(dir);
        const result = importCluster(files, { out: join(dir, 'out.yaml') });
        // What import writes must be a scenario that validates: a dump it accepts never becomes a broken file.
        scenarioFromText(result.text, join(dir, 'out.yaml'));
      },
      cli: (dir) => ['import', ...filesIn(dir), '--out', join(dir, 'out', 'out.yaml')],
    },
    {
      name: 'runs.ndjson',
      seeds: [ndjsonSeed],
      yaml: false,
      runs: false,
      parse: (dir) => {
        rmSync(join(dir, 'merged'), { recursive: true, force: true });
        mergeShards([join(dir, 'shard')], join(dir, 'merged'));
      },
      cli: (dir) => ['merge', join(dir, 'shard'), '--out', join(dir, 'merged')],
    },
  ];
}

/** Where a kind's files go in its case directory (runs.ndjson and sweep.json in a shard directory). */
export function caseDir(kind: FuzzKind, dir: string): string {
  return kind.name === 'runs.ndjson' ? join(dir, 'shard') : dir;
}

// ---- mutations --------------------------------------------------------------------------------------

/** Text hostile input is made of. */
const NASTY = [
  '\u0000', '\u001b[31mred', '\u009b2J', '\u202eevil', '\r', '\n', '\r\n', '\t', '"', "'", ',', ',,', ':', ': ', '[', ']', '{', '}',
  '&a ', '*a', '<<: *a', '!!js/function "f"', '!!binary AAAA', '- ', '#', '---\n', '...\n', '|\n', '>-\n', '? ',
  '1e999', '-1', '-0', '0.0000001', 'NaN', 'Infinity', '0x1F', '1_000', '99999999999999999999999999', '1e-999',
  '500m', '4Gi', '1.5T', '2/s', '90s', '1h30m', 'null', 'true', '~', '[]', '{}', '""', "''",
  'é', '\ufeff', '\ud800', '😀', '\\', '\\u0000', '%', '$', '../../EVIL', '/etc/passwd', '0000000000000000',
];

/** A mutation of a text, applied by `apply`. */
type Mutation =
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'lines'; readonly how: 'swap' | 'repeat' | 'drop'; readonly a: number; readonly b: number }
  | { readonly op: 'number'; readonly which: number; readonly text: string }
  | { readonly op: 'header'; readonly how: 'repeat' | 'rename' | 'drop'; readonly column: number; readonly name: string }
  | { readonly op: 'yaml'; readonly how: 'bomb' | 'deep' | 'deep-block' | 'anchor'; readonly at: number; readonly size: number };

const position = fc.nat({ max: 1 << 20 });

const insertText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('1', '9', 'x', '[', '{', '- a\n', '&a [*a] '), fc.integer({ min: 50, max: 20_000 })).map(([c, n]) => c.repeat(n)) },
);

const numberText = fc.oneof(
  fc.constantFrom('0', '-1', '1e300', '1e-300', '1.5', '-0.5', '1e999', 'NaN', '9007199254740993', '99999999999999999999', '0.1e1', '+3', '.5', '5.', ''),
  fc.integer({ min: 20, max: 200_000 }).map((n) => '7'.repeat(n)),
  fc.double().map(String),
);

const mutation = (kind: FuzzKind): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, text: insertText }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: position }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('lines' as const), how: fc.constantFrom('swap' as const, 'repeat' as const, 'drop' as const), a: position, b: position }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('number' as const), which: position, text: numberText }) },
    ...(kind.header === true
      ? [{ weight: 2, arbitrary: fc.record({ op: fc.constant('header' as const), how: fc.constantFrom('repeat' as const, 'rename' as const, 'drop' as const), column: position, name: fc.constantFrom('cpu', 'x', '', 'node', 'arrival', '"q"', 'time') }) }]
      : []),
    ...(kind.yaml
      ? [{ weight: 2, arbitrary: fc.record({ op: fc.constant('yaml' as const), how: fc.constantFrom('bomb' as const, 'deep' as const, 'deep-block' as const, 'anchor' as const), at: position, size: fc.integer({ min: 2, max: 2000 }) }) }]
      : []),
  );

function apply(text: string, m: Mutation): string {
  const at = (n: number): number => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.op) {
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'duplicate': {
      const i = at(m.at);
      return text.slice(0, i) + text.slice(i, i + m.length) + text.slice(i);
    }
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'lines': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      if (m.how === 'swap') [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      else if (m.how === 'repeat') lines.splice(b, 0, lines[a]!);
      else lines.splice(a, 1);
      return lines.join('\n');
    }
    case 'number': {
      const numbers = [...text.matchAll(/\d+(?:\.\d+)?/g)];
      if (numbers.length === 0) return text;
      const n = numbers[m.which % numbers.length]!;
      return text.slice(0, n.index) + m.text + text.slice(n.index + n[0].length);
    }
    case 'header': {
      const nl = text.indexOf('\n');
      const header = (nl < 0 ? text : text.slice(0, nl)).split(',');
      const c = m.column % header.length;
      if (m.how === 'repeat') header.splice(c, 0, header[c]!);
      else if (m.how === 'rename') header[c] = m.name;
      else header.splice(c, 1);
      return header.join(',') + (nl < 0 ? '' : text.slice(nl));
    }
    case 'yaml': {
      let block: string;
      if (m.how === 'bomb') {
        const levels = Math.min(12, 2 + (m.size % 10));
        block = `x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
        for (let i = 1; i < levels; i++) block += `x${i}: &x${i} [${Array(9).fill(`*x${i - 1}`).join(', ')}]\n`;
      } else if (m.how === 'deep') block = `deep: ${'['.repeat(m.size)}${']'.repeat(m.size)}\n`;
      else if (m.how === 'deep-block') block = Array.from({ length: Math.min(m.size, 400) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
      else block = `anchored: &big ${JSON.stringify({ a: Array(50).fill('x') })}\nreused: [*big, *big, *big]\n`;
      // At the start of a line, so the block parses as YAML where it lands.
      const lineStart = text.lastIndexOf('\n', at(m.at) - 1) + 1;
      return text.slice(0, lineStart) + block + text.slice(lineStart);
    }
  }
}

export interface FuzzCase {
  readonly seed: number;
  /** The file of the seed that is mutated. */
  readonly file: string;
  readonly mutations: readonly Mutation[];
}

/** Cases of a kind: a seed, one of its files, one to three mutations. */
export function fuzzCase(kind: FuzzKind): fc.Arbitrary<FuzzCase> {
  return fc
    .record({ seed: fc.nat({ max: kind.seeds.length - 1 }), fileIndex: fc.nat(), mutations: fc.array(mutation(kind), { minLength: 1, maxLength: 3 }) })
    .map(({ seed, fileIndex, mutations }) => {
      const names = Object.keys(kind.seeds[seed]!.files);
      return { seed, file: names[fileIndex % names.length]!, mutations };
    });
}

/** Writes the case's files into `dir` (emptied first); returns the directory the command reads. */
export function writeCase(kind: FuzzKind, c: FuzzCase, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  const where = caseDir(kind, dir);
  mkdirSync(where, { recursive: true });
  for (const [name, text] of Object.entries(kind.seeds[c.seed]!.files)) {
    writeFileSync(join(where, name), name === c.file ? c.mutations.reduce(apply, text) : text);
  }
  return where;
}

// ---- outcomes ---------------------------------------------------------------------------------------

/** Reasons that concern a whole file, so its message has neither a line nor a field. */
const WHOLE_FILE = /^(empty file|no rows|not a text file|too large|not a rackbench sweep manifest|not a sweep results directory|the machine list gives no node|no Node objects|not a file of trace format|a directory|cannot read|no such file|the shards hold|holds the whole sweep|.* runs have not finished|not valid (JSON|CSV|YAML)|expected a scenario mapping|expected a mapping|document \d+: )/;

/**
 * Why an error thrown by a case is not what a user should see, or undefined
 * when it is: bad input (exit 2), one line per issue, each naming a file of
 * the case and a line or a field (or a whole-file reason), printable, quoting
 * at most 80 characters of any value, without a stack trace.
 */
export function badOutcome(e: unknown, dir: string): string | undefined {
  if (!isBadInput(e)) return `not reported as bad input (exit 2): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 2000);
  return badMessage((e as Error).message, dir);
}

/** Why the message of a bad-input error (or a line the command printed after `error: `) is not clear, or undefined. */
export function badMessage(raw: string, dir: string): string | undefined {
  if (/internal error|\n\s+at |node:internal/.test(raw)) return `a stack trace or internal error: ${raw.slice(0, 500)}`;
  for (const q of raw.matchAll(/"((?:[^"\\\n]|\\.){0,400})"/g)) {
    let value: string;
    try {
      value = JSON.parse(`"${q[1]}"`) as string;
    } catch {
      continue;
    }
    if (value.length > 81) return `quotes ${value.length} characters of a value: ${raw.slice(0, 300)}`;
  }
  for (const line of safeText(raw).split('\n')) {
    if (line.length > 1500) return `a line of ${line.length} characters: ${line.slice(0, 300)}`;
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(line)) return `a raw control character in: ${JSON.stringify(line.slice(0, 300))}`;
    const named = line.startsWith(dir) ? line : undefined;
    if (named === undefined) return `names no file of the case (${dir}): ${line.slice(0, 300)}`;
    const rest = named.slice(dir.length).replace(/^[^:]*/, '');
    // `file:12: …`, `file: field.path: …` or `file: <whole-file reason>`.
    if (/^:\d+: /.test(rest)) continue;
    if (/^: [\w$.[\]=/\-…"' ]+?: /.test(rest) && !WHOLE_FILE.test(rest.slice(2))) continue;
    if (WHOLE_FILE.test(rest.slice(2))) continue;
    // A list of files (the machine lists of a trace) before the colon.
    if (/^, /.test(rest) || /^[^:]*, /.test(named.slice(dir.length))) continue;
    return `names neither a line nor a field: ${line.slice(0, 300)}`;
  }
  return undefined;
}

/** Runs one case in this process; the reason it is wrong, or undefined. */
export async function checkCase(kind: FuzzKind, c: FuzzCase, dir: string): Promise<string | undefined> {
  const where = writeCase(kind, c, dir);
  const main = kind.seeds[c.seed]!.main;
  try {
    await kind.parse(kind.name === 'runs.ndjson' ? dir : where, main);
    return undefined;
  } catch (e) {
    const why = badOutcome(e, dir);
    return why === undefined ? undefined : `${kind.name} ${relative(dir, join(where, c.file))}: ${why}`;
  }
}
