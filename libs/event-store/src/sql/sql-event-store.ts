import { EventEmitter } from 'node:events';
import { CheckpointConflictError, IdempotencyViolationError, WrongExpectedRevisionError, expectationHolds } from '../errors';
import { pollingSubscription } from '../polling-subscription';
import type {
  AppendResult,
  CheckpointStore,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  JsonObject,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoredCheckpoint,
  Subscription,
  SubscriptionOptions,
} from '../port';
import { START } from '../port';
import { assertSafeIdentifier, schemaSql } from '../postgres/schema';
import { categoryOf } from '../stream-name';
import { validateAppend } from '../validate-append';

/** The little a SQL event store needs from a driver: `pg` and PGlite both fit behind it. */
export interface SqlExecutor {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs the schema script once, safely against concurrent starters. */
  migrate(script: string, lockKey: string): Promise<void>;
  close(): Promise<void>;
}

/** A driver error, in the shape both `pg` and PGlite give it. */
interface DbError {
  code?: string;
  hint?: string;
  detail?: string;
  constraint?: string;
}

interface EventRow {
  event_id: string;
  event_type: string;
  data: JsonObject;
  metadata: JsonObject;
  stream_name: string;
  stream_revision: string | number | bigint;
  commit_position: string | number | bigint;
  global_position: string | number | bigint;
  recorded_at: Date | string;
}

export interface SqlEventStoreOptions {
  readonly schema?: string;
  /** Longest pause between two polls of an idle subscription. */
  readonly subscriptionMaxIdleMs?: number;
}

const toBigInt = (value: string | number | bigint): bigint => (typeof value === 'bigint' ? value : BigInt(value));
const positionParams = (p: Position): [string, string] => [(p.commit < 0n ? 0n : p.commit).toString(), p.prepare.toString()];

export class SqlEventStore implements EventStore {
  readonly checkpoints: CheckpointStore;
  private readonly schema: string;
  private readonly appended = new EventEmitter();
  private readonly maxIdleMs: number;
  private readonly selectColumns =
    'event_id::text AS event_id, event_type, data, metadata, stream_name, stream_revision, transaction_id::text AS commit_position, global_position, recorded_at';

  private constructor(
    readonly name: string,
    private readonly db: SqlExecutor,
    options: SqlEventStoreOptions,
  ) {
    this.schema = assertSafeIdentifier(options.schema ?? 'event_store');
    this.maxIdleMs = options.subscriptionMaxIdleMs ?? 100;
    this.appended.setMaxListeners(0);
    this.checkpoints = new SqlCheckpointStore(db, this.schema);
  }

  static async open(name: string, db: SqlExecutor, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const store = new SqlEventStore(name, db, options);
    await db.migrate(schemaSql(store.schema), `oms-event-store:${store.schema}`);
    return store;
  }

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(stream, events, expected);
    if (events.length === 0) return this.appendNothing(stream, expected);
    const payload = JSON.stringify(
      events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata ?? {} })),
    );
    const expectedRevision = expected.kind === 'exact' ? expected.revision : null;
    try {
      const [row] = await this.db.query<{ next_revision: string; commit_position: string; prepare_position: string }>(
        `SELECT next_revision, commit_position, prepare_position FROM ${this.schema}.append_events($1, $2, $3, $4, $5::jsonb)`,
        [stream, categoryOf(stream), expected.kind, expectedRevision, payload],
      );
      this.appended.emit('appended');
      return {
        nextExpectedRevision: Number(row!.next_revision),
        position: { commit: toBigInt(row!.commit_position), prepare: toBigInt(row!.prepare_position) },
        idempotent: false,
      };
    } catch (error) {
      const dbError = error as DbError;
      const wrongRevision = dbError.hint === 'OMS_WRONG_EXPECTED_REVISION';
      if (!wrongRevision && dbError.code !== '23505') throw error;
      // A conflict may be a retry of an append that already landed: then it is a success.
      const replay = await this.findAppended(stream, events);
      if (replay) return replay;
      if (wrongRevision) {
        const actual = dbError.detail === 'no_stream' || dbError.detail === undefined ? 'no_stream' : Number(dbError.detail);
        throw new WrongExpectedRevisionError(stream, expected, actual);
      }
      if (dbError.constraint?.includes('stream_name')) {
        // Two appends with `any` raced for the same revision slot; report as a concurrency conflict.
        throw new WrongExpectedRevisionError(stream, expected, await this.currentRevision(stream));
      }
      throw new IdempotencyViolationError(stream, events.map((e) => e.id));
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const rows = await this.db.query<EventRow>(
      `SELECT ${this.selectColumns} FROM ${this.schema}.events
        WHERE stream_name = $1 AND stream_revision ${backwards ? '<=' : '>='} $2
        ORDER BY stream_revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, from, Math.min(limit, 2 ** 31 - 1)],
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const [commit, prepare] = positionParams(options.after ?? START);
    const limit = Math.min(options.maxCount ?? 1000, 2 ** 31 - 1);
    const params: unknown[] = [commit, prepare, limit];
    let categoryFilter = '';
    if (options.categories && options.categories.length > 0) {
      params.push(options.categories);
      categoryFilter = `AND category = ANY($4::text[])`;
    }
    const rows = await this.db.query<EventRow>(
      `SELECT ${this.selectColumns} FROM ${this.schema}.events
        WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          AND (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          ${categoryFilter}
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      params,
    );
    return rows.map(toRecorded);
  }

  subscribe(options: SubscriptionOptions): Subscription {
    return pollingSubscription(
      (o) => this.readAll(o),
      {
        onAppended: (listener) => {
          this.appended.on('appended', listener);
          return () => this.appended.off('appended', listener);
        },
      },
      options,
      { maxIdleMs: this.maxIdleMs },
    );
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
    await this.db.close();
  }

  private async appendNothing(stream: string, expected: ExpectedRevision): Promise<AppendResult> {
    const actual = await this.currentRevision(stream);
    if (!expectationHolds(expected, actual)) throw new WrongExpectedRevisionError(stream, expected, actual);
    return { nextExpectedRevision: actual === 'no_stream' ? -1 : actual, position: START, idempotent: true };
  }

  private async currentRevision(stream: string): Promise<number | 'no_stream'> {
    const [row] = await this.db.query<{ revision: string }>(
      `SELECT revision FROM ${this.schema}.streams WHERE stream_name = $1`,
      [stream],
    );
    return row ? Number(row.revision) : 'no_stream';
  }

  /** The earlier append of exactly these events, in this order, to this stream — if there was one. */
  private async findAppended(stream: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    const ids = events.map((e) => e.id.toLowerCase());
    const rows = await this.db.query<EventRow>(
      `SELECT ${this.selectColumns} FROM ${this.schema}.events WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`,
      [ids],
    );
    if (rows.length === 0) return undefined;
    const sameBatch =
      rows.length === ids.length &&
      rows.every((row, i) => row.stream_name === stream && row.event_id === ids[i]) &&
      rows.every((row, i) => i === 0 || Number(row.stream_revision) === Number(rows[i - 1]!.stream_revision) + 1);
    if (!sameBatch) throw new IdempotencyViolationError(stream, rows.map((r) => r.event_id));
    const last = toRecorded(rows[rows.length - 1]!);
    const current = await this.currentRevision(stream);
    return {
      nextExpectedRevision: current === 'no_stream' ? last.revision : current,
      position: last.position,
      idempotent: true,
    };
  }
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    streamName: row.stream_name,
    revision: Number(row.stream_revision),
    position: { commit: toBigInt(row.commit_position), prepare: toBigInt(row.global_position) },
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}

class SqlCheckpointStore implements CheckpointStore {
  constructor(
    private readonly db: SqlExecutor,
    private readonly schema: string,
  ) {}

  async load(processor: string): Promise<StoredCheckpoint | undefined> {
    const [row] = await this.db.query<{ commit_position: string; prepare_position: string; version: number }>(
      `SELECT commit_position, prepare_position, version FROM ${this.schema}.checkpoints WHERE processor = $1`,
      [processor],
    );
    if (!row) return undefined;
    return {
      position: { commit: toBigInt(row.commit_position), prepare: toBigInt(row.prepare_position) },
      version: Number(row.version),
    };
  }

  async store(processor: string, position: Position, expectedVersion: number | undefined): Promise<StoredCheckpoint> {
    const params = [processor, position.commit.toString(), position.prepare.toString()];
    const rows =
      expectedVersion === undefined
        ? await this.db.query<{ version: number }>(
            `INSERT INTO ${this.schema}.checkpoints (processor, commit_position, prepare_position, version)
             VALUES ($1, $2, $3, 1) ON CONFLICT (processor) DO NOTHING RETURNING version`,
            params,
          )
        : await this.db.query<{ version: number }>(
            `UPDATE ${this.schema}.checkpoints
                SET commit_position = $2, prepare_position = $3, version = version + 1, updated_at = now()
              WHERE processor = $1 AND version = $4 RETURNING version`,
            [...params, expectedVersion],
          );
    if (rows.length === 0) throw new CheckpointConflictError(processor, expectedVersion);
    return { position, version: Number(rows[0]!.version) };
  }
}
