/**
 * Pods that fill the same KubePod but for their slot (sameKubeSpec and equal
 * requests), numbered. At saturation the same pods are retried many times:
 * each pod's class is found once, when it is queued, so that telling whether
 * a retry is like the last one costs one comparison.
 */
import type { PodTemplate } from '../../workload/pod.js';
import { sameValues } from './failure-memo.js';
import { sameKubeSpec } from './pod.js';

/** Classes numbered at most; pods of further specs have none (−1) and simply take the longer way. */
const MAX_CLASSES = 256;

export class SpecClasses {
  /** Per class: a template and the requests of its pods. */
  readonly templates: PodTemplate[] = [];
  readonly requests: Float64Array[] = [];
  /** The class found last: pods of a job come one after another. */
  private last = -1;

  /** The class of a pod made from `template` with `requests`, or −1 when the classes are full. */
  of(template: PodTemplate, requests: Float64Array): number {
    if (this.last >= 0 && this.matches(this.last, template, requests)) return this.last;
    const { templates } = this;
    for (let c = 0; c < templates.length; c++) if (this.matches(c, template, requests)) return (this.last = c);
    if (templates.length === MAX_CLASSES) return -1;
    templates.push(template);
    this.requests.push(Float64Array.from(requests));
    return (this.last = templates.length - 1);
  }

  private matches(c: number, template: PodTemplate, requests: Float64Array): boolean {
    return sameKubeSpec(template, this.templates[c]!) && sameValues(requests, this.requests[c]!);
  }
}
