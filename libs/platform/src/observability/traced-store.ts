import type { AppendResult, EventStore, EventToAppend, ExpectedRevision } from '@oms/event-store';
import { telemetryFields } from '@oms/telemetry';

/**
 * The service's store, writing the trace of the work in progress into each appended event's
 * metadata (`traceparent`) unless the caller set one: the relay sends it on with the event, so the
 * next service's work joins the same trace, and a replay shows which trace wrote what.
 */
export function tracedStore(store: EventStore): EventStore {
  const append = (stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> => {
    const { traceparent } = telemetryFields();
    if (!traceparent) return store.append(stream, events, expected);
    return store.append(
      stream,
      events.map((e) => (e.metadata?.['traceparent'] ? e : { ...e, metadata: { ...e.metadata, traceparent } })),
      expected,
    );
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') return append;
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
