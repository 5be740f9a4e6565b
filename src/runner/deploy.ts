/**
 * `rackbench deploy sweep`: the Kubernetes objects that run a sweep split into
 * n shards and merge them, with n written in one place (this module). An
 * Indexed Job runs the shards in parallel, each into its own directory on a
 * shared volume; a merge Job started beside it waits on that volume until all
 * n shard directories are finished shards of this very sweep (sweep id, shard
 * count, completion marker), then merges them. deploy/README.md explains why
 * the merge waits on the data rather than on the Job's status.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import { quote } from '../core/text.js';
import type { RecordTable } from '../metrics/run-record.js';
import { parseQuantity, QuantityError } from '../model/quantity.js';
import { checkImageRef } from './image-ref.js';
import { loadSweep } from './sweep-file.js';
import { scenarioTraceRef } from './trace-run.js';

/** Enough for any cluster's worth of shards; the merge Job lists every shard directory. */
export const MAX_SHARDS = 1000;
/** Object names get suffixes (-merge, -results, -sweep) and pods an index: a shorter name keeps every derived name within 63 characters. */
const NAME_MAX = 40;
/** A ConfigMap is limited to 1 MiB in all; keep clear of it. */
const CONFIGMAP_MAX_BYTES = 900 * 1024;
const RESULTS = '/results';
const SWEEP_MOUNT = '/sweep';
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

export interface DeployOptions {
  readonly sweepFile: string;
  readonly shards: number;
  readonly image: string;
  /** Prefix of every object's name. Default: rackbench-<sweep name>. */
  readonly name?: string | undefined;
  readonly namespace?: string | undefined;
  /** An existing PersistentVolumeClaim to write to, instead of creating one. */
  readonly pvc?: string | undefined;
  readonly storageClass?: string | undefined;
  /** Size of the created claim. Default: 1Gi. */
  readonly storage?: string | undefined;
  /** Default ReadWriteMany: shard pods may run on different nodes at once. */
  readonly accessMode?: 'ReadWriteMany' | 'ReadWriteOnce' | undefined;
  /** CPUs per shard pod, and its worker threads. Default: 2. */
  readonly cpu?: number | undefined;
  /** Memory per shard pod (request and limit). Default: 2Gi. */
  readonly memory?: string | undefined;
  readonly record?: readonly RecordTable[] | undefined;
  /** The sweep file's path inside the image: no ConfigMap; the image holds the sweep and what it names. */
  readonly imagePath?: string | undefined;
  /** How long the merge waits for the shards. Default: 24 h. */
  readonly mergeTimeoutS?: number | undefined;
}

export interface Deployment {
  readonly name: string;
  /** sweep.json's `sweep` of every shard: what the pods and the merge check. */
  readonly sweepId: string;
  readonly sweepName: string;
  readonly runs: number;
  /** The objects, in the order to apply them, each with the file `--out` writes it to. */
  readonly objects: readonly { readonly file: string; readonly object: Record<string, unknown> }[];
}

type Obj = Record<string, unknown>;

export function renderDeployment(options: DeployOptions): Deployment {
  const n = options.shards;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS) throw new UsageError(`--shards ${n}: expected a whole number from 1 to ${MAX_SHARDS}`);
  checkImageRef(options.image);
  const plan = loadSweep(options.sweepFile);
  if (n > plan.runs.length) throw new UsageError(`--shards ${n}: the sweep ${plan.name} has only ${plan.runs.length} runs; use at most that many shards`);
  const name = options.name ?? defaultName(plan.name);
  checkLabel('--name', name, NAME_MAX);
  if (options.namespace !== undefined) checkLabel('--namespace', options.namespace, 63);
  if (options.pvc !== undefined) checkLabel('--pvc', options.pvc, 253, /^[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?$/);
  if (options.storageClass !== undefined) checkLabel('--storage-class', options.storageClass, 253, /^[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?$/);
  const storage = checkBytes('--storage', options.storage ?? '1Gi');
  const memory = checkBytes('--memory', options.memory ?? '2Gi');
  const cpu = options.cpu ?? 2;
  if (!Number.isInteger(cpu) || cpu < 1 || cpu > 1024) throw new UsageError(`--cpu ${cpu}: expected a whole number of CPUs from 1 to 1024`);
  const timeout = options.mergeTimeoutS ?? 86_400;

  const labels = (component: string): Obj => ({ 'app.kubernetes.io/name': 'rackbench', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': component });
  const meta = (objName: string, component: string): Obj => ({
    name: objName,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    labels: labels(component),
    annotations: { 'rackbench/sweep': plan.name, 'rackbench/sweep-id': plan.id },
  });

  const objects: { file: string; object: Obj }[] = [];
  let sweepPath = options.imagePath;
  const sweepVolumes: { volume: Obj; mount: Obj }[] = [];
  if (sweepPath === undefined) {
    const bundle = sweepBundle(options.sweepFile, plan);
    sweepPath = `${SWEEP_MOUNT}/${bundle.sweepPath}`;
    objects.push({ file: '1-sweep-configmap.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${name}-sweep`, 'sweep'), data: bundle.data } });
    sweepVolumes.push({
      volume: { name: 'sweep', configMap: { name: `${name}-sweep`, items: bundle.items } },
      mount: { name: 'sweep', mountPath: SWEEP_MOUNT, readOnly: true },
    });
  } else if (!sweepPath.startsWith('/')) {
    throw new UsageError(`--image-path ${quote(sweepPath)}: expected the sweep file's absolute path inside the image, e.g. /app/scenarios/sweeps/policies.yaml`);
  }
  const claim = options.pvc ?? `${name}-results`;
  if (options.pvc === undefined) {
    objects.push({
      file: '2-results-pvc.yaml',
      object: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: meta(claim, 'results'),
        spec: {
          accessModes: [options.accessMode ?? 'ReadWriteMany'],
          ...(options.storageClass === undefined ? {} : { storageClassName: options.storageClass }),
          resources: { requests: { storage } },
        },
      },
    });
  }

  const root = `${RESULTS}/${name}`;
  const shardDir = (index: string): string => `${root}/shard-${index}`;
  const volumes = [{ name: 'results', persistentVolumeClaim: { claimName: claim } }, ...sweepVolumes.map((v) => v.volume)];
  const mounts = [{ name: 'results', mountPath: RESULTS }, ...sweepVolumes.map((v) => v.mount)];
  // The image runs as the unprivileged user node (uid and gid 1000): the volume must be writable to it.
  const podSecurity = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 };
  const containerSecurity = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  // Exit code 2 is bad input: trying again cannot help. An evicted or preempted pod is not the shard's failure.
  const failurePolicy = (action: 'FailIndex' | 'FailJob', container: string): Obj => ({
    rules: [
      { action, onExitCodes: { containerName: container, operator: 'In', values: [2] } },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
    ],
  });

  const shardArgs = [
    'sweep',
    sweepPath,
    `--shard-index=$(JOB_COMPLETION_INDEX)/${n}`,
    `--sweep-id=${plan.id}`,
    `--out=${shardDir('$(JOB_COMPLETION_INDEX)')}`,
    // Node counts the host's cores and free memory, not the container's: tell it the pod's share.
    `--workers=${cpu}`,
    `--max-memory=${memory}`,
    ...(options.record === undefined || options.record.length === 0 ? [] : [`--record=${options.record.join(',')}`]),
    '--quiet',
  ];
  objects.push({
    file: '3-sweep-job.yaml',
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(`${name}-shards`, 'shard'),
      spec: {
        completionMode: 'Indexed',
        completions: n,
        parallelism: n,
        // A failed shard is retried on its own and resumes from the runs it saved (Kubernetes ≥ 1.29).
        backoffLimitPerIndex: 2,
        podFailurePolicy: failurePolicy('FailIndex', 'shard'),
        template: {
          metadata: { labels: labels('shard') },
          spec: {
            restartPolicy: 'Never',
            securityContext: podSecurity,
            containers: [
              {
                name: 'shard',
                image: options.image,
                args: shardArgs,
                resources: { requests: { cpu: String(cpu), memory }, limits: { memory } },
                securityContext: containerSecurity,
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
      },
    },
  });

  const shardDirs = Array.from({ length: n }, (_, i) => shardDir(String(i)));
  objects.push({
    file: '4-merge-job.yaml',
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(`${name}-merge`, 'merge'),
      spec: {
        backoffLimit: 2,
        // The merge's own deadline: the wait for the shards, then an hour to merge.
        activeDeadlineSeconds: timeout + 3600,
        podFailurePolicy: failurePolicy('FailJob', 'merge'),
        template: {
          metadata: { labels: labels('merge') },
          spec: {
            restartPolicy: 'Never',
            securityContext: podSecurity,
            containers: [
              {
                name: 'merge',
                image: options.image,
                args: ['merge', `--wait=${timeout}s`, `--shards=${n}`, `--sweep=${plan.id}`, `--out=${root}/merged`, ...shardDirs],
                resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory } },
                securityContext: containerSecurity,
                volumeMounts: [mounts[0]],
              },
            ],
            volumes: [volumes[0]],
          },
        },
      },
    },
  });
  return { name, sweepId: plan.id, sweepName: plan.name, runs: plan.runs.length, objects };
}

/** rackbench-<sweep name>, made a DNS label of at most NAME_MAX characters. */
function defaultName(sweep: string): string {
  const cleaned = `rackbench-${sweep}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, NAME_MAX)
    .replace(/^-+|-+$/g, '');
  return cleaned.replace(/-{2,}/g, '-');
}

function checkLabel(flag: string, value: string, max: number, pattern = DNS_LABEL): void {
  if (value.length > max || !pattern.test(value)) {
    throw new UsageError(`${flag} ${quote(value)}: expected a Kubernetes name: lower-case letters, digits and '-', starting and ending with a letter or digit, at most ${max} characters`);
  }
}

/** A byte quantity flag, checked, as written (Kubernetes reads the same notation). */
function checkBytes(flag: string, value: string): string {
  let bytes: number;
  try {
    bytes = parseQuantity(value, 'bytes');
  } catch (e) {
    if (e instanceof QuantityError) throw new UsageError(`${flag} ${quote(value)}: ${e.message}`);
    throw e;
  }
  if (!(bytes > 0)) throw new UsageError(`${flag} ${quote(value)}: expected a positive size such as 2Gi`);
  return value;
}

/**
 * The sweep file and every file it names (scenarios, policy plugins) as
 * ConfigMap data, laid out under their common directory so the relative
 * paths in the files still lead to each other in the pod.
 */
function sweepBundle(sweepFile: string, plan: ReturnType<typeof loadSweep>): { data: Record<string, string>; items: { key: string; path: string }[]; sweepPath: string } {
  const traced = plan.runs.find((r) => scenarioTraceRef(r.spec.scenario, r.spec.source) !== undefined);
  if (traced !== undefined) {
    throw new UsageError(
      `${sweepFile}: scenario ${traced.spec.source} replays a trace, too large for a ConfigMap: build an image that holds the sweep and its traces and give --image-path (deploy/README.md)`,
    );
  }
  const files = [resolve(sweepFile), ...plan.runs.flatMap((r) => [resolve(r.spec.source), ...(r.spec.plugin === undefined ? [] : [resolve(r.spec.plugin.file)])])];
  const unique = [...new Set(files)];
  const root = unique.map(dirname).reduce(commonDir);
  const data: Record<string, string> = {};
  const items: { key: string; path: string }[] = [];
  let bytes = 0;
  unique.forEach((file, i) => {
    // ConfigMap keys allow letters, digits, '-', '_' and '.'; the item path restores the tree.
    const key = `${i}-${basename(file).replace(/[^-._a-zA-Z0-9]/g, '_')}`;
    const text = readFileSync(file, 'utf8');
    bytes += Buffer.byteLength(text);
    data[key] = text;
    items.push({ key, path: relative(root, file).split(sep).join('/') });
  });
  if (bytes > CONFIGMAP_MAX_BYTES) {
    throw new UsageError(`${sweepFile}: the sweep and its files come to ${Math.round(bytes / 1024)} KiB, more than a ConfigMap holds (${CONFIGMAP_MAX_BYTES / 1024} KiB here): build them into the image and give --image-path`);
  }
  return { data, items, sweepPath: items[0]!.path };
}

function commonDir(a: string, b: string): string {
  const pa = a.split(sep);
  const pb = b.split(sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return pa.slice(0, i).join(sep) || sep;
}
