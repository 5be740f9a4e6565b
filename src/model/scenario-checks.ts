/**
 * The rules of a scenario that span fields: names unique across the
 * workload, images with sizes, requests of resources some pool has, storage
 * classes declared, failure processes with a horizon and figures, streams
 * that end. They read the pools as resolved (a profile's capacity, the
 * platform's reserved share), so they run after the profiles and the stack
 * are applied.
 */
import { isFailureProcess } from './failure-schema.js';
import type { FailureSpec } from './failure-schema.js';
import type { ParsedScenario } from './scenario-schema.js';
import type { FieldIssue } from './yaml-input.js';

const SECTIONS = ['services', 'jobs', 'streams'] as const;

/** Every broken cross-field rule of a scenario whose profiles and stack are applied, each at its field path. */
export function checkScenario(s: ParsedScenario): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const issue = (path: PropertyKey[], message: string): void => {
    issues.push({ path, message });
  };
  checkImages(s, issue);
  s.cluster.pools.forEach((p, i) => {
    for (const [r, v] of Object.entries(p.reserved)) {
      const cap = p.capacity[r] ?? 0;
      if (v > cap) issue(['cluster', 'pools', i, 'reserved', r], `reserved ${r} (${v}) exceeds the pool's capacity (${cap})`);
    }
  });
  // Random streams are named after services, jobs and streams: two of one name would share draws.
  const seen = new Set<string>();
  for (const section of SECTIONS) {
    s.workload[section].forEach((item, i) => {
      if (seen.has(item.name)) {
        issue(['workload', section, i, 'name'], `the name "${item.name}" is used twice in the workload; give each service, job and stream its own name`);
      }
      seen.add(item.name);
    });
  }
  // boundAtStart names a node: <pool>-<n>, n from 1 to the pool's count. Checked without listing the
  // nodes: a pool of 10^8 must reach the memory check (runner/memory-check.ts), not fill the memory here.
  const isNode = (name: string): boolean =>
    s.cluster.pools.some((p) => name.startsWith(`${p.name}-`) && /^[1-9]\d{0,15}$/.test(name.slice(p.name.length + 1)) && Number(name.slice(p.name.length + 1)) <= p.count);
  for (const section of ['services', 'jobs'] as const) {
    s.workload[section].forEach((item, i) => {
      if (item.boundAtStart !== undefined && !isNode(item.boundAtStart)) issue(['workload', section, i, 'boundAtStart'], `no node is named "${item.boundAtStart}"`);
    });
  }
  checkStorageClasses(s, issue);
  checkFailureProcesses(s, issue);
  // Every requested resource must exist on some pool, or no pod could ever use it.
  const declared = new Set(['cpu', 'memory', 'nvme', 'nic', 'pods']);
  for (const p of s.cluster.pools) for (const r of Object.keys(p.capacity)) declared.add(r);
  for (const section of SECTIONS) {
    s.workload[section].forEach((item, i) => {
      // A partly parsed workload (other issues already reported) may lack its requests.
      const own: [PropertyKey[], Readonly<Record<string, unknown>> | undefined][] =
        item.containers === undefined ? [[['requests'], item.requests]] : item.containers.map((c, k) => [['containers', k, 'requests'], c.requests]);
      for (const [at, requests] of own) {
        for (const r of Object.keys(requests ?? {})) {
          if (!declared.has(r)) issue(['workload', section, i, ...at, r], `no node pool has resource "${r}" in its capacity`);
        }
      }
    });
  }
  for (const r of Object.keys(s.cluster.overcommit ?? {})) {
    if (!declared.has(r)) issue(['cluster', 'overcommit', r], `no node pool has resource "${r}" in its capacity`);
  }
  s.workload.streams.forEach((st, i) => {
    if (st.arrival.process === 'burst' && (st.arrival.every === undefined) === (st.arrival.at === undefined)) {
      issue(['workload', 'streams', i, 'arrival'], 'a burst arrival needs exactly one of "every" or "at"');
    }
    const unbounded = st.count === undefined && st.stop === undefined && s.simulation.until === undefined;
    const finiteBursts = st.arrival.process === 'burst' && st.arrival.at !== undefined;
    if (unbounded && !finiteBursts) issue(['workload', 'streams', i], 'an endless stream: give "count" or "stop" here, or "simulation.until"');
  });
  return issues;
}

type Report = (path: PropertyKey[], message: string) => void;

/** With a container runtime, every image a pod names needs a size, to be pulled. */
function checkImages(s: ParsedScenario, issue: Report): void {
  if (s.runtime === undefined) return;
  const known = new Set(Object.keys(s.runtime.images));
  for (const p of s.cluster.pools) for (const image of p.images) for (const n of image.names) known.add(n);
  // Pulls go over the node's NIC: without one a pull never ends and the pod never starts.
  s.cluster.pools.forEach((p, i) => {
    if (!((p.capacity.nic ?? 0) > 0)) {
      issue(['cluster', 'pools', i, 'capacity', 'nic'], `pool "${p.name}" has no nic capacity, and with a runtime section images are pulled over the node's NIC: give it one (e.g. nic: 10G)`);
    }
  });
  if (s.runtime.imageGCLowThresholdPercent > s.runtime.imageGCHighThresholdPercent) {
    issue(['runtime', 'imageGCLowThresholdPercent'], 'imageGCLowThresholdPercent must not exceed imageGCHighThresholdPercent');
  }
  for (const section of SECTIONS) {
    s.workload[section].forEach((item, i) =>
      item.images?.forEach((image, k) => {
        if (!known.has(image)) {
          issue(['workload', section, i, 'images', k], `image "${image}" has no size: list it under runtime.images (e.g. ${image}: 200Mi) or in a pool's images`);
        }
      }),
    );
  }
}

/** Storage classes: declared once, WaitForFirstConsumer, and named by every local volume and claim. */
function checkStorageClasses(s: ParsedScenario, issue: Report): void {
  const classes = new Set<string>();
  s.cluster.storageClasses.forEach((c, i) => {
    if (classes.has(c.name)) issue(['cluster', 'storageClasses', i, 'name'], `storage class "${c.name}" is declared twice`);
    classes.add(c.name);
    if (c.volumeBindingMode === 'Immediate') {
      issue(
        ['cluster', 'storageClasses', i, 'volumeBindingMode'],
        'volumeBindingMode Immediate is not modelled (the PV controller would bind claims before scheduling, regardless of the pod); use WaitForFirstConsumer, as local volumes should',
      );
    }
  });
  const undeclared = (className: string, path: PropertyKey[]): void => {
    if (!classes.has(className)) issue(path, `storage class "${className}" is not declared under cluster.storageClasses`);
  };
  s.cluster.pools.forEach((p, i) => p.localVolumes?.forEach((v, k) => undeclared(v.storageClass, ['cluster', 'pools', i, 'localVolumes', k, 'storageClass'])));
  for (const section of SECTIONS) {
    s.workload[section].forEach((item, i) => item.volumeClaims?.forEach((c, k) => undeclared(c.storageClass, ['workload', section, i, 'volumeClaims', k, 'storageClass'])));
  }
}

/**
 * A failure process needs a horizon (simulation.until), pools that exist and
 * are covered once, and for each covered pool an mtbf and (unless repair is
 * never) an mttr, from the pool, its profile or the entry.
 */
function checkFailureProcesses(
  s: {
    failures: readonly FailureSpec[];
    simulation: { until?: number | undefined };
    cluster: { pools: readonly { name: string; count: number; mtbf?: number | undefined; mttr?: number | undefined }[] };
  },
  report: Report,
): void {
  const coveredBy = new Map<string, number>();
  s.failures.forEach((f, i) => {
    if (!isFailureProcess(f)) return;
    const at = (...path: PropertyKey[]): PropertyKey[] => ['failures', i, ...path];
    if (s.simulation.until === undefined) {
      report(at('process'), 'a failure process draws failures up to simulation.until: give simulation.until (e.g. until: 30d)');
    }
    if (f.repair === 'lognormal' && f.repairSigma === undefined) {
      report(at('repairSigma'), 'repair: lognormal needs repairSigma, the σ of the logarithm of the repair time (e.g. repairSigma: 1)');
    }
    if (f.repair !== 'lognormal' && f.repairSigma !== undefined) {
      report(at('repairSigma'), `repairSigma is for repair: lognormal, and this entry's repair is ${f.repair}`);
    }
    if (f.repair === 'never' && f.mttr !== undefined) {
      report(at('mttr'), 'mttr has no use with repair: never (failed nodes stay down); remove one of them');
    }
    const known = new Set(s.cluster.pools.map((p) => p.name));
    f.pools?.forEach((pool, k) => {
      if (!known.has(pool)) report(at('pools', k), `no pool "${pool}" in cluster.pools (pools: ${[...known].join(', ')})`);
    });
    for (const pool of s.cluster.pools) {
      if (f.pools !== undefined && !f.pools.includes(pool.name)) continue;
      const other = coveredBy.get(pool.name);
      if (other !== undefined) {
        report(at(f.pools === undefined ? 'process' : 'pools'), `pool "${pool.name}" already fails by failures[${other}]; give each pool one failure process (list pools in each)`);
        continue;
      }
      coveredBy.set(pool.name, i);
      if (pool.count === 0) continue;
      if (pool.mtbf === undefined && f.mtbf === undefined) {
        report(at('mtbf'), `pool "${pool.name}" has no mtbf: give mtbf here (e.g. mtbf: 90d), on the pool or on its hardware profile`);
      }
      if (f.repair !== 'never' && pool.mttr === undefined && f.mttr === undefined) {
        report(at('mttr'), `pool "${pool.name}" has no mttr: give mttr here (e.g. mttr: 8h), on the pool or on its hardware profile, or say repair: never`);
      }
    }
  });
}
