/** The rackbench command line: parses arguments and calls the runner; no logic of its own. */
import { Command, Option } from 'commander';
import { DEFAULT_QUEUE, placementNames, queueNames } from '../schedulers/registry.js';
import { explainCommand } from './explain-command.js';
import { reportError } from './exit.js';
import { gateCommand } from './gate-command.js';
import { runCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('rackbench')
    .description('Discrete-event benchmark of scheduling and placement policies on bare-metal Kubernetes and k3s clusters.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');

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
    .addHelpText(
      'after',
      `
Examples:
  rackbench run
  rackbench run scenarios/k8s-bare-metal.yaml --scheduler best-fit --scheduler spread --seed 1 --seed 2 --out results/demo`,
    )
    .action((files: string[], flags) => {
      code = runCommand(files, flags);
    });

  program
    .command('validate')
    .description('Check scenario files; errors name the file, the field and the line. Exits 2 on the first invalid file.')
    .argument('<scenarios...>', 'scenario files (YAML or JSON)')
    .action((files: string[]) => {
      code = validateCommand(files);
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
    .action((scenario: string | undefined, flags) => {
      code = explainCommand(scenario, flags);
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
    .action((results: string | undefined, flags) => {
      code = gateCommand(results, flags);
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
