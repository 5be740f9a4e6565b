/** `rackbench explain` through the command line's main() in this process. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { describeWithShared, sharedPath } from './support/shared-data.js';

interface Vectors {
  cases: { id: string; expected_scores: Record<string, number>; expected_normalized?: Record<string, number> }[];
}
interface Explained {
  cases: { id: string; scores: Record<string, number>; normalized: Record<string, number> }[];
}

describe('rackbench explain', () => {
  it('--cases --json prints each case raw scores and, after NormalizeScore, normalized', async () => {
    const r = await runMain('explain', '--cases', 'test/fixtures/kube-plugin-vectors.json', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Explained;
    const want = JSON.parse(readFileSync('test/fixtures/kube-plugin-vectors.json', 'utf8')) as Vectors;
    expect(out.cases.map((c) => Object.keys(c).sort())).toEqual(want.cases.map(() => ['id', 'normalized', 'scores']));
    expect(out.cases.map((c) => [c.id, c.scores])).toEqual(want.cases.map((c) => [c.id, c.expected_scores]));
    // Where the vectors give NormalizeScore's output (TaintToleration reverses, NodeAffinity scales to 100), it is printed.
    const normalized = want.cases.filter((c) => c.expected_normalized !== undefined);
    expect(normalized.length).toBeGreaterThan(0);
    const byId = new Map(out.cases.map((c) => [c.id, c]));
    for (const c of normalized) expect(byId.get(c.id)!.normalized, c.id).toEqual(c.expected_normalized);
  });

  it('explains a decision in a scenario: filters, scores and the chosen node', async () => {
    const r = await runMain('explain', 'scenarios/k3s-edge.yaml', '--pod', 'video-transcode', '--json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { chosen: string; nodes: { node: string; status: string; plugin?: string }[] };
    // The transcoder selects amd64 nodes: only the N100 passes NodeAffinity.
    expect(e.chosen).toBe('n100-1');
    expect(e.nodes.filter((n) => n.status === 'rejected').map((n) => [n.node, n.plugin])).toEqual([
      ['rpi5-1', 'NodeAffinity'],
      ['rpi4-1', 'NodeAffinity'],
      ['rpi4-2', 'NodeAffinity'],
    ]);
    const table = await runMain('explain', 'scenarios/k8s-bare-metal.yaml', '--pod', 'mysql');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/NodeResourcesFit raw→norm×w/);
    expect(table.stdout).toMatch(/^\* r650-\d/m);
  });

  it('rejects bad requests with exit 2 and no stack trace', async () => {
    for (const args of [
      ['explain', 'scenarios/k8s-bare-metal.yaml', '--pod', 'nope'],
      ['explain', 'scenarios/k8s-bare-metal.yaml'],
      ['explain', '--cases', 'no-such-file.json'],
      ['explain', 'scenarios/k8s-bare-metal.yaml', '--pod', 'mysql', '--scheduler', 'best-fit'],
    ]) {
      const r = await runMain(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });
});

const UPSTREAM = sharedPath('fixtures', 'kube-score-vectors.json');

describeWithShared('rackbench explain on the upstream score vectors', [UPSTREAM], () => {
  it('reproduces ../shared/fixtures/kube-score-vectors.json through the command line', async () => {
    const r = await runMain('explain', '--cases', UPSTREAM, '--json');
    expect(r.code).toBe(0);
    const want = JSON.parse(readFileSync(UPSTREAM, 'utf8')) as Vectors;
    const got = (JSON.parse(r.stdout) as Explained).cases;
    expect(got.map((c) => [c.id, c.scores])).toEqual(want.cases.map((c) => [c.id, c.expected_scores]));
  });
});
