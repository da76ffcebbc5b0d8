import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl, dropSchema, uniqueName } from '@oms/testing';
import type { EventStore } from '../port';
import { NO_STREAM } from '../port';
import { eventStoreContract } from '../testing/event-store.contract';
import { openPostgresEventStore } from './postgres-event-store';

const schema = uniqueName('es_contract');
const open = () => openPostgresEventStore({ connectionString: databaseUrl(), schema, poolSize: 4, subscriptionMaxIdleMs: 20 });
let store: EventStore;

beforeAll(async () => {
  store = await open();
});
afterAll(async () => {
  await store.close();
  await dropSchema(schema);
});

describe('PostgreSQL event store', () => {
  eventStoreContract(() => ({ store, openAnother: open }), { separateConnections: true });

  it('does not let a subscriber pass an earlier transaction that commits late (gap safety)', async () => {
    const category = `gap${randomUUID().slice(0, 8)}`;
    const slow = new Client({ connectionString: databaseUrl() });
    await slow.connect();
    try {
      // The slow transaction takes its global position first, then stays open.
      await slow.query('BEGIN');
      await slow.query(`SELECT * FROM ${schema}.append_events($1, $2, 'no_stream', NULL, $3::jsonb)`, [
        `${category}-slow`,
        category,
        JSON.stringify([{ id: randomUUID(), type: 'Slow', data: {}, metadata: {} }]),
      ]);
      const fast = await store.append(`${category}-fast`, [{ id: randomUUID(), type: 'Fast', data: {} }], NO_STREAM);

      const seen: string[] = [];
      const subscription = store.subscribe({ categories: [category], onEvents: async (es) => void seen.push(...es.map((e) => e.type)) });
      await subscription.caughtUp;
      // The fast append committed, but an older transaction is still running: it must wait.
      expect(seen).toEqual([]);
      expect(fast.position.prepare).toBeGreaterThan(0n);

      await slow.query('COMMIT');
      const deadline = Date.now() + 10_000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await subscription.stop();
      expect(seen).toEqual(['Slow', 'Fast']);
    } finally {
      await slow.end();
    }
  });
});
