import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { SqlEventStore, type SqlEventStoreOptions, type SqlExecutor } from '../sql/sql-event-store';

export interface EmbeddedEventStoreOptions extends SqlEventStoreOptions {
  /** Folder the database persists to; omit for an in-memory store that vanishes with the process. */
  readonly dataDir?: string;
}

class PGliteExecutor implements SqlExecutor {
  constructor(
    private readonly db: PGlite,
    private readonly owned: boolean,
  ) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.db.query<Row>(sql, params as unknown[]);
    return result.rows;
  }

  async migrate(script: string): Promise<void> {
    // PGlite is a single connection: nothing can race the migration.
    await this.db.exec(script);
  }

  async close(): Promise<void> {
    if (this.owned && !this.db.closed) await this.db.close();
  }
}

/**
 * One PGlite database (PostgreSQL compiled to WASM, in-process, persisted to a folder) that several
 * services of the embedded run share, each with its own schema, as each would own its own store.
 */
export class EmbeddedDatabase {
  private constructor(private readonly db: PGlite) {}

  static async open(dataDir?: string): Promise<EmbeddedDatabase> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = dataDir ? new PGlite(dataDir) : new PGlite();
    await db.waitReady;
    return new EmbeddedDatabase(db);
  }

  /** A store in `schema`; closing it leaves the shared database open. */
  openStore(options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    return SqlEventStore.open('embedded', new PGliteExecutor(this.db, false), options);
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

/** The event store in-process with no server, running exactly the PostgreSQL adapter's SQL. */
export async function openEmbeddedEventStore(options: EmbeddedEventStoreOptions = {}): Promise<SqlEventStore> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await db.waitReady;
  return SqlEventStore.open('embedded', new PGliteExecutor(db, true), options);
}
