import pc from 'picocolors';
import { UsageError } from '../core/errors.js';
import { explainCases } from '../explain/cases.js';
import { explainPod } from '../explain/pod.js';
import type { PodExplanation } from '../explain/pod.js';
import { loadScenarioFile } from '../runner/plan.js';

export interface ExplainFlags {
  readonly cases?: string;
  readonly pod?: string;
  readonly scheduler: string;
  readonly seed: string;
  readonly json?: boolean;
}

function podTable(e: PodExplanation): string {
  const plugins = [...new Set(e.nodes.flatMap((n) => Object.keys(n.scores ?? {})))];
  const header = ['node', 'result', ...plugins.map((p) => `${p} raw→norm×w`), 'total'];
  const rows = e.nodes.map((n) => [
    `${n.chosen ? '* ' : '  '}${n.node}`,
    n.status === 'rejected' ? `${n.plugin}: ${n.reason}` : n.status,
    ...plugins.map((p) => {
      const s = n.scores?.[p];
      return s === undefined ? '' : `${s.raw}→${s.normalized} = ${s.weighted}`;
    }),
    n.total === undefined ? '' : String(n.total),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = e.nodes.flatMap((n) => Object.entries(n.scores ?? {}).flatMap(([p, s]) => (s.note === undefined ? [] : [`  ${n.node} ${p}: ${s.note}`])));
  const requests = Object.entries(e.pod.requests)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `${e.scenario} · ${e.scheduler} · seed ${e.seed}: first pod of ${pc.bold(e.pod.owner)} (${requests}), arrived ${e.pod.arrival_s} s, decided ${e.decided_at_s} s`,
    `chosen: ${e.chosen === null ? pc.red('none (unschedulable)') : pc.green(e.chosen)}` +
      (e.skipped_score_plugins.length > 0 ? `; skipped in PreScore: ${e.skipped_score_plugins.join(', ')}` : '') +
      (e.unmodelled_plugins.length > 0 ? pc.dim(`; not modelled yet: ${e.unmodelled_plugins.join(', ')}`) : ''),
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(notes.length > 0 ? ['', 'what the scores are made of:', ...notes] : []),
  ].join('\n');
}

export function explainCommand(scenario: string | undefined, flags: ExplainFlags): number {
  if (flags.cases !== undefined) {
    if (scenario !== undefined) throw new UsageError('give either a scenario with --pod, or --cases FILE, not both');
    const result = explainCases(flags.cases);
    if (flags.json) {
      console.log(JSON.stringify({ cases: result.cases.map((c) => ({ id: c.id, scores: c.scores, normalized: c.normalized })) }));
    } else {
      // raw Score → after NormalizeScore, per node.
      for (const c of result.cases) {
        console.log(`${c.id}: ${Object.entries(c.scores).map(([node, s]) => `${node} ${s}→${c.normalized[node]}`).join(', ')}`);
      }
    }
    return 0;
  }
  if (scenario === undefined || flags.pod === undefined) {
    throw new UsageError('explain needs a scenario and --pod OWNER (a service, job or stream name), or --cases FILE');
  }
  if (!/^\d+$/.test(flags.seed)) throw new UsageError(`--seed ${flags.seed}: expected a non-negative integer`);
  const e = explainPod(loadScenarioFile(scenario), { owner: flags.pod, scheduler: flags.scheduler, seed: Number(flags.seed) });
  console.log(flags.json ? JSON.stringify(e, null, 2) : podTable(e));
  return 0;
}
