/**
 * The scenario schema: what a scenario file (YAML or JSON) may say, checked
 * field by field with zod so every error names its field path. A pure parse:
 * it reads no file and knows no hardware profile or platform; resolving those
 * is the next step (resolve-scenario.ts).
 */
import { z } from 'zod';
import { capacitySectionSchema } from './capacity-section.js';
import { catalogSchema } from './catalog-schema.js';
import { clusterSchema } from './cluster-schema.js';
import { controlPlaneSchema, nodeLifecycleSchema, runtimeSchema } from './control-plane-schema.js';
import { failureEntrySchema } from './failure-schema.js';
import { stackSchema } from './platform-schema.js';
import { dnsName, duration, resourceMapSchema } from './schema-fields.js';
import { workloadSchema } from './workload-schema.js';

export const scenarioSchema = z.strictObject({
  name: dnsName,
  description: z.string().default(''),
  platform: z.enum(['kubernetes', 'k3s', 'none']).default('none'),
  /**
   * The deployment stack on the platform (datastore, CNI, kube-proxy,
   * ingress, agents). With it the platform takes its share of every node:
   * reserved resources, control-plane and DaemonSet pods, add-ons.
   */
  stack: stackSchema.optional(),
  /** Hardware profiles beyond the built-in catalog: a file (relative to the working directory) or `{ profiles: … }` inline. */
  catalog: z.union([z.string().min(1), catalogSchema]).optional(),
  cluster: clusterSchema,
  workload: workloadSchema,
  /** A trace to replay: { format, files, options }, validated by src/workload/trace/options.ts when the run starts. */
  trace: z.record(z.string(), z.unknown()).optional(),
  simulation: z
    .strictObject({
      /** The run stops at this simulated time; by default when no event is left. */
      until: duration.optional(),
      /** Simulated time of one kube-scheduler scheduling cycle: perCycle + perNode × nodes evaluated (queue kube). */
      schedulingCost: z.strictObject({ perCycle: duration, perNode: duration }).optional(),
      nodeLifecycle: nodeLifecycleSchema,
    })
    .default({ nodeLifecycle: { monitorGracePeriod: 50 * 1_000_000, tolerationSeconds: 300 } }),
  failures: z.array(failureEntrySchema).default([]),
  runtime: runtimeSchema.optional(),
  controlPlane: controlPlaneSchema.optional(),
  /** Read by `rackbench capacity`; validated here so `rackbench validate` checks capacity files too. */
  capacity: capacitySectionSchema.optional(),
  metrics: z
    .strictObject({
      /** The pod shape used to measure fragmentation: free capacity on nodes that cannot fit it. */
      probe: resourceMapSchema.default({ cpu: 1000, memory: 2 * 2 ** 30 }),
      /** A node whose allocation of a resource reaches this share strands its other free resources. */
      strandedThreshold: z.number().gt(0).lte(1).default(0.95),
    })
    .default({ probe: { cpu: 1000, memory: 2 * 2 ** 30 }, strandedThreshold: 0.95 }),
  /**
   * Named schedulers, each a KubeSchedulerConfiguration (apiVersion
   * kubescheduler.config.k8s.io/v1), usable as `--scheduler <name>`.
   * Validated when the run builds the scheduler.
   */
  schedulers: z.record(dnsName, z.record(z.string(), z.unknown())).default({}),
  /** What `rackbench run` uses when the command line does not say. */
  defaults: z
    .strictObject({
      seeds: z.array(z.number().int().nonnegative()).min(1).default([1]),
      schedulers: z.array(z.string().min(1)).min(1).optional(),
      queue: z.string().min(1).optional(),
      /** Whether `rackbench run` with no scenario arguments (and `npm start`) includes this scenario. */
      runByDefault: z.boolean().default(true),
      /** Run the scenario once per platform, identical otherwise (`name (platform=k3s)`); see src/runner/platform-variants.ts. */
      platforms: z.array(z.enum(['kubernetes', 'k3s'])).min(1).optional(),
    })
    .default({ seeds: [1], runByDefault: true }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario as the schema parsed it: profiles, stack and cross-field rules not applied yet. */
export type ParsedScenario = z.output<typeof scenarioSchema>;
/** A node pool (one shape before and after resolving, which fills in its capacity, labels, reserved and hardware). */
export type PoolSpec = ParsedScenario['cluster']['pools'][number];
export type ServiceSpec = ParsedScenario['workload']['services'][number];
export type JobSpec = ParsedScenario['workload']['jobs'][number];
export type StreamSpec = ParsedScenario['workload']['streams'][number];

/** The schema parse of scenario data. */
export interface ScenarioParse {
  /**
   * The parsed value, present whenever the parse went far enough for later
   * steps to look at it: with no issue, or only issues such as an unknown key
   * or a refinement, which zod itself continues past.
   */
  readonly value: ParsedScenario | undefined;
  readonly issues: readonly z.core.$ZodIssue[];
}

/**
 * Parses scenario data with the schema. Never throws on bad input; the
 * issues come back with the value, so resolving can add its own to them as
 * a check of the schema would.
 */
export function parseScenarioData(data: unknown): ScenarioParse {
  let value: ParsedScenario | undefined;
  // zod runs a check only when the parse has not aborted: then the value is whole enough to resolve.
  const result = scenarioSchema
    .check((payload) => {
      value = payload.value;
    })
    .safeParse(data);
  return { value, issues: result.success ? [] : result.error.issues };
}
