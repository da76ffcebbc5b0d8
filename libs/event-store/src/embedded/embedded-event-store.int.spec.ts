import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../port';
import { NO_STREAM } from '../port';
import { eventStoreContract } from '../testing/event-store.contract';
import { openEmbeddedEventStore } from './embedded-event-store';

const dataDir = mkdtempSync(join(tmpdir(), 'oms-embedded-'));
let store: EventStore;

beforeAll(async () => {
  store = await openEmbeddedEventStore({ dataDir, subscriptionMaxIdleMs: 20 });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded (PGlite) event store', () => {
  // PGlite is one connection in this process: "another" writer shares it, so writes interleave.
  eventStoreContract(() => ({ store, openAnother: async () => store }), { separateConnections: false });

  it('keeps what was appended across a close and re-open of its data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oms-embedded-reopen-'));
    try {
      const stream = `order-${randomUUID()}`;
      const first = await openEmbeddedEventStore({ dataDir: dir });
      await first.append(stream, [{ id: randomUUID(), type: 'Placed', data: { total: 1250 } }], NO_STREAM);
      await first.checkpoints.store('relay', { commit: 5n, prepare: 1n }, undefined);
      await first.close();
      const second = await openEmbeddedEventStore({ dataDir: dir });
      expect((await second.readStream(stream)).map((e) => e.data)).toEqual([{ total: 1250 }]);
      expect((await second.checkpoints.load('relay'))?.position).toEqual({ commit: 5n, prepare: 1n });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
