import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  combineUpcasters,
  EmbeddedDatabase,
  NO_UPCASTERS,
  openEmbeddedEventStore,
  openKurrentDbEventStore,
  openPostgresEventStore,
  upcastingStore,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@oms/event-store';
import { ALL_SERVICES } from '../embedded/services';

export interface StoreOptions {
  readonly store: 'postgres' | 'embedded' | 'kurrentdb';
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly eventstoreUrl?: string;
  /** Put before each service's schema name (for deployments, and tests, that share a database). */
  readonly schemaPrefix?: string;
}

const schemaOf = (options: StoreOptions, service: string) => `${options.schemaPrefix ?? ''}${service.replace(/-/g, '_')}`;

/** The embedded run's one database, shared by the stores opened on it: closed with them. */
const sharedDatabases = new WeakMap<Map<string, EventStore>, EmbeddedDatabase>();

/**
 * Each service's store (or only those named), opened the way the service opens it (its own schema
 * or data folder) and read through the service's upcasters, so the tools fold and show every event
 * in the shape the services' own code knows.
 */
export async function openServiceStores(options: StoreOptions, only?: readonly string[]): Promise<Map<string, EventStore>> {
  const stores = new Map<string, EventStore>();
  // The embedded run (`npm start`) keeps every service in one database, a schema each; a service
  // run alone with EVENT_STORE=embedded keeps its own folder under DATA_DIR.
  const dataDir = options.dataDir ?? 'data';
  const shared = options.store === 'embedded' && existsSync(join(dataDir, 'PG_VERSION')) ? await EmbeddedDatabase.open(dataDir) : undefined;
  if (shared) sharedDatabases.set(stores, shared);
  for (const service of ALL_SERVICES.filter((s) => !only || only.includes(s.name))) {
    const schema = schemaOf(options, service.name);
    switch (options.store) {
      case 'postgres':
        if (!options.databaseUrl) throw new Error('--database-url (or DATABASE_URL) is required for the postgres store');
        stores.set(service.name, upcastingStore(await openPostgresEventStore({ connectionString: options.databaseUrl, schema, poolSize: 2 }), service.upcasters ?? NO_UPCASTERS));
        break;
      case 'embedded':
        stores.set(
          service.name,
          upcastingStore(shared ? await shared.openStore({ schema }) : await openEmbeddedEventStore({ dataDir: join(dataDir, service.name), schema }), service.upcasters ?? NO_UPCASTERS),
        );
        break;
      case 'kurrentdb':
        if (!options.eventstoreUrl) throw new Error('--eventstore-url (or EVENTSTORE_URL) is required for kurrentdb');
        // One KurrentDB holds every service's streams: open it once, read through all their upcasters.
        if (stores.size === 0) {
          const upcasters = combineUpcasters(...ALL_SERVICES.map((s) => s.upcasters ?? NO_UPCASTERS));
          stores.set('kurrentdb', upcastingStore(await openKurrentDbEventStore({ connectionString: options.eventstoreUrl }), upcasters));
        }
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
  await sharedDatabases.get(stores)?.close();
}

/** Every event of a store (after a position, when given), page by page: a tool's read; services follow with subscriptions. */
export async function* readEverything(store: EventStore, categories?: readonly string[], from?: Position): AsyncGenerator<RecordedEvent> {
  let after: Position | undefined = from;
  for (;;) {
    const page = await store.readAll({ maxCount: 2000, ...(after ? { after } : {}), ...(categories ? { categories } : {}) });
    yield* page;
    if (page.length < 2000) return;
    after = page[page.length - 1]!.position;
  }
}

/**
 * How many events of some categories a service's store holds, for a progress bar: PostgreSQL
 * counts them in one query; the embedded store (PGlite, one process's, already open for the read)
 * and KurrentDB (no cheap count per category) answer undefined, and the bar shows a running count.
 * Asked before the stores are opened, it also refuses a store that is not there: opening one
 * creates its schema, and a read-only tool must not leave an empty one behind a mistyped prefix.
 */
export function openEventCounter(options: StoreOptions): { count(service: string, categories: readonly string[]): Promise<number | undefined>; close(): Promise<void> } {
  if (options.store === 'embedded') {
    const dataDir = options.dataDir ?? 'data';
    return {
      count: async (service) => {
        if (!existsSync(join(dataDir, 'PG_VERSION')) && !existsSync(join(dataDir, service))) throw new Error(`No embedded store in ${dataDir} (neither the embedded run's nor ${service}'s own): check --data-dir`);
        return undefined;
      },
      close: async () => undefined,
    };
  }
  if (options.store !== 'postgres' || !options.databaseUrl) return { count: async () => undefined, close: async () => undefined };
  const pool = new Pool({ connectionString: options.databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  return {
    async count(service, categories) {
      const schema = schemaOf(options, service);
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) return undefined;
      const [table] = (await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [`${schema}.events`])).rows;
      if (!table?.found) throw new Error(`No ${service} store in that database (schema ${schema}): check --schema-prefix`);
      const [row] = (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.events WHERE category = ANY($1::text[])`, [categories])).rows;
      return row ? Number(row.n) : undefined;
    },
    close: () => pool.end(),
  };
}
