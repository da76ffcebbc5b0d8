import type { EventStore } from '../port';
import { eventStoreContract } from '../testing/event-store.contract';
import { openKurrentDbEventStore } from './kurrentdb-event-store';

/**
 * KurrentDB cannot run on the CI machine (no Docker engine, no package). The suite runs when
 * EVENTSTORE_URL points at a server (`docker compose up eventstore`) and is reported as skipped
 * otherwise — never faked.
 */
const url = process.env.EVENTSTORE_URL;
const describeWithServer = url ? describe : describe.skip;

describeWithServer(`KurrentDB event store (${url ?? 'EVENTSTORE_URL not set: skipped'})`, () => {
  const open = () => openKurrentDbEventStore({ connectionString: url! });
  let store: EventStore;

  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.close();
  });

  eventStoreContract(
    () => ({ store, openAnother: open }),
    { separateConnections: true },
  );
});
