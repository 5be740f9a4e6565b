import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/rackbench.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('rackbench explain', () => {
  it('--cases --json prints each case raw scores in the contract shape', () => {
    const r = cli('explain', '--cases', 'test/fixtures/kube-plugin-vectors.json', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { cases: { id: string; scores: Record<string, number> }[] };
    const want = JSON.parse(readFileSync('test/fixtures/kube-plugin-vectors.json', 'utf8')) as { cases: { id: string; expected_scores: Record<string, number> }[] };
    expect(out.cases.map((c) => Object.keys(c).sort())).toEqual(want.cases.map(() => ['id', 'scores']));
    expect(out.cases.map((c) => [c.id, c.scores])).toEqual(want.cases.map((c) => [c.id, c.expected_scores]));
  });

  it.skipIf(!existsSync('../shared/fixtures/kube-score-vectors.json'))('reproduces ../shared/fixtures/kube-score-vectors.json through the CLI', () => {
    const r = cli('explain', '--cases', '../shared/fixtures/kube-score-vectors.json', '--json');
    expect(r.code).toBe(0);
    const want = JSON.parse(readFileSync('../shared/fixtures/kube-score-vectors.json', 'utf8')) as { cases: { id: string; expected_scores: Record<string, number> }[] };
    const got = (JSON.parse(r.stdout) as { cases: { id: string; scores: Record<string, number> }[] }).cases;
    expect(got.map((c) => [c.id, c.scores])).toEqual(want.cases.map((c) => [c.id, c.expected_scores]));
  });

  it('explains a decision in a scenario: filters, scores and the chosen node', () => {
    const r = cli('explain', 'scenarios/k3s-edge.yaml', '--pod', 'video-transcode', '--json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { chosen: string; nodes: { node: string; status: string; plugin?: string }[] };
    // The transcoder selects amd64 nodes: only the N100 passes NodeAffinity.
    expect(e.chosen).toBe('n100-1');
    expect(e.nodes.filter((n) => n.status === 'rejected').map((n) => [n.node, n.plugin])).toEqual([
      ['rpi5-1', 'NodeAffinity'],
      ['rpi4-1', 'NodeAffinity'],
      ['rpi4-2', 'NodeAffinity'],
    ]);
    const table = cli('explain', 'scenarios/k8s-bare-metal.yaml', '--pod', 'mysql');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/NodeResourcesFit raw→norm×w/);
    expect(table.stdout).toMatch(/^\* r650-\d/m);
  });

  it('rejects bad requests with exit 2 and no stack trace', () => {
    for (const args of [
      ['explain', 'scenarios/k8s-bare-metal.yaml', '--pod', 'nope'],
      ['explain', 'scenarios/k8s-bare-metal.yaml'],
      ['explain', '--cases', 'no-such-file.json'],
      ['explain', 'scenarios/k8s-bare-metal.yaml', '--pod', 'mysql', '--scheduler', 'best-fit'],
    ]) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });
});
