import { NO_STREAM, openEmbeddedEventStore, type EventStore } from '@oms/event-store';
import { waitFor } from '@oms/testing';
import { randomUUID } from 'node:crypto';
import { StoreRelay, type RelayStatus } from './store-relay';

/*
 * Two replicas of a service run the same relay (one checkpoint name). The one that loses the race
 * on the checkpoint stands by, then follows again from what the winner stored: a routine step,
 * after which it is as ready as the winner — or a deployment's readiness probe takes every
 * replica but one out of rotation.
 */

let store: EventStore;

beforeAll(async () => {
  store = await openEmbeddedEventStore();
});

const stops: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
  await store.close();
});

/** What /health/ready reports of a relay (libs/platform's health controller). */
const ready = (s: RelayStatus) => s.running && (s.lastError === undefined || s.standby);

describe('one relay on two replicas', () => {
  it('is ready on both once the one that lost the checkpoint race follows again', async () => {
    const published: string[] = [];
    const relay = () =>
      new StoreRelay({
        name: 'replicated.relay',
        store,
        publisher: { publish: async (messages) => void published.push(...messages.map((m) => m.eventId)) },
        categories: ['parcel'],
        toMessages: (event) => [{ topic: 'parcels', key: event.streamName, eventId: event.id, type: event.type, schemaVersion: 1, payload: event.data, occurredAt: event.recordedAt.toISOString() }],
        retryDelayMs: 10,
        maxRetryDelayMs: 20,
      });
    const replicas = [relay(), relay()];
    stops.push(...replicas.map((r) => () => r.stop()));
    await Promise.all(replicas.map((r) => r.start()));

    await store.append('parcel-1', [{ id: randomUUID(), type: 'ParcelPacked', data: { parcel: 1 }, metadata: {} }], NO_STREAM);
    // Both publish the batch; one stores the checkpoint first, the other's store is refused.
    await waitFor(() => replicas.some((r) => r.status().lastError !== undefined), { what: 'a checkpoint conflict', timeoutMs: 10_000 });

    await waitFor(() => replicas.every((r) => ready(r.status()) && !r.status().standby), { what: 'both relays following and ready', timeoutMs: 10_000 }).catch(() => undefined);
    expect(replicas.map((r) => ({ ready: ready(r.status()), standby: r.status().standby, lastError: r.status().lastError }))).toEqual([
      { ready: true, standby: false, lastError: undefined },
      { ready: true, standby: false, lastError: undefined },
    ]);
  });
});
