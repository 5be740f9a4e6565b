/**
 * Spec classes (src/schedulers/kube/spec-classes.ts): pods whose templates
 * fill the same KubePod, and whose requests are equal, share a class, so a
 * retry of a like pod replays the last failure; any field a KubePod is made
 * from that differs separates them.
 */
import { describe, expect, it } from 'vitest';
import { SpecClasses } from '../src/schedulers/kube/spec-classes.js';
import { sameKubeSpec } from '../src/schedulers/kube/pod.js';
import type { PodTemplate } from '../src/workload/pod.js';

const LABELS = Object.freeze({ app: 'a' });
const NONE = Object.freeze({});
const TOLERATIONS: PodTemplate['tolerations'] = [];
const MISSING = { cpu: false, memory: false };
/** A trace's template for one owner: its own object, the shared labels and constraints. */
const traceTemplate = (owner: string, extra: Partial<PodTemplate> = {}): PodTemplate => ({
  owner,
  kind: 'trace',
  priority: 0,
  tenant: 'default',
  labels: LABELS,
  nodeSelector: NONE,
  tolerations: TOLERATIONS,
  missingRequests: MISSING,
  ...extra,
});
const req = (cpu: number): Float64Array => Float64Array.from([cpu, cpu * 4, 1]);

describe('kube spec classes', () => {
  it('pods of different owners with the same spec and requests share a class; other requests do not', () => {
    const classes = new SpecClasses();
    const a = classes.of(traceTemplate('t0'), req(2));
    expect(classes.of(traceTemplate('t1'), req(2))).toBe(a);
    expect(classes.of(traceTemplate('t2'), req(4))).not.toBe(a);
  });

  it.each<[string, Partial<PodTemplate>]>([
    ['priority', { priority: 10 }],
    ['labels', { labels: { app: 'a' } }],
    ['nodeSelector', { nodeSelector: { zone: 'z1' } }],
    ['tolerations', { tolerations: [{ key: 'k', operator: 'Exists' }] }],
    ['namespace', { tenant: 'other' }],
    ['kind', { kind: 'service' }],
    ['host ports', { hostPorts: [{ port: 80, protocol: 'TCP', hostIP: '0.0.0.0' }] }],
    ['preemptionPolicy', { preemptionPolicy: 'Never' }],
    ['missing requests', { missingRequests: { cpu: true, memory: false } }],
  ])('a template differing in %s is another spec', (_field, change) => {
    expect(sameKubeSpec(traceTemplate('t0'), traceTemplate('t1'))).toBe(true);
    expect(sameKubeSpec(traceTemplate('t0'), traceTemplate('t1', change))).toBe(false);
    const classes = new SpecClasses();
    expect(classes.of(traceTemplate('t0'), req(2))).not.toBe(classes.of(traceTemplate('t1', change), req(2)));
  });

  it('past 256 classes a new spec has none, and the known ones keep theirs', () => {
    const classes = new SpecClasses();
    for (let cpu = 1; cpu <= 256; cpu++) expect(classes.of(traceTemplate(`t${cpu}`), req(cpu))).toBe(cpu - 1);
    expect(classes.of(traceTemplate('new'), req(1000))).toBe(-1);
    expect(classes.of(traceTemplate('again'), req(7))).toBe(6);
  });
});
