/**
 * A batch of runs seen two ways: as a Promise of the whole set, and as an
 * async iterator of each run as it finishes. Both are views of one batch,
 * started once; an iterator begun late still sees every run from the first.
 */

/** A Promise of the finished set that is also an async iterator of the runs as they finish. */
export type RunStream<Result, Item> = Promise<Result> & AsyncIterable<Item>;

/**
 * Starts `work` at once and returns its stream. `work` calls `emit` for each
 * run as it finishes. When `work` fails, the Promise rejects and every
 * iterator throws the same error after the runs emitted before it.
 */
export function runStream<Result, Item>(work: (emit: (item: Item) => void) => Promise<Result>): RunStream<Result, Item> {
  const items: Item[] = [];
  let settled = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void)[] = [];
  const notify = (): void => {
    const waiting = wake;
    wake = [];
    for (const w of waiting) w();
  };
  const emit = (item: Item): void => {
    items.push(item);
    notify();
  };
  // An async function turns a synchronous throw in `work` (a bad file) into a rejection.
  const promise = (async () => work(emit))().then(
    (result) => {
      settled = true;
      notify();
      return result;
    },
    (error: unknown) => {
      settled = true;
      failure = { error };
      notify();
      throw error;
    },
  );

  const iterate = async function* (): AsyncGenerator<Item, void, undefined> {
    // The caller handles failure through the iterator: the Promise's own rejection is then not "unhandled".
    promise.catch(() => undefined);
    let next = 0;
    for (;;) {
      if (next < items.length) {
        yield items[next++]!;
        continue;
      }
      if (settled) {
        if (failure !== undefined) throw failure.error;
        return;
      }
      await new Promise<void>((resolve) => wake.push(resolve));
    }
  };
  return Object.assign(promise, { [Symbol.asyncIterator]: iterate });
}
