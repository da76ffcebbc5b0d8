/**
 * The event-store port. Every adapter (PostgreSQL, embedded PGlite, KurrentDB) implements it and
 * passes the same contract suite (`testing/event-store.contract.ts`).
 */

/** Where an append expects the stream to be. There is deliberately no default. */
export type ExpectedRevision =
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'exact'; readonly revision: number }
  | { readonly kind: 'any' };

export const NO_STREAM: ExpectedRevision = Object.freeze({ kind: 'no_stream' });
export const STREAM_EXISTS: ExpectedRevision = Object.freeze({ kind: 'stream_exists' });
export const ANY_REVISION: ExpectedRevision = Object.freeze({ kind: 'any' });
export const atRevision = (revision: number): ExpectedRevision => ({ kind: 'exact', revision });

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** An event to append. `id` is a UUID; appending the same ids again to the same stream is a no-op. */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata?: JsonObject;
}

/**
 * A position in the store's global order. Two numbers, compared as a pair (commit, then prepare):
 * KurrentDB's own commit/prepare positions, and for PostgreSQL (transaction id, sequence), which is
 * what makes the order gap-safe (see postgres/schema.ts).
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly streamName: string;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  readonly position: Position;
  readonly recordedAt: Date;
}

export interface AppendResult {
  /** The stream's revision after the append: pass it as `atRevision(..)` to the next append. */
  readonly nextExpectedRevision: number;
  readonly position: Position;
  /** True when every event id was already in the stream and nothing was written. */
  readonly idempotent: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards defaults to 0, backwards to the end. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Defaults to START. */
  readonly after?: Position;
  readonly maxCount?: number;
  /** Only streams `<category>-…`. */
  readonly categories?: readonly string[];
}

export interface SubscriptionOptions extends Omit<ReadAllOptions, 'maxCount'> {
  /** Called for each batch in order. The next batch is read only once this promise resolves. */
  readonly onEvents: (events: readonly RecordedEvent[]) => Promise<void>;
  /** A batch handler threw: the subscription stops and reports here. */
  readonly onError?: (error: unknown) => void;
  readonly batchSize?: number;
}

export interface Subscription {
  /** Resolves when the subscription has caught up with the store at least once. */
  readonly caughtUp: Promise<void>;
  /** Stops following; resolves after the batch in progress (if any) finished. */
  stop(): Promise<void>;
  readonly stopped: Promise<void>;
}

export interface EventStore {
  readonly name: string;
  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribe(options: SubscriptionOptions): Subscription;
  /** Durable checkpoints for processors (relays, projections), written with optimistic concurrency. */
  readonly checkpoints: CheckpointStore;
  /** Cheap round trip for readiness probes. Throws when the store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoredCheckpoint {
  readonly position: Position;
  /** Opaque version for optimistic concurrency between two processors with the same name. */
  readonly version: number;
}

export interface CheckpointStore {
  load(processor: string): Promise<StoredCheckpoint | undefined>;
  /**
   * Moves the checkpoint. `expectedVersion` is the version loaded (undefined when none was stored).
   * Throws CheckpointConflictError when another instance moved it meanwhile.
   */
  store(processor: string, position: Position, expectedVersion: number | undefined): Promise<StoredCheckpoint>;
}
