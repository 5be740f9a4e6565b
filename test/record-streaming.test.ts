/**
 * Record tables written piece by piece (records-csv.ts, atomic-file.ts) and
 * moved out of a worker thread (transfer.ts): the pieces joined are the table
 * stringified at once, byte for byte; a file appears whole or not at all; a
 * run's record buffers are named for transfer.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { transferableSymbol, valueSymbol } from 'piscina';
import { describe, expect, it } from 'vitest';
import { writeChunksAtomic } from '../src/core/atomic-file.js';
import { POD_OUTCOMES } from '../src/metrics/run-record.js';
import type { RunRecords } from '../src/metrics/run-record.js';
import { nodesCsvChunks, PODS_HEADER, podsCsv, podsCsvChunks } from '../src/report/records-csv.js';
import type { RunOutcome } from '../src/runner/run-protocol.js';
import { movable } from '../src/runner/transfer.js';
import { tempDir } from './support/cli.js';
import { runs } from './support/property-runs.js';

const RUN = { scenario: 's', scheduler: 'first-fit', queue: 'fifo', seed: 1 };
const S = 1_000_000;

/** A pods record of `count` rows; owners with names a spreadsheet would take for formulas, to exercise escaping. */
function podsRecord(count: number): RunRecords {
  const f = (g: (i: number) => number): Float64Array => Float64Array.from({ length: count }, (_, i) => g(i));
  return {
    endUs: count * S,
    resources: ['cpu', 'memory'],
    pods: {
      count,
      id: f((i) => i),
      arrival: f((i) => i * S + 0.25),
      bind: f((i) => (i % 7 === 0 ? -1 : i * S + 1.5)),
      end: f((i) => (i % 5 === 0 ? -1 : (i + 3) * S)),
      start: f((i) => (i % 7 === 0 ? -1 : i * S + 2)),
      node: Int32Array.from({ length: count }, (_, i) => (i % 7 === 0 ? -1 : i % 3)),
      owner: Int32Array.from({ length: count }, (_, i) => i % 2),
      outcome: Uint8Array.from({ length: count }, (_, i) => i % POD_OUTCOMES.length),
      owners: [
        { name: '=cmd|calc', kind: 'job', tenant: 't,1', priority: 0 },
        { name: 'web "a"', kind: 'service', tenant: '', priority: 1000 },
      ],
      nodeNames: ['n-0', '+n-1', 'n\n2'],
    },
  };
}

/** The table as it was written before it came in pieces: every row, then one stringify. */
function podsAtOnce(rec: RunRecords): string {
  const p = rec.pods!;
  const rows: (string | number)[][] = [PODS_HEADER];
  const sec = (us: number): number => Math.round((us / S) * 1e6) / 1e6;
  const opt = (us: number): string | number => (us < 0 ? '' : sec(us));
  for (let i = 0; i < p.count; i++) {
    const o = p.owners[p.owner[i]!]!;
    const bind = p.bind[i]!;
    rows.push(['s', 'first-fit', 'fifo', 1, p.id[i]!, o.name, o.kind, o.tenant, o.priority, p.node[i]! < 0 ? '' : p.nodeNames[p.node[i]!]!, sec(p.arrival[i]!), opt(bind), opt(p.start[i]!), opt(p.end[i]!), bind < 0 ? '' : sec(bind - p.arrival[i]!), POD_OUTCOMES[p.outcome[i]!]!]);
  }
  return stringify(rows, { escape_formulas: true, record_delimiter: 'unix' });
}

describe('record tables in pieces', () => {
  it('joins to the table stringified at once, across piece boundaries (40,000 pods: three pieces)', () => {
    const rec = podsRecord(40_000);
    const pieces = [...podsCsvChunks(RUN, rec)!];
    expect(pieces.length).toBe(3);
    expect(pieces[0]!.startsWith(`${PODS_HEADER.join(',')}\n`)).toBe(true);
    expect(pieces.slice(1).every((p) => !p.startsWith('scenario,'))).toBe(true);
    expect(pieces.join('')).toBe(podsAtOnce(rec));
    expect(podsCsv(RUN, rec)).toBe(podsAtOnce(rec));
  });

  it('gives every node × bucket row once, in node then bucket order', () => {
    const buckets = 3;
    const names = Array.from({ length: 7000 }, (_, i) => `n${i}`);
    const share = Float64Array.from({ length: names.length * 2 * buckets }, (_, i) => i / 1e4);
    const rec: RunRecords = { endUs: 3 * S, resources: ['cpu', 'memory'], nodes: { widthUs: S, buckets, names, share } };
    const lines = [...nodesCsvChunks(RUN, rec)!].join('').split('\n');
    expect(lines.length).toBe(1 + names.length * buckets + 1);
    expect(lines[1]).toBe('s,first-fit,fifo,1,n0,0,1,0,0.0003');
    expect(lines[names.length * buckets]).toBe(`s,first-fit,fifo,1,n6999,2,1,${(6999 * 6 + 2) / 1e4},${(6999 * 6 + 5) / 1e4}`);
  });

  it('writes a file whole or not at all: no temporary file is left either way', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 20 }), fc.option(fc.nat(20)), (pieces, failAt) => {
        const dir = tempDir();
        const file = join(dir, 'pods.csv');
        const source = function* (): Generator<string> {
          for (let i = 0; i < pieces.length; i++) {
            if (failAt === i) throw new Error('the table broke');
            yield pieces[i]!;
          }
        };
        const fails = failAt !== null && failAt < pieces.length;
        if (fails) expect(() => writeChunksAtomic(file, source())).toThrow('the table broke');
        else writeChunksAtomic(file, source());
        expect(existsSync(file)).toBe(!fails);
        if (!fails) expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
        expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
      }),
      { numRuns: runs(30) },
    );
  });
});

describe('a run leaving its worker', () => {
  it("names each distinct buffer of the run's records for transfer and keeps the outcome as it is", () => {
    const rec = podsRecord(10);
    const outcome = {
      ok: true,
      result: { scenario: 's', scheduler: 'first-fit', queue: 'fifo', seed: 1, resources: ['cpu'], metrics: {}, census: {}, timing: { wallMs: 1, events: 1 }, records: rec },
    } as unknown as RunOutcome;
    // piscina's move() marks the object that names the transfer list and the value, and returns it.
    const inner = movable(outcome) as Record<symbol, unknown>;
    const list = inner[transferableSymbol] as ArrayBuffer[];
    const p = rec.pods!;
    expect(new Set(list)).toEqual(new Set([p.id, p.arrival, p.bind, p.end, p.start, p.node, p.owner, p.outcome].map((a) => a.buffer)));
    expect(inner[valueSymbol]).toBe(outcome);
    const failed: RunOutcome = { ok: false, error: 'x' };
    expect(movable(failed)).toBe(failed);
  });
});
