/**
 * Spec classes (src/schedulers/kube/spec-classes.ts): pods whose templates
 * fill the same KubePod, and whose requests are equal, share a class, so a
 * retry of a like pod replays the last failure; any field a KubePod is made
 * from that differs separates them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameValues } from '../src/schedulers/kube/failure-memo.js';
import { SpecClasses } from '../src/schedulers/kube/spec-classes.js';
import { sameKubeSpec } from '../src/schedulers/kube/pod.js';
import type { PodTemplate } from '../src/workload/pod.js';
import { runs } from './support/property-runs.js';

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
    ['affinity', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } } }],
    ['topologySpreadConstraints', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }],
    ['images', { images: ['registry/app:1'] }],
    ['limits', { limits: Float64Array.from([4000, 2 ** 33, Infinity]) }],
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

/** The classes as a walk over every class numbers them: the reference. */
function walkedClasses(): (template: PodTemplate, requests: Float64Array) => number {
  const templates: PodTemplate[] = [];
  const requests: Float64Array[] = [];
  return (template, r) => {
    for (let c = 0; c < templates.length; c++) if (sameKubeSpec(template, templates[c]!) && sameValues(r, requests[c]!)) return c;
    if (templates.length === 256) return -1;
    templates.push(template);
    requests.push(Float64Array.from(r));
    return templates.length - 1;
  };
}

describe('kube spec classes, found by hash', () => {
  const LABEL_SETS = [LABELS, NONE, Object.freeze({ app: 'b' })];
  const MISSING_SETS = [MISSING, { cpu: true, memory: false }];
  it('property: every pod gets the class a walk over the classes gives it, past the limit too', () => {
    const pod = fc.record({
      owner: fc.nat(60),
      labels: fc.nat(LABEL_SETS.length - 1),
      priority: fc.nat(2),
      missing: fc.nat(1),
      cpu: fc.constantFrom(0, -0, 1, 2.5, Number.NaN, 1e12),
      memory: fc.nat(100),
    });
    fc.assert(
      fc.property(fc.array(pod, { minLength: 300, maxLength: 700 }), (pods) => {
        const classes = new SpecClasses();
        const walk = walkedClasses();
        // One template per owner, made at its first pod, from shared field values, as a trace makes them.
        const templates = new Map<number, PodTemplate>();
        for (const p of pods) {
          let template = templates.get(p.owner);
          if (template === undefined) {
            template = traceTemplate(`t${p.owner}`, { labels: LABEL_SETS[p.labels]!, priority: p.priority, missingRequests: MISSING_SETS[p.missing]! });
            templates.set(p.owner, template);
          }
          const requests = Float64Array.from([p.cpu, p.memory, 1]);
          expect(classes.of(template, requests)).toBe(walk(template, requests));
        }
      }),
      { numRuns: runs(100) },
    );
  });
});
