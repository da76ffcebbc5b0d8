import type { Position, ReadAllOptions, RecordedEvent, Subscription, SubscriptionOptions } from './port';
import { START } from './port';

export interface PollingOptions {
  /** Longest wait between two reads when the store is idle. */
  readonly maxIdleMs: number;
}

export interface Wakeable {
  /** Registers a callback run when this process appended; returns the unregister function. */
  onAppended(listener: () => void): () => void;
}

/**
 * Follows the store by reading forwards from the last delivered position. Reads again at once while
 * there is more; when idle it sleeps, doubling the pause up to `maxIdleMs`, and is woken early by
 * appends made through the same store instance. Batches are handed over strictly one at a time.
 */
export function pollingSubscription(
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
  wake: Wakeable,
  options: SubscriptionOptions,
  polling: PollingOptions,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  let position: Position = options.after ?? START;
  let running = true;
  let wakeUp: (() => void) | undefined;
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  const unregister = wake.onAppended(() => wakeUp?.());

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const loop = async (): Promise<void> => {
    let idleMs = 5;
    while (running) {
      const events = await readAll({ after: position, maxCount: batchSize, ...(options.categories ? { categories: options.categories } : {}) });
      if (!running) break;
      if (events.length > 0) {
        await options.onEvents(events);
        position = events[events.length - 1]!.position;
        idleMs = 5;
      }
      if (events.length < batchSize) {
        markCaughtUp();
        if (events.length === 0) {
          await sleep(idleMs);
          idleMs = Math.min(idleMs * 2, polling.maxIdleMs);
        }
      }
    }
  };

  const stopped = loop()
    .catch((error: unknown) => {
      running = false;
      if (options.onError) options.onError(error);
      else console.error('event-store subscription stopped', error);
    })
    .finally(() => {
      unregister();
      markCaughtUp();
    });

  return {
    caughtUp,
    stopped,
    async stop() {
      running = false;
      wakeUp?.();
      await stopped;
    },
  };
}
