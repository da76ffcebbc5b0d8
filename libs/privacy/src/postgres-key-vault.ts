import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { assertSubjectId, SubjectErasedError, type Erasure, type KeyVault, type SubjectKey } from './key-vault';
import { SUBJECT_KEY_BYTES } from './sealing';

export interface PostgresKeyVaultOptions {
  readonly connectionString: string;
  /** Its own schema in the database (default `privacy`), shared by every service that seals or opens. */
  readonly schema?: string;
  readonly poolSize?: number;
}

type Row = { key: Buffer | null; erased_at: Date | null };

const identifier = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid key vault schema "${name}": use lower-case letters, digits and underscores`);
  return name;
};

/**
 * Subject keys in PostgreSQL: one row per subject. Erasure sets the key to NULL and keeps the row
 * (with the time) as a tombstone, so the subject stays erased. The old row version stays on disk
 * until VACUUM reclaims it, and in WAL and backups for their retention: those bound how long an
 * erased key can still be recovered by someone with the database's files.
 */
export class PostgresKeyVault implements KeyVault {
  readonly kind: KeyVault['kind'] = 'postgres';

  private constructor(
    private readonly pool: Pool,
    private readonly table: string,
  ) {}

  static async open(options: PostgresKeyVaultOptions): Promise<PostgresKeyVault> {
    const schema = identifier(options.schema ?? 'privacy');
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4 });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    const client = await pool.connect().catch(async (error: unknown) => {
      await pool.end().catch(() => undefined);
      throw error;
    });
    try {
      await client.query('BEGIN');
      // Several services start at once against one database: one of them creates the table.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`key-vault:${schema}`]);
      await client.query(`
        CREATE SCHEMA IF NOT EXISTS ${schema};
        CREATE TABLE IF NOT EXISTS ${schema}.subject_keys (
          subject_id uuid PRIMARY KEY,
          key        bytea,
          created_at timestamptz NOT NULL DEFAULT now(),
          erased_at  timestamptz,
          CHECK ((key IS NULL) = (erased_at IS NOT NULL))
        );`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      await pool.end().catch(() => undefined);
      throw error;
    }
    client.release();
    return new PostgresKeyVault(pool, `${schema}.subject_keys`);
  }

  async keyFor(subjectId: string): Promise<Buffer> {
    assertSubjectId(subjectId);
    // A concurrent first use of the same subject commits after this statement's snapshot: the
    // insert then does nothing and the read sees nothing yet, so the next statement reads it.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { rows } = await this.pool.query<Row>(
        `WITH created AS (
           INSERT INTO ${this.table} (subject_id, key) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING RETURNING key, erased_at
         )
         SELECT key, erased_at FROM created
         UNION ALL
         SELECT key, erased_at FROM ${this.table} WHERE subject_id = $1
         LIMIT 1`,
        [subjectId, randomBytes(SUBJECT_KEY_BYTES)],
      );
      const row = rows[0];
      if (row?.key) return row.key;
      if (row) throw new SubjectErasedError(subjectId);
    }
    throw new Error(`No key for subject ${subjectId} after three attempts`);
  }

  async lookup(subjectId: string): Promise<SubjectKey> {
    const { rows } = await this.pool.query<Row>(`SELECT key, erased_at FROM ${this.table} WHERE subject_id = $1`, [assertSubjectId(subjectId)]);
    const row = rows[0];
    if (!row) return { status: 'unknown' };
    return row.key ? { status: 'active', key: row.key } : { status: 'erased', erasedAt: row.erased_at!.toISOString() };
  }

  async erase(subjectId: string, at: Date): Promise<Erasure> {
    assertSubjectId(subjectId);
    const { rows } = await this.pool.query<{ erased_at: Date; already: boolean }>(
      `WITH before AS (SELECT erased_at FROM ${this.table} WHERE subject_id = $1)
       INSERT INTO ${this.table} AS k (subject_id, key, erased_at) VALUES ($1, NULL, $2)
       ON CONFLICT (subject_id) DO UPDATE SET key = NULL, erased_at = COALESCE(k.erased_at, EXCLUDED.erased_at)
       RETURNING k.erased_at, COALESCE((SELECT erased_at IS NOT NULL FROM before), false) AS already`,
      [subjectId, at],
    );
    const row = rows[0]!;
    return { subjectId, erasedAt: row.erased_at.toISOString(), alreadyErased: row.already };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
