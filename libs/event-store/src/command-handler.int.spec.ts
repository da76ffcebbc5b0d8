import { randomUUID } from 'node:crypto';
import { databaseUrl, dropSchema, uniqueName } from '@oms/testing';
import { deterministicEventId, handleCommand, loadAggregate, type CommandContext } from './command-handler';
import type { Decider, DomainEvent } from './decider';
import { openEmbeddedEventStore } from './embedded/embedded-event-store';
import { WrongExpectedRevisionError } from './errors';
import type { EventStore, EventToAppend, RecordedEvent } from './port';
import { NO_STREAM, atRevision } from './port';
import { openPostgresEventStore } from './postgres/postgres-event-store';

// A tiny counter aggregate: opened once, then added to; adding to a closed counter is rejected as an event.
type CounterEvent =
  | DomainEvent<'Opened', { by: string }>
  | DomainEvent<'Added', { amount: number }>
  | DomainEvent<'Closed', Record<string, never>>
  | DomainEvent<'AddRejected', { amount: number; reason: string }>;

type CounterCommand =
  | { kind: 'open'; by: string }
  | { kind: 'add'; amount: number }
  | { kind: 'addTwice'; amount: number }
  | { kind: 'close' };

interface CounterState {
  readonly opened: boolean;
  readonly closed: boolean;
  readonly total: number;
  readonly adds: number;
}

const counter: Decider<CounterCommand, CounterState, CounterEvent> = {
  initialState: () => ({ opened: false, closed: false, total: 0, adds: 0 }),
  decide(command, state) {
    switch (command.kind) {
      case 'open':
        return state.opened ? [] : [{ type: 'Opened', data: { by: command.by } }];
      case 'add':
        if (state.closed) return [{ type: 'AddRejected', data: { amount: command.amount, reason: 'closed' } }];
        return [{ type: 'Added', data: { amount: command.amount } }];
      case 'addTwice':
        return [
          { type: 'Added', data: { amount: command.amount } },
          { type: 'Added', data: { amount: command.amount } },
        ];
      case 'close':
        return state.closed ? [] : [{ type: 'Closed', data: {} }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'Opened':
        return { ...state, opened: true };
      case 'Added':
        return { ...state, total: state.total + event.data.amount, adds: state.adds + 1 };
      case 'Closed':
        return { ...state, closed: true };
      case 'AddRejected':
        return state;
    }
  },
};

const ctx = (causationId: string = randomUUID(), extra: Partial<CommandContext> = {}): CommandContext => ({ causationId, ...extra });

interface Backend {
  readonly name: string;
  open(): Promise<EventStore>;
  /** A store for a concurrent writer: on its own connections when the backend has them. */
  openAnother(main: EventStore): Promise<EventStore>;
  cleanup(): Promise<void>;
}

const pgSchema = uniqueName('es_cmd');

const backends: Backend[] = [
  {
    name: 'embedded (PGlite, in memory)',
    open: () => openEmbeddedEventStore(),
    // PGlite is one connection in this process: concurrent writers share it and interleave.
    openAnother: async (main) => main,
    cleanup: async () => undefined,
  },
  {
    name: 'PostgreSQL',
    open: () => openPostgresEventStore({ connectionString: databaseUrl(), schema: pgSchema, poolSize: 4 }),
    openAnother: () => openPostgresEventStore({ connectionString: databaseUrl(), schema: pgSchema, poolSize: 2 }),
    cleanup: () => dropSchema(pgSchema),
  },
];

/**
 * Wraps a store so that the first `times` reads of a stream through it are followed by `racer()`
 * before they return: a concurrent writer lands between the command's load and its append.
 */
function withRacingWriter(store: EventStore, racer: () => Promise<void>, times = 1): { store: EventStore; reads: () => number } {
  let remaining = times;
  let reads = 0;
  const racing = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return async (...args: Parameters<EventStore['readStream']>) => {
          reads++;
          const events = await target.readStream(...args);
          if (remaining > 0) {
            remaining--;
            await racer();
          }
          return events;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: racing, reads: () => reads };
}

/**
 * Wraps concurrent writers so that each one's first read waits until every writer has read: they all
 * decide on the same revision, so all but one of their appends must conflict. Counts the conflicts.
 */
function loadTogether(writers: readonly EventStore[]): { stores: EventStore[]; conflicts: () => number } {
  let loaded = 0;
  let conflicts = 0;
  let releaseAll!: () => void;
  const allLoaded = new Promise<void>((resolve) => (releaseAll = resolve));
  const stores = writers.map((writer) => {
    let first = true;
    return new Proxy(writer, {
      get(target, property, receiver) {
        if (property === 'readStream') {
          return async (...args: Parameters<EventStore['readStream']>) => {
            const events = await target.readStream(...args);
            if (first) {
              first = false;
              if (++loaded === writers.length) releaseAll();
              await allLoaded;
            }
            return events;
          };
        }
        if (property === 'append') {
          return (...args: Parameters<EventStore['append']>) =>
            target.append(...args).catch((error: unknown) => {
              if (error instanceof WrongExpectedRevisionError) conflicts++;
              throw error;
            });
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  });
  return { stores, conflicts: () => conflicts };
}

describe.each(backends)('handleCommand on the $name event store', (backend) => {
  let store: EventStore;
  const others: EventStore[] = [];
  const stream = () => `counter-${randomUUID()}`;
  const raw = (type: string, data: EventToAppend['data'], metadata: EventToAppend['metadata'] = {}): EventToAppend => ({
    id: randomUUID(),
    type,
    data,
    metadata,
  });

  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await Promise.all(others.filter((o) => o !== store).map((o) => o.close()));
    await store.close();
    await backend.cleanup();
  });

  const another = async () => {
    const s = await backend.openAnother(store);
    others.push(s);
    return s;
  };

  it('creates a new stream with NO_STREAM and records causation and correlation in the metadata', async () => {
    const name = stream();
    const causationId = randomUUID();
    const appendSpy = jest.spyOn(store, 'append');
    try {
      const result = await handleCommand(store, name, counter, { kind: 'open', by: 'alice' }, ctx(causationId, {
        correlationId: 'order-7',
        metadata: { traceparent: '00-t-s-01', causationId: 'must-be-overridden' },
      }));
      expect(appendSpy).toHaveBeenCalledTimes(1);
      expect(appendSpy.mock.calls[0]![2]).toEqual(NO_STREAM);
      expect(result).toEqual({
        state: { opened: true, closed: false, total: 0, adds: 0 },
        newEvents: [{ type: 'Opened', data: { by: 'alice' } }],
        nextExpectedRevision: 0,
        alreadyHandled: false,
      });
    } finally {
      appendSpy.mockRestore();
    }
    const events = await store.readStream(name);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: deterministicEventId(name, causationId, 0),
      type: 'Opened',
      data: { by: 'alice' },
      revision: 0,
      metadata: { causationId, correlationId: 'order-7', traceparent: '00-t-s-01' },
    });
  });

  it('appends to an existing stream at the exact revision it loaded', async () => {
    const name = stream();
    await handleCommand(store, name, counter, { kind: 'open', by: 'a' }, ctx());
    await handleCommand(store, name, counter, { kind: 'add', amount: 2 }, ctx());
    const appendSpy = jest.spyOn(store, 'append');
    try {
      const result = await handleCommand(store, name, counter, { kind: 'addTwice', amount: 5 }, ctx());
      expect(appendSpy.mock.calls[0]![2]).toEqual(atRevision(1));
      expect(result.nextExpectedRevision).toBe(3);
      expect(result.state).toMatchObject({ total: 12, adds: 3 });
    } finally {
      appendSpy.mockRestore();
    }
    expect((await store.readStream(name)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
  });

  it('handles the same causation id only once', async () => {
    const name = stream();
    const causationId = randomUUID();
    await handleCommand(store, name, counter, { kind: 'open', by: 'a' }, ctx());
    const first = await handleCommand(store, name, counter, { kind: 'addTwice', amount: 3 }, ctx(causationId));
    expect(first).toMatchObject({ alreadyHandled: false, nextExpectedRevision: 2 });
    expect(first.newEvents).toHaveLength(2);

    const again = await handleCommand(store, name, counter, { kind: 'addTwice', amount: 3 }, ctx(causationId));
    expect(again).toEqual({
      state: { opened: true, closed: false, total: 6, adds: 2 },
      newEvents: [],
      nextExpectedRevision: 2,
      alreadyHandled: true,
    });
    const events = await store.readStream(name);
    expect(events.map((e) => e.type)).toEqual(['Opened', 'Added', 'Added']);
    expect(events.filter((e) => e.metadata['causationId'] === causationId).map((e) => e.id)).toEqual([
      deterministicEventId(name, causationId, 0),
      deterministicEventId(name, causationId, 1),
    ]);
  });

  it('absorbs the same command handled concurrently: the events land once', async () => {
    const name = stream();
    await handleCommand(store, name, counter, { kind: 'open', by: 'a' }, ctx());
    const causationId = randomUUID();
    const writers = await Promise.all(Array.from({ length: 4 }, () => another()));
    // All four load before any appends, so three of them append the same event ids and must be
    // told by the store's idempotency (not the causation check) that it was already done.
    const { stores } = loadTogether(writers);
    const results = await Promise.all(
      stores.map((w) => handleCommand(w, name, counter, { kind: 'add', amount: 10 }, ctx(causationId))),
    );
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 1, 1, 1]);
    for (const r of results.filter((r) => r.alreadyHandled)) expect(r.newEvents).toEqual([]);
    expect(results.filter((r) => !r.alreadyHandled)).toHaveLength(1);
    const events = await store.readStream(name);
    expect(events.map((e) => e.type)).toEqual(['Opened', 'Added']);
    expect(events[1]!.id).toBe(deterministicEventId(name, causationId, 0));
  });

  it('derives stable, distinct event ids from stream, causation and index', () => {
    const id = deterministicEventId('order-1', 'msg-1', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('order-1', 'msg-1', 0)).toBe(id);
    const variants = [
      deterministicEventId('order-1', 'msg-1', 1),
      deterministicEventId('order-1', 'msg-2', 0),
      deterministicEventId('order-2', 'msg-1', 0),
      // The separator keeps "stream + causation" boundaries apart.
      deterministicEventId('order-1m', 'sg-1', 0),
      deterministicEventId('order-1', 'msg-10', 0),
    ];
    expect(new Set([id, ...variants]).size).toBe(variants.length + 1);
  });

  it('loses no update when many commands race on one stream: conflicts are retried on fresh state', async () => {
    const name = stream();
    await handleCommand(store, name, counter, { kind: 'open', by: 'a' }, ctx());
    const racers = 10;
    const writers = await Promise.all(Array.from({ length: racers }, () => another()));
    const amounts = Array.from({ length: racers }, (_, i) => i + 1);
    const instrumented = loadTogether(writers);
    // Each conflict means another racer's append landed, so `racers` attempts always suffice.
    const results = await Promise.all(
      instrumented.stores.map((w, i) =>
        handleCommand(w, name, counter, { kind: 'add', amount: amounts[i]! }, ctx(randomUUID(), { maxAttempts: racers })),
      ),
    );
    expect(instrumented.conflicts()).toBeGreaterThanOrEqual(racers - 1);
    expect(results.every((r) => !r.alreadyHandled && r.newEvents.length === 1)).toBe(true);

    const events = await store.readStream(name);
    expect(events).toHaveLength(racers + 1);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: racers + 1 }, (_, i) => i));
    const { state } = await loadAggregate({ store, decider: counter }, name);
    expect(state.total).toBe(amounts.reduce((a, b) => a + b, 0));
    expect(state.adds).toBe(racers);
    // The returned revisions are the distinct slots each racer took.
    expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => a - b)).toEqual(amounts);
  });

  it('retries a conflict by reloading and deciding again on the new state', async () => {
    const name = stream();
    await handleCommand(store, name, counter, { kind: 'open', by: 'a' }, ctx());
    const racer = await another();
    // Between our load and our append, another writer closes the counter.
    const racing = withRacingWriter(store, async () => {
      await handleCommand(racer, name, counter, { kind: 'close' }, ctx());
    });
    const result = await handleCommand(racing.store, name, counter, { kind: 'add', amount: 5 }, ctx(randomUUID(), { maxAttempts: 2 }));
    // The second decision saw the close and rejected the add.
    expect(racing.reads()).toBe(2);
    expect(result.newEvents).toEqual([{ type: 'AddRejected', data: { amount: 5, reason: 'closed' } }]);
    expect(result.state).toMatchObject({ closed: true, total: 0 });
    expect((await store.readStream(name)).map((e) => e.type)).toEqual(['Opened', 'Closed', 'AddRejected']);
  });

  it('surfaces WrongExpectedRevisionError once maxAttempts is exhausted', async () => {
    const name = stream();
    await handleCommand(store, name, counter, { kind: 'open', by: 'a' }, ctx());
    const racer = await another();
    const racing = withRacingWriter(
      store,
      async () => {
        await handleCommand(racer, name, counter, { kind: 'add', amount: 100 }, ctx());
      },
      Number.POSITIVE_INFINITY,
    );
    const error = await handleCommand(racing.store, name, counter, { kind: 'add', amount: 1 }, ctx(randomUUID(), { maxAttempts: 1 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ stream: name, expected: atRevision(0), actual: 1 });
    expect(racing.reads()).toBe(1);

    const third = await handleCommand(racing.store, name, counter, { kind: 'add', amount: 1 }, ctx(randomUUID(), { maxAttempts: 3 })).catch(
      (e: unknown) => e,
    );
    expect(third).toBeInstanceOf(WrongExpectedRevisionError);
    expect(racing.reads()).toBe(4);
    const events = await store.readStream(name);
    expect(events.map((e) => e.data)).toEqual([{ by: 'a' }, { amount: 100 }, { amount: 100 }, { amount: 100 }, { amount: 100 }]);
  });

  it('uses NO_STREAM on a new stream, so a racing creator makes it retry against the created stream', async () => {
    const name = stream();
    const racer = await another();
    const racing = withRacingWriter(store, async () => {
      await handleCommand(racer, name, counter, { kind: 'open', by: 'racer' }, ctx());
    });
    const result = await handleCommand(racing.store, name, counter, { kind: 'open', by: 'me' }, ctx());
    expect(racing.reads()).toBe(2);
    // On the retry the stream is already open: nothing to do.
    expect(result).toMatchObject({ newEvents: [], alreadyHandled: false, nextExpectedRevision: 0 });
    expect((await store.readStream(name)).map((e) => e.data)).toEqual([{ by: 'racer' }]);
  });

  it('appends nothing when the decider returns no events', async () => {
    const name = stream();
    await handleCommand(store, name, counter, { kind: 'open', by: 'a' }, ctx());
    const appendSpy = jest.spyOn(store, 'append');
    try {
      const result = await handleCommand(store, name, counter, { kind: 'open', by: 'b' }, ctx());
      expect(result).toEqual({
        state: { opened: true, closed: false, total: 0, adds: 0 },
        newEvents: [],
        nextExpectedRevision: 0,
        alreadyHandled: false,
      });
      // And on a stream that does not exist, nothing creates it.
      const empty = stream();
      const none = await handleCommand(store, empty, { ...counter, decide: () => [] }, { kind: 'close' }, ctx());
      expect(none).toMatchObject({ newEvents: [], nextExpectedRevision: -1, alreadyHandled: false });
      expect(await store.readStream(empty)).toEqual([]);
      expect(appendSpy).not.toHaveBeenCalled();
    } finally {
      appendSpy.mockRestore();
    }
    expect(await store.readStream(name)).toHaveLength(1);
  });

  it('lets a throwing decider append nothing and propagates its error', async () => {
    const name = stream();
    const refusal = new Error('invalid command');
    const refusing = { ...counter, decide: (): readonly CounterEvent[] => { throw refusal; } };
    await expect(handleCommand(store, name, refusing, { kind: 'close' }, ctx())).rejects.toBe(refusal);
    expect(await store.readStream(name)).toEqual([]);
  });

  it('applies the fromRecorded upcaster when loading, and skips what it maps to null', async () => {
    const name = stream();
    // Version 1 of "Added" stored the amount in cents as `cents`; a diagnostic event is skipped.
    await store.append(
      name,
      [raw('Opened', { by: 'legacy' }), raw('AddedV1', { cents: 700 }), raw('Diagnostic', { note: 'x' }), raw('AddedV1', { cents: 300 })],
      NO_STREAM,
    );
    const seenByUpcaster: string[] = [];
    const upcast = (event: RecordedEvent): CounterEvent | null => {
      seenByUpcaster.push(event.type);
      if (event.type === 'AddedV1') return { type: 'Added', data: { amount: Number(event.data['cents']) / 100 } };
      if (event.type === 'Diagnostic') return null;
      return { type: event.type, data: event.data } as CounterEvent;
    };

    const loaded = await loadAggregate({ store, decider: counter, fromRecorded: upcast }, name);
    expect(loaded.state).toEqual({ opened: true, closed: false, total: 10, adds: 2 });
    expect(loaded.revision).toBe(3);
    expect(loaded.events).toHaveLength(4);

    seenByUpcaster.length = 0;
    const result = await handleCommand(store, name, counter, { kind: 'add', amount: 5 }, ctx(), upcast);
    expect(seenByUpcaster).toEqual(['Opened', 'AddedV1', 'Diagnostic', 'AddedV1']);
    expect(result.state).toEqual({ opened: true, closed: false, total: 15, adds: 3 });
    expect(result.nextExpectedRevision).toBe(4);
    const events = await store.readStream(name);
    expect(events[4]).toMatchObject({ type: 'Added', data: { amount: 5 }, revision: 4 });
  });

  it('without an upcaster, evolves the stored type and data as they are', async () => {
    const name = stream();
    await store.append(name, [raw('Opened', { by: 'x' }), raw('Added', { amount: 4 })], NO_STREAM);
    const loaded = await loadAggregate({ store, decider: counter }, name);
    expect(loaded.state).toEqual({ opened: true, closed: false, total: 4, adds: 1 });
    expect(loaded.revision).toBe(1);
    expect(await loadAggregate({ store, decider: counter }, stream())).toMatchObject({ revision: -1, events: [], state: counter.initialState() });
  });
});
