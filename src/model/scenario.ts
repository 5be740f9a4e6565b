/**
 * The scenario a run reads. A scenario file is parsed by its schema
 * (scenario-schema.ts), then resolved once (resolve-scenario.ts): hardware
 * profiles, the platform's share and pods, and the cross-field rules. The
 * result is plain data, so it crosses to a worker thread as it is, and no
 * run reads or validates a scenario file again.
 */
import type { PlatformPods } from './platform.js';
import type { ParsedScenario } from './scenario-schema.js';

declare const resolved: unique symbol;

/** A parsed scenario with its profiles and stack applied and every cross-field rule met. */
export type ResolvedScenario = ParsedScenario & {
  /** The platform's own pods, from the platform data; absent without a stack. */
  readonly platformPods?: PlatformPods | undefined;
  readonly [resolved]: true;
};

/** Short for ResolvedScenario: once loaded, every scenario is resolved. */
export type Scenario = ResolvedScenario;
