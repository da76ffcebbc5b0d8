import type { AppendResult, EventStore, EventToAppend, ExpectedRevision, ReadAllOptions, ReadStreamOptions, RecordedEvent, Subscription, SubscriptionOptions } from '../port';
import type { UpcasterRegistry } from './upcasters';

/**
 * The store as a service's code must see it: every event read — a stream, all events, a
 * subscription's batches — comes in the current shape of its type, and every event appended
 * carries the version written (`metadata.schemaVersion`). Deciders, projections, relays and tools
 * behind it never meet an old shape. The adapter underneath is untouched: history stays as stored.
 */
export function upcastingStore(store: EventStore, registry: UpcasterRegistry): EventStore {
  const upcast = (event: RecordedEvent): RecordedEvent => registry.upcast(event);
  const overrides: Partial<EventStore> = {
    append: (stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> =>
      store.append(
        stream,
        events.map((e) => ({ ...e, metadata: registry.stamp(e.type, e.metadata) })),
        expected,
      ),
    readStream: async (stream: string, options?: ReadStreamOptions) => (await store.readStream(stream, options)).map(upcast),
    readAll: async (options?: ReadAllOptions) => (await store.readAll(options)).map(upcast),
    // A batch this code cannot read stops the subscription with the reason, like a failing handler.
    subscribe: (options: SubscriptionOptions): Subscription => store.subscribe({ ...options, onEvents: async (events) => options.onEvents(events.map(upcast)) }),
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.prototype.hasOwnProperty.call(overrides, property)) return overrides[property as keyof EventStore];
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
