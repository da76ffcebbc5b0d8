/**
 * Runs tasks one at a time per key, in arrival order; different keys run concurrently. Used where
 * messages about one aggregate arrive on several topics (so several partitions, possibly handled at
 * once) and each handling reads the aggregate and writes others: serialising per key in the
 * process spares the optimistic-concurrency retries; correctness across processes still rests on
 * expected revisions.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
