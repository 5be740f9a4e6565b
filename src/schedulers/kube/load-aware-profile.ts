/**
 * `kube-load-aware`: the default profile plus Koordinator's
 * LoadAwareScheduling at Filter and Score (weight 1), as koord-scheduler's
 * shipped configuration enables it beside the in-tree plugins.
 */
import { kubeSchedulerConfigurationSchema } from './config.js';
import type { KubeConfigReading } from './config.js';
import { NAME } from './plugins/load-aware.js';

/** The built-in kube-scheduler policies and the configuration each runs (undefined: the default). */
export function builtinKubeConfiguration(name: string): { readonly found: boolean; readonly reading?: KubeConfigReading } {
  if (name === 'kube-default') return { found: true };
  if (name === 'kube-load-aware') return { found: true, reading: LOAD_AWARE_CONFIGURATION };
  return { found: false };
}

export const LOAD_AWARE_CONFIGURATION: KubeConfigReading = {
  configuration: kubeSchedulerConfigurationSchema.parse({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [
      {
        schedulerName: 'kube-load-aware',
        plugins: { filter: { enabled: [{ name: NAME }] }, score: { enabled: [{ name: NAME, weight: 1 }] } },
      },
    ],
  }),
};
