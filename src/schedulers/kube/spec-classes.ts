/**
 * Pods that fill the same KubePod but for their slot (sameKubeSpec and equal
 * requests), numbered. At saturation the same pods are retried many times:
 * each pod's class is found once, when it is queued, so that telling whether
 * a retry is like the last one costs one comparison. A class is found through
 * a hash of its spec and requests, never by a walk over the classes, so that
 * a workload of many classes pays no more per pod than one of a few; a
 * template's spec is numbered once, from the fields sameKubeSpec compares.
 */
import type { PodTemplate } from '../../workload/pod.js';
import { sameValues } from './failure-memo.js';
import { kubeSpecFields, sameKubeSpec } from './pod.js';

/** Classes numbered at most; pods of further specs have none (−1) and simply take the longer way. */
const MAX_CLASSES = 256;
/** The hash table's size: a power of two, at most a quarter full, so a probe ends within a few steps. */
const TABLE_SIZE = 4 * MAX_CLASSES;

export class SpecClasses {
  /** Per class: a template and the requests of its pods. */
  readonly templates: PodTemplate[] = [];
  readonly requests: Float64Array[] = [];
  /** The class found last: pods of a job come one after another. */
  private last = -1;
  /** Per class: the hash of its spec and requests. */
  private readonly hashes = new Int32Array(MAX_CLASSES);
  /** Open addressing, probed linearly: class + 1, 0 where empty. */
  private readonly table = new Int32Array(TABLE_SIZE);
  /** Per template: its spec's number (−1: a spec no class has, and none can have now that the classes are full). */
  private readonly specOfTemplate = new WeakMap<PodTemplate, number>();
  /** The template whose spec was numbered last, and that number. */
  private lastSpecTemplate: PodTemplate | undefined = undefined;
  private lastSpec = -1;
  /** Spec numbers by the key of their fields. */
  private readonly specs = new Map<string, number>();
  /** Numbers of the objects and strings a key is made of: sameKubeSpec compares them by identity. */
  private readonly objectIds = new WeakMap<object, number>();
  private readonly stringIds = new Map<string, number>();
  private ids = 0;
  /** One request's bits, read without allocating. */
  private readonly value = new Float64Array(1);
  private readonly bits = new Int32Array(this.value.buffer);

  /** The class of a pod made from `template` with `requests`, or −1 when the classes are full. */
  of(template: PodTemplate, requests: Float64Array): number {
    if (this.last >= 0 && this.matches(this.last, template, requests)) return this.last;
    const spec = this.specOf(template);
    if (spec < 0) return -1;
    const { table, hashes } = this;
    const hash = this.hash(spec, requests);
    let i = hash & (TABLE_SIZE - 1);
    for (let c = table[i]! - 1; c >= 0; c = table[i]! - 1) {
      if (hashes[c] === hash && this.matches(c, template, requests)) return (this.last = c);
      i = (i + 1) & (TABLE_SIZE - 1);
    }
    const { templates } = this;
    if (templates.length === MAX_CLASSES) return -1;
    const c = templates.length;
    templates.push(template);
    this.requests.push(Float64Array.from(requests));
    hashes[c] = hash;
    table[i] = c + 1;
    return (this.last = c);
  }

  private matches(c: number, template: PodTemplate, requests: Float64Array): boolean {
    return sameKubeSpec(template, this.templates[c]!) && sameValues(requests, this.requests[c]!);
  }

  /** The number of the template's spec: templates sameKubeSpec holds alike share one. Worked out once per template. */
  private specOf(template: PodTemplate): number {
    // A trace can give every pod a template of its own that differs from the last only by owner: the
    // last spec is then told by one comparison, and such templates are not remembered one by one.
    if (this.lastSpecTemplate !== undefined && sameKubeSpec(this.lastSpecTemplate, template)) return this.lastSpec;
    const spec = this.numberSpec(template);
    this.lastSpecTemplate = template;
    this.lastSpec = spec;
    return spec;
  }

  private numberSpec(template: PodTemplate): number {
    const known = this.specOfTemplate.get(template);
    if (known !== undefined) return known;
    const key = kubeSpecFields(template)
      .map((v) => (v === undefined || v === null ? '-' : typeof v === 'object' ? `o${this.idOf(this.objectIds, v)}` : typeof v === 'string' ? `s${this.idOf(this.stringIds, v)}` : String(v)))
      .join(',');
    let spec = this.specs.get(key);
    if (spec === undefined) {
      // A new spec has no class yet: with the classes full it never will.
      spec = this.templates.length === MAX_CLASSES ? -1 : this.specs.size;
      if (spec >= 0) this.specs.set(key, spec);
    }
    this.specOfTemplate.set(template, spec);
    return spec;
  }

  private idOf<K>(ids: { get(k: K): number | undefined; set(k: K, v: number): unknown }, value: K): number {
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = this.ids++));
    return id;
  }

  private hash(spec: number, requests: Float64Array): number {
    const { value, bits } = this;
    let h = Math.imul(spec + 1, 0x9e3779b1);
    for (let d = 0; d < requests.length; d++) {
      // 0 and −0 are equal requests (sameValues) but differ in their bits.
      value[0] = requests[d] === 0 ? 0 : requests[d]!;
      h = Math.imul(h ^ bits[0]!, 0x85ebca6b);
      h = Math.imul(h ^ bits[1]!, 0xc2b2ae35);
      h ^= h >>> 15;
    }
    return h;
  }
}
