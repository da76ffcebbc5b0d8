/**
 * Follows `$all` in two phases:
 *  1. catch-up: pages of our own readAll from the start position, each handed to onEvents, until a
 *     short page; then `caughtUp` resolves (we do not rely on the server's `caughtUp` message, which
 *     arrives interleaved with events still sitting in the stream buffer);
 *  2. live: the client's subscribeToAll from the last delivered position, read through the async
 *     iterator so nothing more is pulled while a batch is being handled (backpressure). Events already
 *     buffered when one arrives join its batch, up to `batchSize`.
 * Batches are handed over strictly one at a time; anything at or before the last delivered position
 * is dropped, whether the server treats the start position as inclusive or not.
 */
import type { AllStreamResolvedEvent, AllStreamSubscription, KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { Position, ReadAllOptions, RecordedEvent, Subscription, SubscriptionOptions } from '../port';
import { START } from '../port';
import { comparePositions } from '../position';
import { eventFilter, serverFilter, toReadPosition, toRecorded } from './mapping';

export function kurrentDbSubscription(
  client: KurrentDBClient,
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
  options: SubscriptionOptions,
): Subscription {
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const categories = options.categories && options.categories.length > 0 ? options.categories : undefined;
  const include = eventFilter(categories);
  let position: Position = options.after ?? START;
  let running = true;
  let live: AllStreamSubscription | undefined;
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));

  const deliver = async (events: RecordedEvent[]): Promise<void> => {
    await options.onEvents(events);
    position = events[events.length - 1]!.position;
  };

  const catchUp = async (): Promise<void> => {
    while (running) {
      const page = await readAll({ after: position, maxCount: batchSize, ...(categories ? { categories } : {}) });
      if (!running) return;
      if (page.length > 0) await deliver(page);
      if (page.length < batchSize) return;
    }
  };

  const follow = async (): Promise<void> => {
    if (!running) return;
    const subscription = client.subscribeToAll({ fromPosition: toReadPosition(position), filter: serverFilter(categories) });
    live = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    while (running) {
      let next: IteratorResult<AllStreamResolvedEvent>;
      try {
        next = await iterator.next();
      } catch (error) {
        if (!running) return; // stop() destroyed the stream under us ("premature close")
        throw error;
      }
      if (!running) return;
      if (next.done) throw new Error('KurrentDB closed the $all subscription');
      const batch = [next.value, ...drainBuffered(subscription, batchSize - 1)];
      const events = batch
        .map(toRecorded)
        .filter((e): e is RecordedEvent => e !== undefined && include(e) && comparePositions(e.position, position) > 0);
      if (events.length > 0) await deliver(events);
    }
  };

  const closeLive = (): void => {
    const subscription = live;
    live = undefined;
    if (!subscription) return;
    subscription.destroy(); // ends a pending iterator.next() at once
    // Cancels the gRPC call; not awaited, since it waits for a connection that may never come.
    subscription.unsubscribe().catch(() => undefined);
  };

  const stopped = (async () => {
    await catchUp();
    if (!running) return;
    markCaughtUp();
    await follow();
  })()
    .catch((error: unknown) => {
      running = false;
      if (options.onError) options.onError(error);
      else console.error('event-store subscription stopped', error);
    })
    .finally(() => {
      running = false;
      closeLive();
      markCaughtUp();
    });

  return {
    caughtUp,
    stopped,
    async stop() {
      running = false;
      closeLive();
      await stopped;
    },
  };
}

/** Takes what the stream already holds in memory, without waiting for more. */
function drainBuffered(subscription: AllStreamSubscription, max: number): AllStreamResolvedEvent[] {
  const items: AllStreamResolvedEvent[] = [];
  while (items.length < max && subscription.readableLength > 0) {
    // Readable#read() is typed `any`; in object mode it returns one buffered item or null.
    const item = subscription.read() as AllStreamResolvedEvent | null;
    if (item === null) break;
    items.push(item);
  }
  return items;
}
