/** The shipped Kubernetes manifest is valid against the Kubernetes API schemas and consistent with itself. */
import { readFileSync } from 'node:fs';
import { PersistentVolumeClaim } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const FILE = 'deploy/kubernetes/sweep-job.yaml';
const docs = parseAllDocuments(readFileSync(FILE, 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { name: string } });

describe(FILE, () => {
  it('holds a PVC, the Indexed sweep Job and the merge Job, each valid against its API schema', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'PersistentVolumeClaim/rackbench-results',
      'Job/rackbench-sweep',
      'Job/rackbench-merge',
    ]);
    // validate() checks every field against the OpenAPI schema and throws naming the bad path.
    new PersistentVolumeClaim(docs[0] as never).validate();
    new Job(docs[1] as never).validate();
    new Job(docs[2] as never).validate();
    const broken = structuredClone(docs[1]) as unknown as { spec: { completions: unknown } };
    broken.spec.completions = 'four';
    expect(() => new Job(broken as never).validate()).toThrow();
  });

  it('agrees with itself on the shard count and the results volume', () => {
    const sweep = new Job(docs[1] as never);
    const merge = new Job(docs[2] as never);
    const shards = sweep.spec!.completions!;
    expect(sweep.spec!.completionMode).toBe('Indexed');
    expect(sweep.spec!.parallelism).toBe(shards);
    const worker = sweep.spec!.template.spec!.containers[0]!;
    expect(worker.env).toContainEqual({ name: 'JOB_COMPLETION_COUNT', value: String(shards) });
    expect(worker.args).toContain('--out=/results/shard-$(JOB_COMPLETION_INDEX)');
    const merger = merge.spec!.template.spec!.containers[0]!;
    expect(merger.env).toContainEqual({ name: 'SHARDS', value: String(shards) });
    expect(merger.command!.join(' ')).toContain('merge /results/shard-* --out /results/merged');
    for (const job of [sweep, merge]) {
      const pod = job.spec!.template.spec!;
      expect(pod.volumes![0]!.persistentVolumeClaim!.claimName).toBe('rackbench-results');
      expect(pod.containers[0]!.volumeMounts![0]!.mountPath).toBe('/results');
    }
  });
});
