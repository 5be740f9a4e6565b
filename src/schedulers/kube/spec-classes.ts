/**
 * Pods that fill the same KubePod but for their slot (sameKubeSpec and equal
 * requests), numbered. At saturation the same pods are retried many times;
 * their class is kept per pod slot, so telling whether a retry is like the
 * last one costs a comparison instead of a walk over the spec and requests.
 */
import type { PodTemplate } from '../../workload/pod.js';
import { sameValues } from './failure-memo.js';
import { sameKubeSpec } from './pod.js';

/** Classes numbered at most; pods of further specs have none (−1) and simply take the longer way. */
const MAX_CLASSES = 256;

export class SpecClasses {
  private readonly templates: PodTemplate[] = [];
  private readonly requests: Float64Array[] = [];
  // Per slot: the template and requests its class was found for (a new pod in the slot has others), and the class.
  private readonly slotTemplate: (PodTemplate | undefined)[] = [];
  private readonly slotRequests: (Float64Array | undefined)[] = [];
  private readonly slotClass: number[] = [];

  /** The class of the pod in `slot` made from `template` with `requests`, or −1 when the classes are full. */
  of(slot: number, template: PodTemplate, requests: Float64Array): number {
    if (this.slotTemplate[slot] === template && this.slotRequests[slot] === requests) return this.slotClass[slot]!;
    const c = this.find(template, requests);
    while (this.slotClass.length <= slot) {
      this.slotTemplate.push(undefined);
      this.slotRequests.push(undefined);
      this.slotClass.push(-1);
    }
    this.slotTemplate[slot] = template;
    this.slotRequests[slot] = requests;
    this.slotClass[slot] = c;
    return c;
  }

  private find(template: PodTemplate, requests: Float64Array): number {
    const { templates } = this;
    for (let c = 0; c < templates.length; c++) if (sameKubeSpec(template, templates[c]!) && sameValues(requests, this.requests[c]!)) return c;
    if (templates.length === MAX_CLASSES) return -1;
    templates.push(template);
    this.requests.push(Float64Array.from(requests));
    return templates.length - 1;
  }
}
