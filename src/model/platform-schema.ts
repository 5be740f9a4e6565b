/** The schema of a scenario's `stack:` section (platform.ts applies it with the platform data). */
import { z } from 'zod';
import { bytes, quantity, resourceMapSchema } from './schema-fields.js';

/** A node agent DaemonSet: a built-in name from the platform data, or a name with its requests. */
const agentSchema = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a lowercase DNS-style name'), requests: resourceMapSchema.default({}) }),
]);

/** The scenario's `stack:` section; every field defaults from the platform's data. */
export const stackSchema = z.strictObject({
  /** etcd (kubeadm stacked etcd, k3s embedded etcd), sqlite (k3s, one server), external. */
  datastore: z.enum(['etcd', 'sqlite', 'external']).optional(),
  cni: z.enum(['calico', 'cilium', 'flannel']).optional(),
  /** `none` needs a CNI that replaces kube-proxy (cilium). */
  kubeProxy: z.enum(['iptables', 'ipvs', 'nftables', 'none']).optional(),
  ingress: z.enum(['nginx', 'traefik', 'none']).optional(),
  /** Whether server (control-plane) nodes take workloads: kubeadm taints them, k3s does not. */
  serversSchedulable: z.boolean().optional(),
  metricsServer: z.boolean().optional(),
  /**
   * kube-reserved + system-reserved on every node whose pool gives no
   * `reserved`, on top of the platform kubelet's memory.available eviction
   * threshold: kubelet-default (the default) reserves nothing, as a stock
   * kubeadm or k3s install; gke applies GKE's published tiers; `{ cpu,
   * memory }` reserves these amounts. It is platform-neutral: a comparison
   * across platforms applies the same rule to each.
   */
  reserved: z
    .union([z.enum(['kubelet-default', 'gke']), z.strictObject({ cpu: quantity('millicores').optional(), memory: bytes.optional() })], {
      error: (issue) =>
        issue.input === 'recommended'
          ? '`recommended` is no longer a rule: both platforms now default to their kubelet defaults (kubelet-default); `gke` applies GKE\'s tiers to either platform'
          : 'expected kubelet-default, gke, or { cpu, memory } to reserve on every node',
    })
    .optional(),
  /** Node agents (DaemonSets on every node), e.g. [node-exporter, { name: fluent-bit, requests: { cpu: 50m } }]. */
  agents: z.array(agentSchema).optional(),
});
export type StackInput = z.output<typeof stackSchema>;

