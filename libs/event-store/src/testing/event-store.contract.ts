import { randomUUID } from 'node:crypto';
import { CheckpointConflictError, IdempotencyViolationError, WrongExpectedRevisionError } from '../errors';
import type { EventStore, EventToAppend, Position, RecordedEvent } from '../port';
import { ANY_REVISION, NO_STREAM, START, STREAM_EXISTS, atRevision } from '../port';
import { comparePositions } from '../position';

export interface ContractFixture {
  readonly store: EventStore;
  /** Another store on its own connection(s) to the same data, for concurrent writers. */
  openAnother(): Promise<EventStore>;
}

export interface ContractOptions {
  /** Writers on separate connections; the embedded store has one connection, so 1. */
  readonly separateConnections: boolean;
}

const event = (type: string, data: Record<string, number | string> = {}): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { correlationId: 'c-1' },
});

/** Collects what a subscription delivers until `count` events or the test fails. */
function collect(store: EventStore, options: { after?: Position; categories?: string[] } = {}) {
  const received: RecordedEvent[] = [];
  const subscription = store.subscribe({
    ...options,
    batchSize: 50,
    onEvents: async (events) => {
      received.push(...events);
    },
  });
  const until = async (count: number, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < count) {
      if (Date.now() > deadline) throw new Error(`subscription saw ${received.length} of ${count} events`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { received, subscription, until };
}

/**
 * The behaviour every EventStore adapter must share. Each adapter's *.int.spec.ts calls this with a
 * fixture on a real store; streams use fresh ids so tests do not see each other's data.
 */
export function eventStoreContract(getFixture: () => ContractFixture, options: ContractOptions): void {
  const store = () => getFixture().store;
  const fresh = (category = 'order') => `${category}-${randomUUID()}`;
  const category = () => `c${randomUUID().replace(/-/g, '').slice(0, 12)}`;

  describe('append and read a stream', () => {
    it('creates a stream with NO_STREAM and reads it forwards with revisions from 0', async () => {
      const stream = fresh();
      const result = await store().append(stream, [event('A', { n: 1 }), event('B', { n: 2 })], NO_STREAM);
      expect(result).toMatchObject({ nextExpectedRevision: 1, idempotent: false });
      const events = await store().readStream(stream);
      expect(events.map((e) => [e.type, e.revision, e.data])).toEqual([
        ['A', 0, { n: 1 }],
        ['B', 1, { n: 2 }],
      ]);
      expect(events[0]!.metadata).toEqual({ correlationId: 'c-1' });
      expect(events[0]!.streamName).toBe(stream);
      expect(events[0]!.recordedAt).toBeInstanceOf(Date);
      expect(comparePositions(events[0]!.position, events[1]!.position)).toBeLessThan(0);
      expect(comparePositions(result.position, events[1]!.position)).toBe(0);
    });

    it('reads backwards, from a revision, and at most maxCount', async () => {
      const stream = fresh();
      await store().append(stream, ['A', 'B', 'C', 'D'].map((t) => event(t)), NO_STREAM);
      const types = (es: RecordedEvent[]) => es.map((e) => e.type);
      expect(types(await store().readStream(stream, { direction: 'backwards' }))).toEqual(['D', 'C', 'B', 'A']);
      expect(types(await store().readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual(['D']);
      expect(types(await store().readStream(stream, { fromRevision: 2 }))).toEqual(['C', 'D']);
      expect(types(await store().readStream(stream, { direction: 'backwards', fromRevision: 1 }))).toEqual(['B', 'A']);
      expect(types(await store().readStream(stream, { fromRevision: 1, maxCount: 2 }))).toEqual(['B', 'C']);
    });

    it('reads a missing stream as empty', async () => {
      expect(await store().readStream(fresh())).toEqual([]);
    });
  });

  describe('expected revision', () => {
    it('rejects NO_STREAM when the stream exists, naming the actual revision', async () => {
      const stream = fresh();
      await store().append(stream, [event('A'), event('B')], NO_STREAM);
      const error = await store().append(stream, [event('C')], NO_STREAM).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBe(1);
      expect(await store().readStream(stream)).toHaveLength(2);
    });

    it('appends at the exact revision and rejects a stale one', async () => {
      const stream = fresh();
      const first = await store().append(stream, [event('A')], NO_STREAM);
      const second = await store().append(stream, [event('B')], atRevision(first.nextExpectedRevision));
      expect(second.nextExpectedRevision).toBe(1);
      await expect(store().append(stream, [event('C')], atRevision(0))).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store().append(fresh(), [event('C')], atRevision(0))).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('STREAM_EXISTS needs the stream; ANY takes either', async () => {
      const stream = fresh();
      const missing = await store().append(stream, [event('A')], STREAM_EXISTS).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
      expect((missing as WrongExpectedRevisionError).actual).toBe('no_stream');
      expect((await store().append(stream, [event('A')], ANY_REVISION)).nextExpectedRevision).toBe(0);
      expect((await store().append(stream, [event('B')], STREAM_EXISTS)).nextExpectedRevision).toBe(1);
      expect((await store().append(stream, [event('C')], ANY_REVISION)).nextExpectedRevision).toBe(2);
    });

    it('an empty append only checks the expectation', async () => {
      const stream = fresh();
      await expect(store().append(stream, [], NO_STREAM)).resolves.toMatchObject({ nextExpectedRevision: -1 });
      await store().append(stream, [event('A')], NO_STREAM);
      await expect(store().append(stream, [], atRevision(0))).resolves.toMatchObject({ nextExpectedRevision: 0 });
      await expect(store().append(stream, [], NO_STREAM)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('lets exactly one of several racing writers take each revision', async () => {
      const stream = fresh();
      await store().append(stream, [event('Opened')], NO_STREAM);
      const writers = await Promise.all(Array.from({ length: 4 }, () => getFixture().openAnother()));
      try {
        const outcomes = await Promise.allSettled(writers.map((w) => w.append(stream, [event('Raced')], atRevision(0))));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
          expect(o.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect((await store().readStream(stream)).map((e) => e.revision)).toEqual([0, 1]);
      } finally {
        await closeOthers(writers, store());
      }
    });
  });

  describe('idempotent event ids', () => {
    it('re-appending the same events is a no-op that reports the original append', async () => {
      const stream = fresh();
      const events = [event('A'), event('B')];
      const first = await store().append(stream, events, NO_STREAM);
      const again = await store().append(stream, events, NO_STREAM);
      expect(again).toMatchObject({ idempotent: true, nextExpectedRevision: 1 });
      expect(comparePositions(again.position, first.position)).toBe(0);
      await store().append(stream, [event('C')], atRevision(1));
      const late = await store().append(stream, events, atRevision(0));
      expect(late.idempotent).toBe(true);
      expect(late.nextExpectedRevision).toBe(2);
      const anyAgain = await store().append(stream, events, ANY_REVISION);
      expect(anyAgain.idempotent).toBe(true);
      expect((await store().readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('refuses a batch that only partly repeats earlier ids', async () => {
      const stream = fresh();
      const a = event('A');
      await store().append(stream, [a], NO_STREAM);
      await expect(store().append(stream, [a, event('B')], ANY_REVISION)).rejects.toBeInstanceOf(IdempotencyViolationError);
      expect(await store().readStream(stream)).toHaveLength(1);
    });
  });

  describe('read all', () => {
    it('reads a category after a position, in global order', async () => {
      const cat = category();
      const s1 = `${cat}-${randomUUID()}`;
      const s2 = `${cat}-${randomUUID()}`;
      await store().append(s1, [event('A1')], NO_STREAM);
      await store().append(fresh('other'), [event('X')], NO_STREAM);
      await store().append(s2, [event('B1'), event('B2')], NO_STREAM);
      await store().append(s1, [event('A2')], atRevision(0));
      const all = await store().readAll({ categories: [cat] });
      expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBeLessThan(0);
      const rest = await store().readAll({ categories: [cat], after: all[1]!.position, maxCount: 2 });
      expect(rest.map((e) => e.type)).toEqual(['B2', 'A2']);
    });
  });

  describe('subscriptions', () => {
    it('delivers past and new events, then resumes from a checkpoint without loss or duplication', async () => {
      const cat = category();
      const stream = `${cat}-${randomUUID()}`;
      await store().append(stream, [event('E0'), event('E1')], NO_STREAM);
      const first = collect(store(), { categories: [cat] });
      await first.subscription.caughtUp;
      await store().append(stream, [event('E2')], atRevision(1));
      await first.until(3);
      await first.subscription.stop();
      const checkpoint = first.received[2]!.position;

      await store().append(stream, [event('E3'), event('E4')], atRevision(2));
      const second = collect(store(), { categories: [cat], after: checkpoint });
      await second.until(2);
      await second.subscription.caughtUp;
      await store().append(stream, [event('E5')], atRevision(4));
      await second.until(3);
      await second.subscription.stop();
      expect([...first.received, ...second.received].map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5']);
    });

    it('reports a failing handler through onError and stops', async () => {
      const cat = category();
      await store().append(`${cat}-${randomUUID()}`, [event('Boom')], NO_STREAM);
      const errors: unknown[] = [];
      const subscription = store().subscribe({
        categories: [cat],
        onEvents: async () => {
          throw new Error('handler failed');
        },
        onError: (e) => errors.push(e),
      });
      await subscription.stopped;
      expect(String(errors[0])).toContain('handler failed');
    });

    it(`sees every event of 8 concurrent writers exactly once, in global order${options.separateConnections ? ' (8 connections)' : ''}`, async () => {
      const cat = category();
      const writers = await Promise.all(Array.from({ length: 8 }, () => getFixture().openAnother()));
      const live = collect(store(), { categories: [cat] });
      const perWriter = 40;
      try {
        await live.subscription.caughtUp;
        await Promise.all(
          writers.map(async (writer, w) => {
            const stream = `${cat}-${w}-${randomUUID()}`;
            let expected = NO_STREAM;
            for (let i = 0; i < perWriter; i++) {
              const batch = i % 5 === 0 ? [event('Batch', { w, i }), event('Batch', { w, i: i + 0.5 })] : [event('Single', { w, i })];
              const result = await writer.append(stream, batch, expected);
              expected = atRevision(result.nextExpectedRevision);
            }
          }),
        );
        const total = 8 * (perWriter + perWriter / 5);
        await live.until(total);
        await new Promise((r) => setTimeout(r, 200)); // let any duplicate show itself
        await live.subscription.stop();
        const ids = live.received.map((e) => e.id);
        expect(new Set(ids).size).toBe(total);
        expect(ids).toHaveLength(total);
        for (let i = 1; i < live.received.length; i++) {
          expect(comparePositions(live.received[i - 1]!.position, live.received[i]!.position)).toBeLessThan(0);
        }
        const byStream = new Map<string, number[]>();
        for (const e of live.received) byStream.set(e.streamName, [...(byStream.get(e.streamName) ?? []), e.revision]);
        for (const revisions of byStream.values()) expect(revisions).toEqual(revisions.map((_, i) => i));
        // The live order is the order a later full read gives: a subscriber and a replay agree.
        const replay = await store().readAll({ categories: [cat], maxCount: total + 10 });
        expect(replay.map((e) => e.id)).toEqual(ids);
      } finally {
        await live.subscription.stop();
        await closeOthers(writers, store());
      }
    });
  });

  describe('checkpoints', () => {
    it('stores, loads and refuses a stale writer', async () => {
      const processor = `relay-${randomUUID()}`;
      const checkpoints = store().checkpoints;
      expect(await checkpoints.load(processor)).toBeUndefined();
      const p1: Position = { commit: 10n, prepare: 3n };
      const first = await checkpoints.store(processor, p1, undefined);
      expect(await checkpoints.load(processor)).toEqual({ position: p1, version: first.version });
      const p2: Position = { commit: 12n, prepare: 9n };
      const second = await checkpoints.store(processor, p2, first.version);
      await expect(checkpoints.store(processor, START, first.version)).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(checkpoints.store(processor, START, undefined)).rejects.toBeInstanceOf(CheckpointConflictError);
      expect(await checkpoints.load(processor)).toEqual({ position: p2, version: second.version });
    });
  });
}

async function closeOthers(others: EventStore[], main: EventStore): Promise<void> {
  await Promise.all(others.filter((o) => o !== main).map((o) => o.close()));
}
