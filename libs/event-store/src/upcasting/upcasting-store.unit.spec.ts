import type { AppendResult, EventStore, EventToAppend, JsonObject, RecordedEvent, SubscriptionOptions } from '../port';
import { NO_STREAM, START } from '../port';
import { defineUpcasters, EventSchemaVersionError } from './upcasters';
import { upcastingStore } from './upcasting-store';

/** The few store calls the wrapper passes on, kept in an array: what was appended is what is read. */
function memoryStore(): EventStore & { readonly stored: RecordedEvent[] } {
  const stored: RecordedEvent[] = [];
  return {
    name: 'memory',
    stored,
    checkpoints: { load: async () => undefined, store: async (_p, position) => ({ position, version: 1 }) },
    append: async (stream: string, events: readonly EventToAppend[]): Promise<AppendResult> => {
      for (const e of events) {
        const revision = stored.filter((s) => s.streamName === stream).length;
        const position = { commit: BigInt(stored.length), prepare: BigInt(stored.length) };
        stored.push({ id: e.id, type: e.type, data: e.data, metadata: e.metadata ?? {}, streamName: stream, revision, position, recordedAt: new Date(0) });
      }
      return { nextExpectedRevision: stored.filter((s) => s.streamName === stream).length - 1, position: START, idempotent: false };
    },
    readStream: async (stream) => stored.filter((s) => s.streamName === stream),
    readAll: async () => [...stored],
    subscribe: (options: SubscriptionOptions) => {
      const stopped = options.onEvents([...stored]).catch((error: unknown) => options.onError?.(error));
      return { caughtUp: stopped, stopped, stop: () => stopped };
    },
    ping: async () => undefined,
    close: async () => undefined,
  };
}

/** `Renamed` once said `{ old }`, now `{ new }`. */
const registry = defineUpcasters<'Renamed' | 'Plain'>([{ type: 'Renamed', fromVersion: 1, upcast: ({ old }) => ({ new: old! }) }], { versions: { Renamed: 2, Plain: 1 } });
const raw = (type: string, data: JsonObject, metadata: JsonObject = {}): EventToAppend => ({ id: `${type}-${JSON.stringify(data)}`, type, data, metadata });

describe('upcastingStore', () => {
  it('stamps every appended event with the version written, keeping the rest of its metadata', async () => {
    const inner = memoryStore();
    await upcastingStore(inner, registry).append('thing-1', [raw('Renamed', { new: 'a' }, { causationId: 'c' }), raw('Plain', {}), raw('Unlisted', {})], NO_STREAM);
    expect(inner.stored.map((e) => e.metadata)).toEqual([{ causationId: 'c', schemaVersion: 2 }, { schemaVersion: 1 }, { schemaVersion: 1 }]);
  });

  it('reads a stream, all events and subscription batches in the current shape', async () => {
    const inner = memoryStore();
    await inner.append('thing-1', [raw('Renamed', { old: 'a' }), raw('Renamed', { new: 'b' }, { schemaVersion: 2 }), raw('Plain', { x: 1 })], NO_STREAM);
    const store = upcastingStore(inner, registry);
    const expected = [{ new: 'a' }, { new: 'b' }, { x: 1 }];
    expect((await store.readStream('thing-1')).map((e) => e.data)).toEqual(expected);
    expect((await store.readAll()).map((e) => e.data)).toEqual(expected);
    const batches: unknown[] = [];
    await store.subscribe({ onEvents: async (events) => void batches.push(events.map((e) => e.data)) }).caughtUp;
    expect(batches).toEqual([expected]);
    expect(inner.stored[0]!.data).toEqual({ old: 'a' });
  });

  it('stops a subscription on an event newer than the code, telling its error handler why', async () => {
    const inner = memoryStore();
    await inner.append('thing-1', [raw('Renamed', { newer: 'c' }, { schemaVersion: 3 })], NO_STREAM);
    const errors: unknown[] = [];
    const handled: unknown[] = [];
    await upcastingStore(inner, registry).subscribe({ onEvents: async (events) => void handled.push(events), onError: (e) => errors.push(e) }).stopped;
    expect(handled).toEqual([]);
    expect(errors).toEqual([expect.any(EventSchemaVersionError)]);
    await expect(upcastingStore(inner, registry).readStream('thing-1')).rejects.toThrow('only up to version 2');
  });

  it('passes everything else to the store underneath', async () => {
    const inner = memoryStore();
    const store = upcastingStore(inner, registry);
    expect(store.name).toBe('memory');
    expect(store.checkpoints).toBe(inner.checkpoints);
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
