/**
 * Azure Public Dataset, VM traces V1 (2017) and V2 (2019)
 * (Azure/AzurePublicDataset, AzurePublicDatasetV1.md / V2.md and
 * schema.csv). vmtable.csv, no header row, 11 columns:
 *   vmid, subscriptionid, deploymentid, vmcreated, vmdeleted, maxcpu, avgcpu,
 *   p95maxcpu, vmcategory, vmcorecount (V2: vmcorecountbucket), vmmemory (V2: vmmemorybucket)
 * Times are seconds from the start of the trace. Core counts and memory (GB,
 * read as GiB) are buckets — 2, 4, 8, 24, >24 cores; 2, 4, 8, 32, 64, >64 GB —
 * the versions differ only in naming; a bucket is read as its number, and an
 * open bucket (">24") as its bound. A VM is a pod arriving at vmcreated and
 * running vmdeleted − vmcreated, owned by its subscription, with its category
 * (Interactive, Delay-insensitive, Unknown) as its class label. The trace has
 * no machines: the cluster comes from a scenario. With the usage option, a
 * VM uses avgcpu percent of its cores (its average CPU utilisation).
 */
import { BadField, GIB, Interner, MAX_NUMBER_LENGTH, NOT_NEGATIVE, PERCENT, expectColumns, num, secondsToMicros, shown, text } from './fields.js';
import type { TraceFormat } from './format.js';
import { guardedRow, plainRows } from './format.js';
import type { TracePod } from './types.js';

const VM = ['vmid', 'subscriptionid', 'deploymentid', 'vmcreated', 'vmdeleted', 'maxcpu', 'avgcpu', 'p95maxcpu', 'vmcategory', 'vmcorecount', 'vmmemory'];

/** "8" → 8, ">24" → 24. */
export function bucket(value: string | undefined, field: string, what: string): number {
  const t = (value ?? '').trim();
  const open = t.startsWith('>');
  const n = t.length > MAX_NUMBER_LENGTH ? NaN : Number(open ? t.slice(1) : t);
  if (t === '' || !Number.isFinite(n) || n <= 0) {
    const expected = `expected a ${what} bucket such as 2, 8 or >24`;
    throw new BadField(field, `${expected}, got ${shown(t)}`, expected);
  }
  return n;
}

export const azureVm: TraceFormat = {
  name: 'azure-vm',
  description: 'Azure Public Dataset VM traces V1 and V2: vmtable (core and memory buckets); no machines',
  roles: [{ role: 'vms', pattern: /vmtable|\.csv$/, description: 'vmtable*.csv' }],
  machineRoles: [],

  *nodes() {
    // The trace lists no machines.
  },

  hasUsage: (_files, options) => options.usage,

  *pods(files, ctx) {
    const owners = new Interner();
    const categories = new Interner();
    for (const file of files.vms ?? []) {
      // One row function per file rather than a closure per row.
      const read = (f: readonly string[], line: number): TracePod => {
        expectColumns(f, VM);
        const created = num(f[3], 'vmcreated', 'seconds', NOT_NEGATIVE);
        const deleted = num(f[4], 'vmdeleted', 'seconds, not before vmcreated', { min: created });
        const category = (f[8] ?? '').trim();
        return {
          name: text(f[0], 'vmid', 'a VM id'),
          owner: owners.of(text(f[1], 'subscriptionid', 'a subscription id')),
          arrival: secondsToMicros(created),
          duration: Math.max(1, secondsToMicros(deleted - created)),
          cpu: bucket(f[9], 'vmcorecount', 'core count') * 1000,
          memory: Math.round(bucket(f[10], 'vmmemory', 'memory (GB)') * GIB),
          gpuMilli: 0,
          priority: 0,
          qos: category === '' ? undefined : categories.of(category),
          usage: ctx.options.usage ? { cpu: Math.round(bucket(f[9], 'vmcorecount', 'core count') * 10 * num(f[6], 'avgcpu', 'a CPU utilisation in percent', PERCENT)) } : undefined,
          file,
          line,
        };
      };
      for (const row of plainRows(file)) {
        const pod = guardedRow(ctx, file, row, read);
        if (pod !== undefined) yield pod;
      }
    }
  },
};
