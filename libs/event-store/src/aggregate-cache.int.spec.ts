import { randomUUID } from 'node:crypto';
import { databaseUrl, dropSchema, uniqueName } from '@oms/testing';
import { AggregateCache } from './aggregate-cache';
import type { Decider, DomainEvent } from './decider';
import type { EventStore } from './port';
import { atRevision } from './port';
import { openPostgresEventStore } from './postgres/postgres-event-store';

// A stock of units that orders take; taking more than is left is refused (a typed error, as the
// node-stock decider does).
type StockEvent = DomainEvent<'Added', { units: number }> | DomainEvent<'Taken', { by: string; units: number }>;
type StockCommand = { kind: 'add'; units: number } | { kind: 'take'; by: string; units: number };
interface StockState {
  readonly left: number;
  readonly takers: readonly string[];
}
class SoldOut extends Error {}

const stock: Decider<StockCommand, StockState, StockEvent> = {
  initialState: () => ({ left: 0, takers: [] }),
  decide(command, state) {
    if (command.kind === 'add') return [{ type: 'Added', data: { units: command.units } }];
    if (state.takers.includes(command.by)) return [];
    if (command.units > state.left) throw new SoldOut(`${command.by} wants ${command.units}, ${state.left} left`);
    return [{ type: 'Taken', data: { by: command.by, units: command.units } }];
  },
  evolve(state, event) {
    return event.type === 'Added' ? { ...state, left: state.left + event.data.units } : { left: state.left - event.data.units, takers: [...state.takers, event.data.by] };
  },
};

const schema = uniqueName('cache').replace(/[^a-z0-9_]/g, '_');
let store: EventStore;
let other: EventStore;

beforeAll(async () => {
  store = await openPostgresEventStore({ connectionString: databaseUrl(), schema, poolSize: 4 });
  other = await openPostgresEventStore({ connectionString: databaseUrl(), schema, poolSize: 4 });
});

afterAll(async () => {
  await other?.close();
  await store?.close();
  await dropSchema(schema);
});

describe('AggregateCache on PostgreSQL', () => {
  it('two replicas racing for the last units: each decides on its cache, the loser catches up and is refused', async () => {
    const stream = `stock-${uniqueName('race')}`;
    const a = new AggregateCache(store, stock);
    const b = new AggregateCache(other, stock);
    await a.execute(stream, { kind: 'add', units: 5 });
    await b.refresh(stream);
    // 10 buyers of one unit each, half through each replica, all at once: exactly 5 succeed.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).execute(stream, { kind: 'take', by: `buyer-${i}`, units: 1 }, { maxAttempts: 20 })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof SoldOut)).toBe(true);
    const events = await store.readStream(stream);
    expect(events.filter((e) => e.type === 'Taken')).toHaveLength(5);
    expect((await a.refresh(stream)).state.left).toBe(0);
  });

  it('reads only what is new after a conflict, and a repeated command decides nothing twice', async () => {
    const stream = `stock-${uniqueName('catchup')}`;
    const a = new AggregateCache(store, stock);
    await a.execute(stream, { kind: 'add', units: 3 });
    // Another writer appends behind the cache's back.
    await other.append(stream, [{ id: randomUUID(), type: 'Taken', data: { by: 'elsewhere', units: 2 } }], atRevision(0));
    const reads: number[] = [];
    const spy = jest.spyOn(store, 'readStream').mockImplementation(async (name, options) => {
      reads.push(options?.fromRevision ?? 0);
      spy.mockRestore();
      return store.readStream(name, options);
    });
    await expect(a.execute(stream, { kind: 'take', by: 'me', units: 2 })).rejects.toBeInstanceOf(SoldOut);
    expect(reads).toEqual([1]);
    const ok = await a.execute(stream, { kind: 'take', by: 'me', units: 1 });
    expect(ok.newEvents).toHaveLength(1);
    expect((await a.execute(stream, { kind: 'take', by: 'me', units: 1 })).newEvents).toEqual([]);
    expect(a.peek(stream)).toMatchObject({ revision: 2, state: { left: 0 } });
  });

  it('folds subscription events once, in revision order; a gap drops the entry so the next use reloads it', async () => {
    const stream = `stock-${uniqueName('apply')}`;
    const writer = new AggregateCache(store, stock);
    await writer.execute(stream, { kind: 'add', units: 4 });
    await writer.execute(stream, { kind: 'take', by: 'x', units: 1 });
    await writer.execute(stream, { kind: 'take', by: 'y', units: 1 });
    const events = await store.readStream(stream);
    const follower = new AggregateCache(store, stock);
    follower.apply(events[0]!);
    follower.apply(events[0]!);
    expect(follower.peek(stream)).toMatchObject({ revision: 0, state: { left: 4 } });
    follower.apply(events[2]!);
    expect(follower.peek(stream)).toBeUndefined();
    expect((await follower.execute(stream, { kind: 'take', by: 'z', units: 2 })).state).toEqual({ left: 0, takers: ['x', 'y', 'z'] });
  });
});
