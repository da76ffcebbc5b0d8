/**
 * Conversions between the port's types and @kurrent/kurrentdb-client's, shared by the KurrentDB
 * adapter's store, checkpoint store and subscription.
 */
import {
  BACKWARDS,
  END,
  START as FROM_START,
  StreamNotFoundError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AppendStreamState,
  type EventData,
  type Filter,
  type JSONEventType,
  type KurrentDBClient,
  type ReadPosition,
  type ReadStreamOptions,
} from '@kurrent/kurrentdb-client';
import type { EventToAppend, ExpectedRevision, JsonObject, Position, RecordedEvent } from '../port';
import { START } from '../port';
import { categoryOf } from '../stream-name';

/** Checkpoints live in streams `checkpoint-<processor>`; readAll and subscriptions hide them unless asked. */
export const CHECKPOINT_CATEGORY = 'checkpoint';

/** The part of a client ResolvedEvent / AllStreamResolvedEvent the adapter reads. */
export interface ClientResolvedEvent {
  readonly event?: {
    readonly id: string;
    readonly type: string;
    readonly streamId: string;
    readonly revision: bigint;
    readonly created: Date;
    readonly data: unknown;
    readonly metadata: unknown;
    readonly position?: { commit: bigint; prepare: bigint };
  };
  readonly commitPosition?: bigint;
}

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected.kind) {
    case 'no_stream':
      return 'no_stream';
    case 'stream_exists':
      return 'stream_exists';
    case 'any':
      return 'any';
    case 'exact':
      return BigInt(expected.revision);
    default: {
      const never: never = expected;
      throw new Error(`Unknown expected revision ${String(never)}`);
    }
  }
}

export function toEventData(event: EventToAppend): EventData {
  return jsonEvent<JSONEventType<string, JsonObject>>({
    id: event.id,
    type: event.type,
    data: event.data,
    ...(event.metadata ? { metadata: event.metadata } : {}),
  });
}

/** START (or any negative commit) reads from the beginning of `$all`. */
export function toReadPosition(position: Position): ReadPosition {
  return position.commit < 0n ? FROM_START : { commit: position.commit, prepare: position.prepare };
}

export function toRecorded(resolved: ClientResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  // Servers before 22.6 give no position for stream reads; `$all` reads always carry one.
  const position =
    event.position ??
    (resolved.commitPosition !== undefined ? { commit: resolved.commitPosition, prepare: resolved.commitPosition } : START);
  return {
    id: event.id,
    type: event.type,
    data: toObject(event.data),
    metadata: toObject(event.metadata),
    streamName: event.streamId,
    revision: Number(event.revision),
    position: { commit: position.commit, prepare: position.prepare },
    recordedAt: event.created,
  };
}

/** Our events always carry JSON objects (validateAppend); anything else can only come from foreign writers. */
function toObject(value: unknown): JsonObject {
  if (value instanceof Uint8Array) {
    try {
      return toObject(JSON.parse(Buffer.from(value).toString('utf8')));
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function isSystemEvent(event: RecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamName.startsWith('$');
}

/** Which events readAll/subscribe hand out: no system events, and only the requested categories. */
export function eventFilter(categories: readonly string[] | undefined): (event: RecordedEvent) => boolean {
  const wanted = categories && categories.length > 0 ? new Set(categories) : undefined;
  return (event) => {
    if (isSystemEvent(event)) return false;
    const category = categoryOf(event.streamName);
    return wanted ? wanted.has(category) : category !== CHECKPOINT_CATEGORY;
  };
}

/** The server-side part of `eventFilter` (the rest is applied client-side). */
export function serverFilter(categories: readonly string[] | undefined): Filter {
  return categories && categories.length > 0
    ? streamNameFilter({ prefixes: categories.map((category) => `${category}-`) })
    : excludeSystemEvents();
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Reads a stream into memory; a missing stream reads as empty. */
export async function readStreamEvents(
  client: KurrentDBClient,
  stream: string,
  options: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  try {
    const resolved = await collect(client.readStream(stream, options));
    return resolved.map(toRecorded).filter((e): e is RecordedEvent => e !== undefined);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

export async function lastRevision(client: KurrentDBClient, stream: string): Promise<number | 'no_stream'> {
  const [last] = await readStreamEvents(client, stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
  return last ? last.revision : 'no_stream';
}

/** `kurrentdb://user:secret@host1:2113,host2:2113?tls=false` → `host1:2113,host2:2113`. */
export function hostsOf(connectionString: string): string {
  const match = /^[a-z0-9+.-]+:\/\/(?:[^@/?]*@)?([^/?]*)/i.exec(connectionString.trim());
  return match?.[1] || '(unparsable connection string)';
}

/** Removes the connection string's credentials from a message that might echo them. */
export function redact(message: string, connectionString: string): string {
  const userInfo = /^[a-z0-9+.-]+:\/\/([^@/?]*)@/i.exec(connectionString.trim())?.[1];
  if (!userInfo) return message;
  const password = userInfo.split(':').slice(1).join(':');
  const secrets = [userInfo, safeDecode(userInfo), password, safeDecode(password)].filter((s) => s.length > 0);
  return secrets.reduce((text, secret) => text.split(secret).join('***'), message);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
