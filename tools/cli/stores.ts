import { join } from 'node:path';
import { openEmbeddedEventStore, openKurrentDbEventStore, openPostgresEventStore, type EventStore, type Position, type RecordedEvent } from '@oms/event-store';
import { ALL_SERVICES } from '../embedded/services';

export interface StoreOptions {
  readonly store: 'postgres' | 'embedded' | 'kurrentdb';
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly eventstoreUrl?: string;
  /** Put before each service's schema name (for deployments, and tests, that share a database). */
  readonly schemaPrefix?: string;
}

/** Each service's store, opened the way the service opens it (its own schema or data folder). */
export async function openServiceStores(options: StoreOptions): Promise<Map<string, EventStore>> {
  const stores = new Map<string, EventStore>();
  for (const service of ALL_SERVICES) {
    const schema = `${options.schemaPrefix ?? ''}${service.name.replace(/-/g, '_')}`;
    switch (options.store) {
      case 'postgres':
        if (!options.databaseUrl) throw new Error('--database-url (or DATABASE_URL) is required for the postgres store');
        stores.set(service.name, await openPostgresEventStore({ connectionString: options.databaseUrl, schema, poolSize: 2 }));
        break;
      case 'embedded':
        stores.set(service.name, await openEmbeddedEventStore({ dataDir: join(options.dataDir ?? 'data', service.name), schema }));
        break;
      case 'kurrentdb':
        if (!options.eventstoreUrl) throw new Error('--eventstore-url (or EVENTSTORE_URL) is required for kurrentdb');
        // One KurrentDB holds every service's streams: open it once.
        if (stores.size === 0) stores.set('kurrentdb', await openKurrentDbEventStore({ connectionString: options.eventstoreUrl }));
        return stores;
      default: {
        const never: never = options.store;
        throw new Error(`Unknown store ${String(never)}`);
      }
    }
  }
  return stores;
}

export async function closeAll(stores: Map<string, EventStore>): Promise<void> {
  await Promise.all([...stores.values()].map((s) => s.close().catch(() => undefined)));
}

/** Every event of a store, page by page (a tool's read; services follow with subscriptions). */
export async function* readEverything(store: EventStore, categories?: readonly string[]): AsyncGenerator<RecordedEvent> {
  let after: Position | undefined;
  for (;;) {
    const page = await store.readAll({ maxCount: 2000, ...(after ? { after } : {}), ...(categories ? { categories } : {}) });
    yield* page;
    if (page.length < 2000) return;
    after = page[page.length - 1]!.position;
  }
}
