/**
 * Everything a trace read produces, as text lines and their SHA-256: the
 * machines (nodes, joins, failures), every TracePod in replay order with all
 * its fields (name, times, requests, usage, limits, file and line), every
 * PodSubmission (template, times, request vector, usage profile) and the
 * counts and rejections. Two readers are the same when their digests are:
 * test/trace-digest.test.ts holds the digests of the readers as they were
 * before the speed work, and this script compares two builds on any file.
 *
 *   node dist/bench/trace-digest.js [--dist DIR] [--lines] [--option key=value]... FORMAT FILE...
 *
 * --dist reads with the build in DIR (the dist directory of another
 * checkout), so an older build and this one can be run on the same files.
 */
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Replay from '../src/workload/trace/replay.js';
import type * as Resources from '../src/model/resources.js';

/** What the digest needs from a build: its replay module and ResourceSpace. */
export interface TraceModules {
  readonly replay: typeof Replay;
  readonly ResourceSpace: typeof Resources.ResourceSpace;
}

/** Numbers as JSON writes them, except the values JSON cannot hold. */
const numberText = (v: number): string => (Number.isFinite(v) ? JSON.stringify(v) : String(v));

/** A value as stable text: keys sorted, typed arrays as lists, undefined left out. */
function stable(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return numberText(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as Float64Array, numberText).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
}

/** The fields of a TracePod, read one by one (a reader may compute some on demand). */
const POD_FIELDS = ['name', 'owner', 'arrival', 'duration', 'cpu', 'memory', 'gpuMilli', 'gpuModels', 'priority', 'qos', 'resources', 'limits', 'usage', 'line'] as const;

/** The lines describing one read of `ref`; file paths are shown by their base name. */
export function traceLines(m: TraceModules, ref: { format: string; files: readonly string[]; options?: Record<string, unknown> }): string[] {
  const out: string[] = [];
  const attempt = (what: string, run: () => void): void => {
    try {
      run();
    } catch (e) {
      out.push(`${what} error ${(e as Error).constructor.name}: ${(e as Error).message.replaceAll(/\/[^\s:]*\//g, '')}`);
    }
  };
  attempt('pods', () => {
    const t = m.replay.openTrace(ref, 'digest');
    attempt('machines', () => {
      const machines = m.replay.traceMachines(t);
      for (const n of machines.nodes) out.push(`node ${stable(n)}`);
      out.push(`joins ${stable(machines.joins)} failures ${stable(machines.failures)} events ${machines.hasEvents}`);
    });
    for (const p of m.replay.tracePods(t)) {
      const view: Record<string, unknown> = { file: basename(p.file) };
      for (const k of POD_FIELDS) view[k] = p[k];
      out.push(`pod ${stable(view)}`);
    }
    out.push(`counts ${stable(t.ctx.counts)}`);
    const r = t.ctx.rejections();
    const clean = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'file' && typeof v === 'string' ? basename(v) : v)));
    out.push(`rejections ${stable(clean(r))}`);
  });
  attempt('submissions', () => {
    const t = m.replay.openTrace(ref, 'digest');
    const space = new m.ResourceSpace([t.ctx.options.gpuResource]);
    const templates = new Map<object, number>();
    for (const s of m.replay.traceWorkload(t, space)) {
      if (s.kind !== 'pod') throw new Error(`a trace submission of kind ${s.kind}`);
      let id = templates.get(s.template);
      if (id === undefined) {
        id = templates.size;
        templates.set(s.template, id);
        out.push(`template ${id} ${stable(s.template)}`);
      }
      out.push(`submission ${id} ${numberText(s.arrival)} ${numberText(s.duration)} ${stable(s.requests)} ${stable(s.usage)}`);
    }
  });
  return out;
}

/** SHA-256 of the lines, hex. */
export function digestOf(lines: readonly string[]): string {
  const h = createHash('sha256');
  for (const l of lines) h.update(`${l}\n`);
  return h.digest('hex');
}

async function main(argv: string[]): Promise<void> {
  let dist: string | undefined;
  let showLines = false;
  const options: Record<string, unknown> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dist') dist = argv[++i];
    else if (a === '--lines') showLines = true;
    else if (a === '--option') {
      const [k, v] = argv[++i]!.split('=') as [string, string];
      options[k] = v;
    } else rest.push(a);
  }
  const [format, ...files] = rest;
  if (format === undefined || files.length === 0) throw new Error('usage: trace-digest.js [--dist DIR] [--lines] [--option key=value]... FORMAT FILE...');
  const base = dist === undefined ? new URL('..', import.meta.url).href : pathToFileURL(`${resolve(dist)}/`).href;
  const replay = (await import(new URL('src/workload/trace/replay.js', base).href)) as TraceModules['replay'];
  const { ResourceSpace } = (await import(new URL('src/model/resources.js', base).href)) as typeof Resources;
  const lines = traceLines({ replay, ResourceSpace }, { format, files: files.map((f) => resolve(f)), options });
  if (showLines) for (const l of lines) console.log(l);
  else console.log(`${digestOf(lines)} ${lines.length} lines`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
