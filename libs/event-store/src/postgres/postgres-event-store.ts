import { Pool, type PoolConfig } from 'pg';
import { SqlEventStore, type SqlEventStoreOptions, type SqlExecutor } from '../sql/sql-event-store';

export interface PostgresEventStoreOptions extends SqlEventStoreOptions {
  readonly connectionString: string;
  /** Connections in the pool; appends from several connections run concurrently. */
  readonly poolSize?: number;
  readonly pool?: Omit<PoolConfig, 'connectionString' | 'max'>;
}

class PgExecutor implements SqlExecutor {
  constructor(private readonly pool: Pool) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as Row[];
  }

  async migrate(script: string, lockKey: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Several services may start at once against one database: one of them creates the schema.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
      await client.query(script);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The event store on a PostgreSQL server (13+: needs xid8 and pg_current_snapshot). */
export async function openPostgresEventStore(options: PostgresEventStoreOptions): Promise<SqlEventStore> {
  const pool = new Pool({
    ...options.pool,
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    return await SqlEventStore.open('postgres', new PgExecutor(pool), options);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
