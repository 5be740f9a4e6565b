import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Kernel } from '../src/sim/kernel.js';
import { runs } from './support/property-runs.js';

/** One line of a trace: [simulated time, label]. */
type Line = [number, string];

/**
 * A kernel with one handler that logs `[now, label]`, where the label is
 * looked up from the event's `arg`. `at(t, label)` schedules such an event.
 */
function traced(): { kernel: Kernel; log: Line[]; at: (time: number, label: string) => void; type: number } {
  const kernel = new Kernel();
  const log: Line[] = [];
  const labels: string[] = [];
  const type = kernel.on((arg) => {
    log.push([kernel.now, labels[arg]!]);
  });
  const at = (time: number, label: string): void => {
    labels.push(label);
    kernel.schedule(time, type, labels.length - 1);
  };
  return { kernel, log, at, type };
}

describe('Kernel traces', () => {
  it('runs events in time order', () => {
    const { kernel, log, at } = traced();
    at(30, 'c');
    at(10, 'a');
    at(20, 'b');
    kernel.run();
    expect(log).toEqual([
      [10, 'a'],
      [20, 'b'],
      [30, 'c'],
    ]);
    expect(kernel.now).toBe(30);
  });

  it('runs equal times in insertion order', () => {
    const { kernel, log, at } = traced();
    at(5, 'first');
    at(0, 'zero');
    at(5, 'second');
    at(5, 'third');
    at(0, 'zero-again');
    kernel.run();
    expect(log).toEqual([
      [0, 'zero'],
      [0, 'zero-again'],
      [5, 'first'],
      [5, 'second'],
      [5, 'third'],
    ]);
  });

  it('keeps insertion order for thousands of equal times (past the heap growth)', () => {
    const kernel = new Kernel();
    const seen: number[] = [];
    const type = kernel.on((arg) => seen.push(arg));
    // 10 000 > the kernel's initial heap capacity (4096), so the heap grows twice.
    for (let i = 0; i < 10_000; i++) kernel.schedule(7, type, i);
    kernel.run();
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it('runs an event scheduled from a handler at the current time after the events already queued at that time', () => {
    const kernel = new Kernel();
    const log: Line[] = [];
    const plain = kernel.on((arg) => log.push([kernel.now, `plain ${arg}`]));
    const spawning = kernel.on((arg) => {
      log.push([kernel.now, `spawner ${arg}`]);
      // Same instant: must come after "plain 2", which was queued before.
      kernel.schedule(kernel.now, plain, 99);
      // A later instant, but before "plain 3" at 20.
      kernel.schedule(kernel.now + 5, plain, 98);
    });
    kernel.schedule(10, spawning, 1);
    kernel.schedule(10, plain, 2);
    kernel.schedule(20, plain, 3);
    kernel.run();
    expect(log).toEqual([
      [10, 'spawner 1'],
      [10, 'plain 2'],
      [10, 'plain 99'],
      [15, 'plain 98'],
      [20, 'plain 3'],
    ]);
  });

  it('passes arg and tag through to the handler', () => {
    const kernel = new Kernel();
    const got: [number, number][] = [];
    const type = kernel.on((arg, tag) => got.push([arg, tag]));
    kernel.schedule(1, type, 7, -3);
    kernel.schedule(2, type);
    kernel.schedule(3, type, 2 ** 31 - 1, -(2 ** 31));
    kernel.run();
    expect(got).toEqual([
      [7, -3],
      [0, 0],
      [2 ** 31 - 1, -(2 ** 31)],
    ]);
  });

  it('dispatches to the handler registered for each type', () => {
    const kernel = new Kernel();
    const log: string[] = [];
    const a = kernel.on(() => log.push('A'));
    const b = kernel.on(() => log.push('B'));
    expect(a).not.toBe(b);
    kernel.schedule(1, b);
    kernel.schedule(1, a);
    kernel.schedule(0, b);
    kernel.run();
    expect(log).toEqual(['B', 'B', 'A']);
  });

  it('run({until}) processes events at until, stops before later ones and sets now = until', () => {
    const { kernel, log, at } = traced();
    at(10, 'a');
    at(25, 'at-until');
    at(26, 'after');
    at(100, 'late');
    kernel.run({ until: 25 });
    expect(log).toEqual([
      [10, 'a'],
      [25, 'at-until'],
    ]);
    expect(kernel.now).toBe(25);
    expect(kernel.pending).toBe(2);
    expect(kernel.peek()).toBe(26);

    // A second run picks up at 26 and stops between 26 and 100, with now = 50.
    kernel.run({ until: 50 });
    expect(log.at(-1)).toEqual([26, 'after']);
    expect(log).toHaveLength(3);
    expect(kernel.now).toBe(50);

    // An until before the next event moves the clock without running anything.
    kernel.run({ until: 99 });
    expect(log).toHaveLength(3);
    expect(kernel.now).toBe(99);

    // Running on picks up where it stopped.
    kernel.run();
    expect(log).toEqual([
      [10, 'a'],
      [25, 'at-until'],
      [26, 'after'],
      [100, 'late'],
    ]);
    expect(kernel.now).toBe(100);
  });

  it('run({until}) on an empty queue advances now to until', () => {
    const kernel = new Kernel();
    kernel.run({ until: 1_000_000 });
    expect(kernel.now).toBe(1_000_000);
    expect(kernel.processed).toBe(0);
  });

  it('run({until}) does not run events a handler schedules past until', () => {
    const kernel = new Kernel();
    const log: Line[] = [];
    const tick = kernel.on(() => {
      log.push([kernel.now, 'tick']);
      kernel.schedule(kernel.now + 10, tick);
    });
    kernel.schedule(0, tick);
    kernel.run({ until: 35 });
    expect(log).toEqual([
      [0, 'tick'],
      [10, 'tick'],
      [20, 'tick'],
      [30, 'tick'],
    ]);
    expect(kernel.now).toBe(35);
    expect(kernel.peek()).toBe(40);
  });

  it('after run({until}), scheduling before until is in the past', () => {
    const { kernel, at } = traced();
    kernel.run({ until: 100 });
    expect(() => at(99, 'too early')).toThrow(/99/);
    expect(() => at(100, 'now is fine')).not.toThrow();
  });

  it('throws when scheduling in the past, and the queue is unchanged', () => {
    const { kernel, log, at } = traced();
    at(10, 'a');
    at(20, 'b');
    kernel.step();
    expect(kernel.now).toBe(10);
    expect(() => at(9, 'past')).toThrow(/9 µs.*now is 10/);
    expect(kernel.pending).toBe(1);
    // now itself is allowed.
    at(10, 'now');
    kernel.run();
    expect(log).toEqual([
      [10, 'a'],
      [10, 'now'],
      [20, 'b'],
    ]);
  });

  it.each([
    ['a fraction', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a negative time', -1],
    ['beyond 2^53', 2 ** 53],
  ])('throws on %s as a time', (_what, time) => {
    const kernel = new Kernel();
    const type = kernel.on(() => undefined);
    expect(() => kernel.schedule(time, type)).toThrow(/cannot schedule/);
    expect(kernel.pending).toBe(0);
  });

  it('throws from inside a handler that schedules in the past', () => {
    const kernel = new Kernel();
    const bad = kernel.on(() => kernel.schedule(kernel.now - 1, bad));
    kernel.schedule(5, bad);
    expect(() => kernel.run()).toThrow(/cannot schedule an event at 4 µs: now is 5 µs/);
  });

  it('counts processed events, including ones scheduled by handlers', () => {
    const kernel = new Kernel();
    let remaining = 3;
    const chain = kernel.on(() => {
      if (--remaining > 0) kernel.schedule(kernel.now + 1, chain);
    });
    const other = kernel.on(() => undefined);
    kernel.schedule(0, chain);
    kernel.schedule(0, other);
    kernel.schedule(100, other);
    expect(kernel.processed).toBe(0);
    expect(kernel.pending).toBe(3);
    // Events at 0, 0, 1, 2 (the chain of three, plus "other" at 0).
    kernel.run({ until: 50 });
    expect(kernel.processed).toBe(4);
    kernel.run();
    expect(kernel.processed).toBe(5);
    expect(kernel.pending).toBe(0);
  });

  it('step() processes exactly one event and returns false when none is left', () => {
    const { kernel, log, at } = traced();
    expect(kernel.peek()).toBe(Infinity);
    expect(kernel.step()).toBe(false);
    at(3, 'x');
    at(3, 'y');
    expect(kernel.peek()).toBe(3);
    expect(kernel.step()).toBe(true);
    expect(log).toEqual([[3, 'x']]);
    expect(kernel.processed).toBe(1);
    expect(kernel.step()).toBe(true);
    expect(kernel.step()).toBe(false);
    expect(kernel.processed).toBe(2);
    expect(log).toEqual([
      [3, 'x'],
      [3, 'y'],
    ]);
  });

  it('property: the trace is the schedule sorted stably by time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const { kernel, log, at } = traced();
        times.forEach((t, i) => at(t, String(i)));
        kernel.run();
        // Array.prototype.sort is stable, so this is the (time, insertion) order.
        const expected = times.map((t, i): Line => [t, String(i)]).sort((x, y) => x[0] - y[0]);
        expect(log).toEqual(expected);
        expect(kernel.processed).toBe(times.length);
      }),
      { numRuns: runs(200) },
    );
  });
});
