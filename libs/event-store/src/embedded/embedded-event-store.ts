import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { SqlEventStore, type SqlEventStoreOptions, type SqlExecutor } from '../sql/sql-event-store';

export interface EmbeddedEventStoreOptions extends SqlEventStoreOptions {
  /** Folder the database persists to; omit for an in-memory store that vanishes with the process. */
  readonly dataDir?: string;
}

class PGliteExecutor implements SqlExecutor {
  constructor(private readonly db: PGlite) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.db.query<Row>(sql, params as unknown[]);
    return result.rows;
  }

  async migrate(script: string): Promise<void> {
    // PGlite is a single connection: nothing can race the migration.
    await this.db.exec(script);
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

/**
 * The event store in-process, with no server: PGlite (PostgreSQL compiled to WASM) running exactly
 * the PostgreSQL adapter's SQL, persisted to a folder. For the one-command local run.
 */
export async function openEmbeddedEventStore(options: EmbeddedEventStoreOptions = {}): Promise<SqlEventStore> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await db.waitReady;
  return SqlEventStore.open('embedded', new PGliteExecutor(db), options);
}
