/** The rackbench command line: parses arguments and calls the runner; no logic of its own. */
import { Argument, Command, Option } from 'commander';
import { packageVersion } from '../runner/defaults.js';
import { DEFAULT_QUEUE, placementNames, queueNames } from '../schedulers/registry.js';
import { HEURISTIC_NAMES } from '../schedulers/vbp/heuristics.js';
import { safeText } from '../core/text.js';
import { reportError } from './exit.js';
import { traceFormatNames } from '../workload/trace/registry.js';
import { SCHEMA_KINDS } from '../runner/json-schemas.js';

// Each command's module is imported when the command runs: a run need not load DuckDB, Vega or the report code.
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('rackbench')
    .description('Discrete-event benchmark of scheduling and placement policies on bare-metal Kubernetes and k3s clusters.')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    // Commander quotes arguments back in its errors: never raw control characters.
    .configureOutput({ writeErr: (text) => process.stderr.write(safeText(text)) });

  let code = 0;
  program
    .command('run')
    .description('Run scenarios with placement policies and seeds; write runs.csv, summary.json and timings.csv.')
    .argument('[scenarios...]', 'scenario files (YAML or JSON); default: the built-in scenarios')
    .option('-s, --scheduler <name>', `placement policy, repeatable (${placementNames().join(', ')}); default: the scenario's defaults.schedulers, else all but spread`, collect)
    .option('--seed <n>', "run seed, repeatable; default: the scenario's defaults.seeds", collect)
    .addOption(new Option('-q, --queue <name>', `queue policy; default: the scenario's defaults.queue, else kube on kubernetes and k3s scenarios, ${DEFAULT_QUEUE} otherwise`).choices(queueNames()))
    .option('-o, --out <dir>', 'results directory', 'results/latest')
    .option('--quiet', 'no per-run progress lines')
    .option('--trace <format:files>', 'replay a trace: FORMAT:FILE[,FILE…] (see docs/traces.md); its machines become the cluster unless it has none')
    .option('--trace-option <key=value>', 'a trace option, repeatable: window=1h..3h, sample=0.1, compress=2, machine-cpu=64, machine-memory=256Gi, gpu-resource=nvidia.com/gpu, gpu-share=milli, machine-events=ignore, strict', collect)
    .option('--record <tables>', 'also write per-run tables: timeseries, nodes, pods (comma-separated, or all); see the README, Run records')
    .option('-w, --workers <n>', 'worker threads (default: available cores, at most one per run)')
    .option('--run-timeout <duration>', 'wall-clock limit per run, e.g. 90s or 10m; a run over it fails')
    .option('--worker-memory <MiB>', 'memory per worker thread (V8 heap and typed arrays); a run over it fails')
    .option('--max-memory <size>', "refuse a run whose estimated memory is above this: MiB, or a quantity such as 8Gi (default: the machine's free memory)")
    .addHelpText(
      'after',
      `
A --scheduler value containing a slash or ending in .ts/.js is a policy plugin file (see examples/).

Examples:
  rackbench run
  rackbench run scenarios/k8s-bare-metal.yaml --scheduler best-fit --scheduler spread --seed 1 --seed 2 --out results/demo
  rackbench run scenarios/k8s-bare-metal.yaml --scheduler ./examples/my-policy.ts`,
    )
    .action(async (files: string[], flags) => {
      code = await (await import('./run-command.js')).runCommand(files, flags);
    });

  program
    .command('sweep')
    .description(
      'Run a sweep file (scenarios × parameters × schedulers × seeds) on worker threads. Each run is saved as it finishes (runs.ndjson); re-running resumes; --shard splits it across machines.',
    )
    .argument('<sweep>', 'sweep file (YAML)')
    .option('-o, --out <dir>', 'results directory', 'results/sweep')
    .option('-w, --workers <n>', 'worker threads (default: available cores)')
    .option('--shard <i/n>', 'run only shard i of n (default: JOB_COMPLETION_INDEX + 1 of JOB_COMPLETION_COUNT when set)')
    .option('--force', 're-run every run, even those already in --out')
    .option('--run-timeout <duration>', 'wall-clock limit per run, e.g. 90s or 10m; a run over it is recorded as failed')
    .option('--worker-memory <MiB>', 'memory per worker thread (V8 heap and typed arrays); a run over it is recorded as failed')
    .option('--max-memory <size>', "refuse a run whose estimated memory is above this: MiB, or a quantity such as 8Gi (default: the machine's free memory)")
    .option('--quiet', 'no progress or comparison table')
    .option('--record <tables>', 'also write per-run tables: timeseries, nodes, pods (comma-separated, or all); see the README, Run records')
    .addHelpText(
      'after',
      `
Exit codes: 0 all runs succeeded, 1 some run failed (see failures.csv), 2 bad input, 130 interrupted (re-run to resume).

Examples:
  rackbench sweep scenarios/sweeps/policies.yaml --workers 2 --out results/policies
  rackbench sweep scenarios/sweeps/policies.yaml --shard 1/4 --out results/policies-1
  rackbench merge results/policies-* --out results/policies`,
    )
    .action(async (file: string, flags) => {
      code = await (await import('./sweep-command.js')).sweepCommand(file, flags);
    });

  program
    .command('capacity')
    .description(
      'Capacity planning: for each hardware profile × platform × growth factor, the smallest node count of the sized pool that meets every SLO on every seed, with racks, power and monthly cost (docs/capacity.md). Writes capacity.csv, capacity.json and capacity.html.',
    )
    .argument('<file>', 'capacity file: a scenario with a capacity section (YAML)')
    .option('--profiles <list>', 'hardware profiles to try, comma-separated (default: capacity.profiles, else the sized pool\'s profile)')
    .option('--platform <list>', 'platforms to try: kubernetes, k3s, none, comma-separated (default: capacity.platforms, else the scenario\'s)')
    .option('--slo <terms>', 'SLOs, e.g. "sched_delay_p99<=30s,unschedulable=0,startup_p99<=60s" (default: capacity.slo)')
    .option('--survive <k>', 'size for N+k: the SLOs must hold when k nodes fail at the peak (default: capacity.survive, else 0)')
    .option('--survive-select <how>', 'which nodes fail at each failure time: most-loaded (the k most loaded), every (each node in turn with the k − 1 most loaded others) or random (default: every)')
    .option('--growth <list>', 'workload growth factors, comma-separated (default: capacity.growth, else 1)')
    .option('--seeds <n>', 'seeds 1…n per node count; every seed must meet every SLO (default: capacity.seeds, else 3)')
    .option('--max-nodes <n>', 'the largest count tried; an SLO unmet there is reported as impossible (default: capacity.maxNodes, else 512)')
    .option('-s, --scheduler <name>', 'placement policy of the runs (default: capacity.scheduler, else the scenario\'s first default, else kube-default)')
    .option('-o, --out <dir>', 'output directory', 'results/capacity')
    .option('-w, --workers <n>', 'worker threads (default: available cores)')
    .option('--run-timeout <duration>', 'wall-clock limit per run, e.g. 90s or 10m; a run over it fails its option')
    .option('--worker-memory <MiB>', 'memory per worker thread (V8 heap and typed arrays)')
    .option('--quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Exit codes: 0 every option found, 1 some option impossible within --max-nodes or its runs failed, 2 bad input, 130 interrupted.

Example:
  rackbench capacity scenarios/capacity/web-and-batch.yaml --profiles r650-2x32c,r750-2x48c,ampere-altra-80c \\
    --platform kubernetes,k3s --slo "sched_delay_p99<=30s,unschedulable=0,startup_p99<=60s" --survive 1 --growth 1.0,1.5,2.0`,
    )
    .action(async (file: string, flags) => {
      code = await (await import('./capacity-command.js')).capacityCommand(file, flags);
    });

  program
    .command('merge')
    .description('Combine the results directories of a sweep\'s shards into one, as if it had run on one machine. Refuses shards of different sweeps and incomplete sets.')
    .argument('<dirs...>', 'shard results directories')
    .requiredOption('-o, --out <dir>', 'merged results directory')
    .action(async (dirs: string[], flags) => {
      code = await (await import('./merge-command.js')).mergeCommand(dirs, flags);
    });

  program
    .command('validate')
    .description('Check scenario files; errors name the file, the field and the line. Exits 2 on the first invalid file, or one whose run would need more memory than is free.')
    .argument('<scenarios...>', 'scenario files (YAML or JSON)')
    .option('--max-memory <size>', "a scenario whose run's estimated memory is above this is invalid: MiB, or a quantity such as 8Gi (default: the machine's free memory)")
    .action(async (files: string[], flags) => {
      code = (await import('./validate-command.js')).validateCommand(files, flags);
    });

  program
    .command('import')
    .description('Turn kubectl dumps of nodes and pods (kubectl get nodes -o json, kubectl get pods -A -o json) into a scenario file: nodes become pools, bound pods are pinned to their nodes, pending pods and controllers become the workload (docs/import.md).')
    .argument('<dumps...>', 'kubectl JSON or YAML dumps: Lists, NodeLists, PodLists or single objects, told apart by kind')
    .requiredOption('-o, --out <file>', 'scenario file to write (YAML)')
    .option('--name <name>', 'scenario name (default: from the --out file name)')
    .option('--no-group', 'one pool per node instead of one per group of identical nodes')
    .option('--pending-at <duration>', 'when pending pods arrive, after the pinned pods have settled', '1m')
    .option('--until <duration>', 'simulation.until of the scenario (services run forever)', '1h')
    .option('--job-duration <duration>', 'how long each Job pod runs (a dump does not say)', '10m')
    .option('--reschedule', "let the policy place controllers' pods again instead of pinning them where they run")
    .option('--ignore-unknown', 'skip objects of other kinds (Services, ConfigMaps, …) instead of failing')
    .addHelpText(
      'after',
      `
Exit codes: 0 written, 2 bad input (unreadable or malformed dump, unknown kind, bad quantity; the message names the file, item and line).

Examples:
  kubectl get nodes -o json > nodes.json && kubectl get pods -A -o json > pods.json
  rackbench import nodes.json pods.json --out scenarios/my-cluster.yaml
  rackbench validate scenarios/my-cluster.yaml && rackbench run scenarios/my-cluster.yaml`,
    )
    .action(async (files: string[], flags) => {
      code = (await import('./import-command.js')).importCommand(files, flags);
    });

  program
    .command('explain')
    .description("Show one kube-scheduler decision node by node: the filter that rejected each node and why, every plugin's raw, normalized and weighted score, the total and the chosen node.")
    .argument('[scenario]', 'scenario file')
    .option('--pod <owner>', 'explain the first pod of this service, job or stream')
    .option('-s, --scheduler <name>', 'kube-default, or a KubeSchedulerConfiguration named in the scenario', 'kube-default')
    .option('--seed <n>', 'run seed', '1')
    .option('--cases <file>', 'score test cases (JSON or YAML, the kube-score-vectors format) instead of a scenario')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  rackbench explain scenarios/k8s-bare-metal.yaml --pod mysql
  rackbench explain --cases ../shared/fixtures/kube-score-vectors.json --json`,
    )
    .action(async (scenario: string | undefined, flags) => {
      code = (await import('./explain-command.js')).explainCommand(scenario, flags);
    });

  program
    .command('gate')
    .description(
      'Compare runs with a committed baseline: simulation metrics must match (or stay within the tolerances the baseline declares), speed only with --speed. Prints a markdown table; exits 1 on any difference.',
    )
    .argument('[results]', 'a results directory (runs.csv); default: run the default suite (the built-in scenarios, their policies and seeds)')
    .option('--baseline <file>', 'baseline file (default: bench/baseline/default.json)')
    .option('--update', 'rewrite the baseline from these runs, on purpose')
    .option('--speed', 'also compare events per wall second, as a ratio with the baseline speedTolerance')
    .option('--stat', 'compare across seeds: a metric changes only when its new mean is outside the baseline\'s confidence interval or a paired t-test says it differs at --alpha (default: exact, run by run)')
    .option('--alpha <level>', 'significance level of --stat (default: 0.05, a 95 % interval)')
    .option('--summary <file>', 'also append the outcome as markdown to this file (e.g. "$GITHUB_STEP_SUMMARY")')
    .option('--details <file>', 'where the full table of differences goes when it is too long to print', 'rackbench-gate.md')
    .addHelpText(
      'after',
      `
Exit codes: 0 no difference, 1 a difference (a roll-up per scenario × metric is printed, largest first), 2 bad input.
CI examples: examples/ci/ (GitHub Actions, GitLab CI).`,
    )
    .action(async (results: string | undefined, flags) => {
      code = await (await import('./gate-command.js')).gateCommand(results, flags);
    });

  program
    .command('report')
    .description(
      'Write report.html (verdicts, tables, distributions, Pareto, per-seed and sweep charts, timelines; interactive, self-contained, static SVG without scripts), report.md (tables for a CI summary or pull request), groups.csv and summary.json (per group mean, sd, 95 % CI; paired ratios against the baseline) into a results directory.',
    )
    .argument('<results>', 'a results directory (runs.csv) that rackbench run, sweep or merge wrote')
    .option('--baseline <scheduler>', 'the policy the others are compared with (default: kube-default when it ran, else none)')
    .option('--title <text>', 'the report title (default: rackbench: <sweep name or directory name>)')
    .addHelpText(
      'after',
      `
Examples:
  rackbench report results/policies
  rackbench report results/policies --baseline best-fit`,
    )
    .action(async (dir: string, flags) => {
      code = await (await import('./report-command.js')).reportCommand(dir, flags);
    });

  program
    .command('compare')
    .description(
      'Print, per scenario, each policy against a baseline policy: the mean over seeds of policy ÷ baseline on the same seed, its 95 % percentile bootstrap interval, and ▲/▼ where the interval excludes 1 (green better, red worse; no colour with NO_COLOR).',
    )
    .argument('<results>', 'a results directory (runs.csv)')
    .option('--baseline <scheduler>', 'the policy to compare with (default: kube-default when it ran)')
    .option('-m, --metric <column>', 'a runs.csv metric column to show, repeatable (default: the key metrics)', collect)
    .addHelpText(
      'after',
      `
Exit codes: 0 printed, 2 bad input (no such directory, no runs.csv, a baseline that did not run).

Examples:
  rackbench compare results/policies --baseline kube-default
  rackbench compare results/policies --baseline best-fit --metric delay_p99_s --metric active_nodes_mean`,
    )
    .action(async (dir: string, flags) => {
      code = (await import('./compare-command.js')).compareCommand(dir, flags);
    });

  program
    .command('diff')
    .description(
      'Compare two results directories (before and after a change, or two machines): per scenario × policy × metric, the change of the mean from A to B with its 95 % bootstrap interval, significant changes first. Prints markdown and writes diff.html.',
    )
    .argument('<resultsA>', 'the results directory to compare from (runs.csv)')
    .argument('<resultsB>', 'the results directory to compare to (runs.csv)')
    .option('--out <dir>', 'where diff.html goes (default: resultsB)')
    .option('--fail-on-change', 'exit 1 when something changed significantly (or on its one seed, or a group is on one side only)')
    .addHelpText(
      'after',
      `
Exit codes: 0 compared (changed or not), 1 with --fail-on-change when something changed, 2 bad input (no such directory, no runs.csv, nothing in common).

Examples:
  rackbench diff results/before results/after
  rackbench diff results/main results/branch --out results/diff --fail-on-change`,
    )
    .action(async (a: string, b: string, flags) => {
      code = (await import('./diff-command.js')).diffCommand(a, b, flags);
    });

  program
    .command('pack')
    .description(
      'Offline vector bin packing: pack the items of a VPSolver .vbp instance into as few bins as a heuristic can (Panigrahy et al. 2011) and print the bins used, the lower bound and the gap.',
    )
    .argument('<instance>', 'instance file (.vbp: d, the bin capacities, m, then m lines of d sizes and a demand)')
    .requiredOption('--heuristic <name>', `${HEURISTIC_NAMES.join(', ')}, or all`)
    .option('--json', 'print JSON: heuristic, bins, lower_bound and assignment (the bin of each item, in input order)')
    .addHelpText(
      'after',
      `
Exit codes: 0 packed, 2 bad input (unreadable or malformed file, unknown heuristic).

Examples:
  rackbench pack ../shared/data/vbp/instances/class7_40_3_0.vbp --heuristic all
  rackbench pack ../shared/data/vbp/instances/class7_40_3_0.vbp --heuristic ffd-linf-unit --json`,
    )
    .action(async (file: string, flags) => {
      code = (await import('./pack-command.js')).packCommand(file, flags);
    });

  program
    .command('compact')
    .description(
      "Compaction (Borg, EuroSys 2015, section 5.1): the fewest nodes, taken in a seeded random order, on which a placement policy places the scenario's peak snapshot; min, median, max and mean over seeds.",
    )
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .requiredOption('-s, --scheduler <name>', 'placement policy (built-in, or a name under the scenario\'s schedulers:)')
    .option('--seeds <n>', 'shuffle seeds 1..n', '11')
    .option('--workload-seed <n>', "seed of the workload's random streams (default: the scenario's first defaults.seeds)")
    .option('--order <order>', 'order pods are placed in: arrival, dominant-share or drf', 'arrival')
    .option('--json', 'print JSON: scenario, scheduler, order, workload_seed, pods, peak_s, nodes_total, runs [{seed, nodes}], min, median, max, mean')
    .addHelpText(
      'after',
      `
Exit codes: 0 done, 2 bad input (unreadable or invalid scenario, unknown scheduler, bad flag).

Examples:
  rackbench compact scenarios/k8s-bare-metal.yaml --scheduler best-fit
  rackbench compact scenarios/k8s-bare-metal.yaml --scheduler tetris --seeds 20 --json`,
    )
    .action(async (file: string, flags) => {
      code = (await import('./compact-command.js')).compactCommand(file, flags);
    });

  const trace = program.command('trace').description('Work with cluster traces (docs/traces.md).');
  trace
    .command('inspect')
    .description('Read a trace once and print its rows, bad rows, nodes, pods, total capacity and time span.')
    .argument('<format>', `trace format (${traceFormatNames().join(', ')})`)
    .argument('<files...>', 'trace files; a file may be named role=path when its name does not say its role')
    .option('--json', 'print {"rows","rejected","nodes","pods","capacity":{"cpu","memory","gpu"},"span_s"}')
    .option('--option <key=value>', 'a trace option, repeatable (as --trace-option of run)', collect)
    .addHelpText(
      'after',
      `
Bad rows are counted and listed (file:line) on stderr; with --option strict the first one fails (exit 2).

Examples:
  rackbench trace inspect alibaba-gpu2023 ../shared/data/traces/alibaba_gpu2023_openb_node_list_all_node.csv --json
  rackbench trace inspect google-2011 task_events.csv machine_events.csv --option window=0..1h`,
    )
    .action(async (format: string, files: string[], flags) => {
      code = (await import('./trace-command.js')).traceInspectCommand(format, files, flags);
    });

  program
    .command('query')
    .description('Run SQL over a results directory with DuckDB: the views runs, groups, and timeseries, nodes and pods when recorded (their Parquet files, else their CSVs). Examples in docs/query.md.')
    .argument('<results>', 'a results directory that rackbench run, sweep or merge wrote')
    .argument('<sql>', 'the query, e.g. "select scheduler, avg(delay_p99_s) from runs group by 1"')
    .option('--csv', 'print CSV')
    .option('--json', 'print a JSON array of row objects')
    .addHelpText(
      'after',
      `
Exit codes: 0 printed, 2 bad input (no such directory, no runs table, a query DuckDB rejects).

Example:
  rackbench query results/policies "select scheduler, seed, delay_p99_s from runs order by 1, 2"`,
    )
    .action(async (dir: string, sql: string, flags) => {
      code = await (await import('./query-command.js')).queryCommand(dir, sql, flags);
    });

  program
    .command('schema')
    .description('Print the JSON Schema of a scenario, sweep or capacity file (generated from the schemas rackbench checks files with; also shipped under schemas/).')
    .addArgument(new Argument('<kind>', 'which file').choices(SCHEMA_KINDS))
    .addHelpText(
      'after',
      `
Editors that speak the YAML language server complete and check a file that starts with
  # yaml-language-server: $schema=<path or URL of the schema>

Example:
  rackbench schema scenario > scenario.schema.json`,
    )
    .action(async (kind: (typeof SCHEMA_KINDS)[number]) => {
      code = (await import('./schema-command.js')).schemaCommand(kind);
    });

  program
    .command('schedulers')
    .description('List the built-in placement and queue policies.')
    .action(() => {
      console.log(`placement: ${placementNames().join(', ')}\nqueue: ${queueNames().join(', ')}`);
    });

  program.hook('postAction', () => {
    process.exitCode = code;
  });
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return reportError(e);
  }
}
