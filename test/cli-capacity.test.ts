import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rackbench, tempDir } from './support/cli.js';

const TINY = 'test/fixtures/capacity/tiny.yaml';

describe('rackbench capacity', () => {
  it('ranks the options, writes capacity.csv, capacity.json and capacity.html, the same with 1 and 2 workers', () => {
    const one = tempDir();
    const two = tempDir();
    const a = rackbench('capacity', TINY, '--growth', '1,2', '--workers', '1', '--out', one, '--quiet');
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/growth ×1:\n#\s+profile\s+platform\s+nodes/);
    const b = rackbench('capacity', TINY, '--growth', '1,2', '--workers', '2', '--out', two, '--quiet');
    expect(b.status).toBe(0);
    for (const f of ['capacity.csv', 'capacity.json', 'capacity.html']) expect(readFileSync(join(two, f), 'utf8')).toBe(readFileSync(join(one, f), 'utf8'));
    const rows = readFileSync(join(one, 'capacity.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^growth,profile,platform,status,nodes,survive,total_nodes,lower_bound_nodes,/);
    // growth 1 then 2; within each the cheaper option first: 2 × tiny-8c before 3 × tiny-4c
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 5).join(','))).toEqual([
      '1,tiny-8c,none,found,2',
      '1,tiny-4c,none,found,3',
      '2,tiny-8c,none,found,3',
      '2,tiny-4c,none,found,5',
    ]);
    const json = JSON.parse(readFileSync(join(one, 'capacity.json'), 'utf8'));
    expect(json).toMatchObject({ scenario: 'capacity-tiny', pool: 'workers', scheduler: 'first-fit', seeds: [1], slos: ['unschedulable=0'] });
    expect(json.options[0]).toMatchObject({ profile: 'tiny-8c', nodes: 2, lowerBound: 2, compacted: 2, racks: 1, monotonic: true });
    // Each count tried carries the SLO metric's worst value over the seeds run: the answer meets unschedulable=0.
    const answer = json.options[0].evaluations.find((e: { nodes: number }) => e.nodes === 2);
    expect(answer).toMatchObject({ pass: true, values: { 'unschedulable=0': 0 } });
    // capacity.html: self-contained, the ranking and two charts (cost; the SLO metric with its threshold), each with drawn marks.
    const html = readFileSync(join(one, 'capacity.html'), 'utf8');
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(2);
    expect(html).toContain('data-kind="capacity-cost"');
    expect(html).toContain('data-kind="capacity-slo"');
    for (const fig of html.split('<figure').slice(1)) expect(fig).toMatch(/role-mark/);
    expect(html).toContain('<h3>growth ×1</h3>');
  });

  it.each([
    ['sched_delay_p99<=30x', /error: --slo: "sched_delay_p99<=30x": invalid duration "30x"/],
    ['unschedulable', /error: --slo: cannot read "unschedulable"; expected "metric op value" terms/],
    ['p99_latency<1s', /error: --slo: "p99_latency<1s": unknown metric "p99_latency"/],
  ])('exits 2 on the SLO %j, quoting it', (slo, message) => {
    const r = rackbench('capacity', TINY, '--slo', slo, '--out', tempDir());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 on an unknown profile, listing the known ones', () => {
    const r = rackbench('capacity', TINY, '--profiles', 'tiny-4c,r999', '--out', tempDir());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/error: unknown hardware profile "r999"; known profiles: .*r650-2x32c.*tiny-4c/);
  });

  it('exits 1 when an SLO is unmet at --max-nodes, and still writes the results', () => {
    const out = tempDir();
    const r = rackbench('capacity', TINY, '--profiles', 'tiny-4c', '--max-nodes', '2', '--out', out, '--quiet');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/tiny-4c on none, growth ×1: the SLOs are not met even at 2 nodes \(seed 1: pods_unschedulable=2 \(unschedulable=0\)\)/);
    expect(readFileSync(join(out, 'capacity.csv'), 'utf8')).toMatch(/\n1,tiny-4c,none,impossible,/);
  });

  it('exits 2 on a capacity section with an unknown field, naming the line', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, readFileSync(TINY, 'utf8').replace('  maxNodes: 16', '  maxNodez: 16'));
    const r = rackbench('capacity', file, '--out', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+: capacity: Unrecognized key: "maxNodez"/);
  });
});
