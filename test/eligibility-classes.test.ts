import { describe, expect, it } from 'vitest';
import { ClusterState } from '../src/model/cluster-state.js';
import { ResourceSpace } from '../src/model/resources.js';
import { EligibilityClasses } from '../src/sim/eligibility.js';
import { nodeSpecs, template } from './support/sim-unit.js';

function classes(): EligibilityClasses {
  const space = new ResourceSpace();
  const nodes = nodeSpecs(space, [{ cpu: 4, labels: { disk: 'ssd' } }, { cpu: 4, labels: { disk: 'hdd' } }]);
  return new EligibilityClasses(new ClusterState(space, nodes));
}

describe('eligibility classes', () => {
  it('gives every template without constraints one class, however many templates there are', () => {
    const c = classes();
    const first = c.classOf(template('a'));
    for (let i = 0; i < 10_000; i++) expect(c.classOf(template(`owner-${i}`))).toBe(first);
    expect(c.classes).toHaveLength(1);
    expect(c.classes[first]!.admits).toBeNull();
  });

  it('keeps constrained templates in the class of their constraints past the memo of templates', () => {
    const c = classes();
    const ssd = template('ssd-0', { nodeSelector: { disk: 'ssd' } });
    const hdd = template('hdd-0', { nodeSelector: { disk: 'hdd' } });
    const ssdClass = c.classOf(ssd);
    const hddClass = c.classOf(hdd);
    expect(ssdClass).not.toBe(hddClass);
    expect([...c.classes[ssdClass]!.admits!]).toEqual([1, 0]);
    expect([...c.classes[hddClass]!.admits!]).toEqual([0, 1]);
    // More one-pod templates than the memo holds (4096): it starts over, and classes are found again by key.
    for (let i = 1; i < 10_000; i++) {
      const disk = i % 2 === 0 ? 'ssd' : 'hdd';
      expect(c.classOf(template(`${disk}-${i}`, { nodeSelector: { disk } }))).toBe(disk === 'ssd' ? ssdClass : hddClass);
    }
    expect(c.classOf(ssd)).toBe(ssdClass);
    expect(c.classOf(hdd)).toBe(hddClass);
    expect(c.classes).toHaveLength(2);
  });
});
