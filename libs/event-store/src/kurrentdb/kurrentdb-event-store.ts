import { withTimeout } from '@oms/support';
/**
 * The event store on KurrentDB (formerly EventStoreDB), through @kurrent/kurrentdb-client.
 *
 * Positions: KurrentDB's own `$all` (commit, prepare) log positions, unchanged (for an event written
 * by a plain append both equal its log position); START (-1, -1) maps to the client's 'start'.
 * KurrentDB reads `$all` *inclusively* from a position, so readAll drops everything at or before
 * `after` itself. An append reports the position of its last event, as the SQL stores do.
 *
 * Expected revisions map one to one (no_stream, stream_exists, exact → bigint, any).
 *
 * Idempotency: KurrentDB itself turns a re-append of the same event ids into a no-op success when
 * they sit right after the expected revision (and, best effort, with `any`); it then answers with
 * the revision of the original events. We read the stream's head before every append, so a success
 * whose revision is not beyond that head wrote nothing → `idempotent: true`, with the original
 * events' position. When the server instead reports a wrong expected version, we look for the ids in
 * the stream: all of them, consecutive and in order → idempotent success; some → IdempotencyViolation-
 * Error; none → WrongExpectedRevisionError. Unlike the SQL stores, ids are only unique per stream here:
 * reusing an id in another stream goes unnoticed. Cost: an append is 2 round trips (3 for a batch
 * of several events, whose last position is read back), against 1 for the SQL stores.
 */
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START as FROM_START,
  WrongExpectedVersionError,
  type AppendResult as ClientAppendResult,
} from '@kurrent/kurrentdb-client';
import { IdempotencyViolationError, WrongExpectedRevisionError, expectationHolds } from '../errors';
import type {
  AppendResult,
  CheckpointStore,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Subscription,
  SubscriptionOptions,
} from '../port';
import { START } from '../port';
import { comparePositions } from '../position';
import { validateAppend } from '../validate-append';
import { KurrentDbCheckpointStore } from './kurrentdb-checkpoint-store';
import { kurrentDbSubscription } from './kurrentdb-subscription';
import {
  collect,
  eventFilter,
  hostsOf,
  lastRevision,
  readStreamEvents,
  redact,
  serverFilter,
  toEventData,
  toReadPosition,
  toRecorded,
  toStreamState,
} from './mapping';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://admin:changeit@localhost:2113?tls=false`; `$all` reads need an admin or ops user. */
  readonly connectionString: string;
  /** How long open() and ping() wait for the server. Default 5000 ms. */
  readonly timeoutMs?: number;
}

/** Page size when searching a stream for the ids of a conflicting append. */
const SCAN_PAGE = 200;

export class KurrentDbEventStore implements EventStore {
  readonly name = 'kurrentdb';
  readonly checkpoints: CheckpointStore;
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly client: KurrentDBClient,
    private readonly timeoutMs = 5000,
  ) {
    this.checkpoints = new KurrentDbCheckpointStore(client);
  }

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(stream, events, expected);
    const before = await lastRevision(this.client, stream);
    if (events.length === 0) return appendNothing(stream, expected, before);
    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(stream, events.map(toEventData), { streamState: toStreamState(expected) });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const actual = typeof error.actualState === 'bigint' ? Number(error.actualState) : 'no_stream';
      return this.resolveConflict(stream, events, expected, actual);
    }
    // `success` is false only with `throwOnAppendFailure=false` in the connection string.
    if (!result.success) return this.resolveConflict(stream, events, expected, await lastRevision(this.client, stream));
    const next = Number(result.nextExpectedRevision);
    if (before !== 'no_stream' && next <= before) {
      // The server recognised the ids as already appended and wrote nothing.
      return (
        (await this.findAppended(stream, events)) ?? {
          nextExpectedRevision: before,
          position: result.position ?? START,
          idempotent: true,
        }
      );
    }
    // The server answers (commit, commit) of the write. Each event of a write sits at (p, p) for its
    // own log position p, so for one event that is its position; for a batch, read the last one's.
    const position = events.length === 1 && result.position ? result.position : await this.positionAt(stream, next);
    return { nextExpectedRevision: next, position, idempotent: false };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    if ((options.maxCount !== undefined && options.maxCount <= 0) || (backwards && from !== undefined && from < 0)) return [];
    return readStreamEvents(this.client, stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: from === undefined ? (backwards ? END : FROM_START) : BigInt(Math.max(0, from)),
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? 1000;
    if (maxCount <= 0) return [];
    const include = eventFilter(options.categories);
    const filter = serverFilter(options.categories);
    let after: Position = options.after ?? START;
    const events: RecordedEvent[] = [];
    for (;;) {
      // +1: the read starts *at* `after`, which we skip. Pages can also shrink client-side (system
      // events, checkpoint streams), so keep reading until the page comes back short.
      const pageSize = maxCount - events.length + 1;
      const page = await collect(this.client.readAll({ fromPosition: toReadPosition(after), maxCount: pageSize, filter }));
      for (const event of page.map(toRecorded)) {
        if (!event || comparePositions(event.position, after) <= 0) continue;
        after = event.position;
        if (include(event)) events.push(event);
        if (events.length === maxCount) return events;
      }
      if (page.length < pageSize) return events;
    }
  }

  subscribe(options: SubscriptionOptions): Subscription {
    const subscription = kurrentDbSubscription(this.client, (o) => this.readAll(o), options);
    this.subscriptions.add(subscription);
    void subscription.stopped.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async ping(): Promise<void> {
    await withTimeout(
      collect(this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })),
      this.timeoutMs,
      'KurrentDB',
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private async resolveConflict(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    actual: number | 'no_stream',
  ): Promise<AppendResult> {
    // A conflict may be a retry of an append that already landed: then it is a success.
    const replay = await this.findAppended(stream, events);
    if (replay) return replay;
    throw new WrongExpectedRevisionError(stream, expected, actual);
  }

  /**
   * The earlier append of exactly these events, in this order, to this stream — if there was one.
   * Scans the stream backwards (streams are aggregates: short) until the batch's first id shows up.
   */
  private async findAppended(stream: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    const index = new Map(events.map((e, i) => [e.id.toLowerCase(), i]));
    const found: (RecordedEvent | undefined)[] = new Array(events.length).fill(undefined);
    let head: number | undefined;
    let from: bigint | typeof END = END;
    for (;;) {
      const page = await readStreamEvents(this.client, stream, { direction: BACKWARDS, fromRevision: from, maxCount: SCAN_PAGE });
      for (const event of page) {
        head ??= event.revision;
        const i = index.get(event.id.toLowerCase());
        if (i !== undefined && !found[i]) found[i] = event;
      }
      const oldest = page[page.length - 1];
      if (found[0] || !oldest || page.length < SCAN_PAGE || oldest.revision === 0) break;
      from = BigInt(oldest.revision - 1);
    }
    const hits = found.filter((e): e is RecordedEvent => e !== undefined);
    if (hits.length === 0) return undefined;
    const sameBatch =
      hits.length === events.length && hits.every((e, i) => i === 0 || e.revision === hits[i - 1]!.revision + 1);
    if (!sameBatch) throw new IdempotencyViolationError(stream, hits.map((e) => e.id));
    const last = hits[hits.length - 1]!;
    return { nextExpectedRevision: head ?? last.revision, position: last.position, idempotent: true };
  }

  /** The `$all` position of the event at `revision`. */
  private async positionAt(stream: string, revision: number): Promise<Position> {
    const [event] = await readStreamEvents(this.client, stream, { direction: FORWARDS, fromRevision: BigInt(revision), maxCount: 1 });
    return event?.position ?? START;
  }
}

function appendNothing(stream: string, expected: ExpectedRevision, actual: number | 'no_stream'): AppendResult {
  if (!expectationHolds(expected, actual)) throw new WrongExpectedRevisionError(stream, expected, actual);
  return { nextExpectedRevision: actual === 'no_stream' ? -1 : actual, position: START, idempotent: true };
}


/**
 * Connects and makes one cheap read, so a wrong address or an unreachable server fails here, with
 * an error naming the host(s) but never the credentials.
 */
export async function openKurrentDbEventStore(options: KurrentDbEventStoreOptions): Promise<EventStore> {
  const { connectionString } = options;
  const where = hostsOf(connectionString);
  const message = (error: unknown) => redact(error instanceof Error ? error.message : String(error), connectionString);
  let client: KurrentDBClient;
  try {
    client = KurrentDBClient.connectionString(connectionString);
  } catch (error) {
    throw new Error(`Invalid KurrentDB connection string for ${where}: ${message(error)}`);
  }
  const store = new KurrentDbEventStore(client, options.timeoutMs);
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => undefined);
    const hint = (error as { type?: unknown }).type === 'unavailable' ? ' (is it running, and do host, port and tls= match?)' : '';
    throw new Error(`Cannot reach KurrentDB at ${where}: ${message(error)}${hint}`);
  }
  return store;
}
