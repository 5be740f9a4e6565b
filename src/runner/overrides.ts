/**
 * Parameter overrides addressed by path into a scenario's data:
 * `cluster.pools[0].count`, `workload.streams[name=analytics].arrival.rate`.
 * A `[field=value]` step picks the list element whose field equals value, so
 * a sweep keeps working when the scenario's lists are reordered.
 */
import { UsageError } from '../core/errors.js';

export type PathStep = { readonly key: string } | { readonly index: number } | { readonly field: string; readonly equals: string };

const STEP = /^([A-Za-z_$][\w$-]*)?((?:\[[^\]]+\])*)$/;

/** Parses an override path; throws UsageError naming the path when it is malformed. */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  if (path.trim() === '') throw new UsageError('empty parameter path');
  for (const part of path.split('.')) {
    const m = STEP.exec(part);
    if (m === null || (m[1] === undefined && m[2] === '')) {
      throw new UsageError(`parameter path "${path}": cannot read "${part}"; expected name, name[index] or name[field=value] steps joined by dots`);
    }
    if (m[1] !== undefined) steps.push({ key: m[1] });
    for (const bracket of m[2]!.match(/\[[^\]]+\]/g) ?? []) {
      const inner = bracket.slice(1, -1);
      const eq = inner.indexOf('=');
      if (eq > 0) steps.push({ field: inner.slice(0, eq), equals: inner.slice(eq + 1) });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else throw new UsageError(`parameter path "${path}": "${bracket}" is neither an index nor a field=value selector`);
    }
  }
  return steps;
}

function describe(steps: readonly PathStep[]): string {
  let out = '';
  for (const s of steps) {
    if ('key' in s) out += out === '' ? s.key : `.${s.key}`;
    else if ('index' in s) out += `[${s.index}]`;
    else out += `[${s.field}=${s.equals}]`;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A deep copy of `data` with the value at `path` replaced. Every step but the
 * last must exist; the last may add a field to an existing mapping. Returns
 * an error message instead of throwing, so the caller can name the file.
 */
export function applyOverride(data: unknown, path: string, value: unknown): { data: unknown } | { error: string } {
  const steps = parsePath(path);
  const root: unknown = structuredClone(data);
  let here: unknown = root;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const last = i === steps.length - 1;
    const where = describe(steps.slice(0, i));
    if ('key' in step) {
      if (!isRecord(here)) return { error: `${where || 'the scenario'} is not a mapping, so it has no field "${step.key}"` };
      if (last) {
        here[step.key] = value;
        return { data: root };
      }
      if (!(step.key in here)) return { error: `there is no ${describe(steps.slice(0, i + 1))}` };
      here = here[step.key];
    } else {
      if (!Array.isArray(here)) return { error: `${where} is not a list` };
      const list: unknown[] = here;
      const at = 'index' in step ? step.index : list.findIndex((e) => isRecord(e) && String(e[step.field]) === step.equals);
      if (at < 0 || at >= list.length) return { error: `there is no ${describe(steps.slice(0, i + 1))}` };
      if (last) {
        list[at] = value;
        return { data: root };
      }
      here = list[at];
    }
  }
  return { data: root };
}

/** A value as it reads in a label: scalars as written, anything else as compact JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
