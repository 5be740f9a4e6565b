/**
 * One scenario on several platforms. A scenario whose `defaults.platforms`
 * lists `[kubernetes, k3s]` is run once per platform with the same hardware
 * and workload; each run's scenario is named `name (platform=k3s)`, as a
 * sweep's `platform` parameter would name it, so reports pair them.
 *
 * A variant on another platform than the file's keeps only the stack fields
 * both platforms understand (`agents`, `reserved`): a datastore, CNI or
 * ingress of one platform may not exist on the other, and leaving them out
 * lets that platform's own defaults apply (docs/platforms.md). `rackbench
 * capacity` switches platforms by the same rule.
 */

/** The stack a scenario written for `own` gets on `platform` (undefined: none). */
export function stackOnPlatform(stack: unknown, own: string, platform: string): unknown {
  if (platform === 'none') return undefined;
  if (platform === own || stack === null || typeof stack !== 'object' || Array.isArray(stack)) return stack;
  const neutral: Record<string, unknown> = {};
  for (const k of ['agents', 'reserved']) {
    const v = (stack as Record<string, unknown>)[k];
    if (v !== undefined) neutral[k] = v;
  }
  return neutral;
}

/** The scenario data (as parsed from its file, `own` its platform) moved to `platform`. */
export function onPlatform(data: Readonly<Record<string, unknown>>, own: string, platform: string): Record<string, unknown> {
  if (platform === own) return { ...data };
  const { stack, ...rest } = data;
  const moved = stackOnPlatform(stack, own, platform);
  return moved === undefined ? { ...rest, platform } : { ...rest, platform, stack: moved };
}

/** The variant label of a run on `platform`: the scenario is titled `name (platform=…)` in results. */
export function platformVariant(platform: string): string {
  return `platform=${platform}`;
}
