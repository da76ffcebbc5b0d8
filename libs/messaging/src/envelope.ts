import { v5 as uuidv5 } from 'uuid';

/**
 * The envelope every message carries, as Kafka headers (the value is the JSON payload alone, so
 * integrators can read it without knowing our envelope). Kafka key = the aggregate id.
 */
export const HEADER = {
  eventId: 'event-id',
  type: 'event-type',
  schemaVersion: 'schema-version',
  occurredAt: 'occurred-at',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  producer: 'producer',
  contentType: 'content-type',
} as const;

export interface MessageEnvelope {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** ISO-8601 UTC. */
  readonly occurredAt: string;
  readonly correlationId: string | undefined;
  readonly causationId: string | undefined;
  readonly producer: string | undefined;
}

/** What a service hands to a publisher. */
export interface OutgoingMessage {
  readonly topic: string;
  /** The aggregate id: Kafka keeps per-key order. */
  readonly key: string;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly payload: unknown;
  /** Extra headers, e.g. trace context. Envelope headers win over these. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a handler receives, whichever transport delivered it. */
export interface InboundMessage {
  readonly topic: string;
  readonly partition: number;
  /** Transport offset as a decimal string. */
  readonly offset: string;
  readonly key: string | undefined;
  readonly envelope: MessageEnvelope;
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** How many times this delivery has been tried so far (1 on the first try). */
  readonly attempt: number;
  /**
   * Set only for handlers registered with `{ acceptUndecodable: true }`: the value could not be
   * read as JSON (payload is then undefined) and the handler decides what to record about it.
   */
  readonly decodeError?: string;
  /** The value as received, for handlers that record rejections. */
  readonly rawValue: Buffer | null;
}

/** A record as it travels: the shape both transports store and the DLQ copies verbatim. */
export interface TransportRecord {
  readonly key: string | undefined;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

const ENVELOPE_NAMESPACE = 'a4f3c1e2-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

export function encodeMessage(message: OutgoingMessage, producer: string): TransportRecord {
  return {
    key: message.key,
    value: Buffer.from(JSON.stringify(message.payload)),
    headers: {
      ...message.headers,
      [HEADER.eventId]: message.eventId,
      [HEADER.type]: message.type,
      [HEADER.schemaVersion]: String(message.schemaVersion),
      [HEADER.occurredAt]: message.occurredAt,
      ...(message.correlationId ? { [HEADER.correlationId]: message.correlationId } : {}),
      ...(message.causationId ? { [HEADER.causationId]: message.causationId } : {}),
      [HEADER.producer]: producer,
      [HEADER.contentType]: 'application/json',
    },
  };
}

export class UndecodableMessageError extends Error {
  override readonly name = 'UndecodableMessageError';
}

/**
 * Reads a record from the wire. Upstream platforms may send bare JSON with none of our headers: the
 * envelope is then filled deterministically (event id from topic/partition/offset, so a redelivery
 * of the same record keeps its id; type from a `type` field when the payload has one).
 */
export function decodeRecord(
  topic: string,
  partition: number,
  offset: string,
  record: TransportRecord,
  attempt: number,
): InboundMessage {
  if (record.value === null || record.value.length === 0) {
    throw new UndecodableMessageError(`Empty message value at ${topic}[${partition}]@${offset}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(record.value.toString('utf8'));
  } catch (error) {
    throw new UndecodableMessageError(
      `Message at ${topic}[${partition}]@${offset} is not JSON: ${(error as Error).message}`,
    );
  }
  const h = record.headers;
  const payloadType =
    payload !== null && typeof payload === 'object' && typeof (payload as { type?: unknown }).type === 'string'
      ? (payload as { type: string }).type
      : undefined;
  return {
    topic,
    partition,
    offset,
    key: record.key,
    payload,
    headers: h,
    attempt,
    rawValue: record.value,
    envelope: envelopeFrom(topic, partition, offset, h, payloadType),
  };
}

/** The message as well as it can be read, for handlers that accept undecodable values. */
export function decodeRecordLeniently(
  topic: string,
  partition: number,
  offset: string,
  record: TransportRecord,
  attempt: number,
): InboundMessage {
  try {
    return decodeRecord(topic, partition, offset, record, attempt);
  } catch (error) {
    if (!(error instanceof UndecodableMessageError)) throw error;
    return {
      topic,
      partition,
      offset,
      key: record.key,
      payload: undefined,
      headers: record.headers,
      attempt,
      rawValue: record.value,
      decodeError: error.message,
      envelope: envelopeFrom(topic, partition, offset, record.headers, undefined),
    };
  }
}

function envelopeFrom(
  topic: string,
  partition: number,
  offset: string,
  h: Readonly<Record<string, string>>,
  payloadType: string | undefined,
): MessageEnvelope {
  const version = Number(h[HEADER.schemaVersion] ?? '1');
  return {
    eventId: h[HEADER.eventId] ?? uuidv5(`${topic}/${partition}/${offset}`, ENVELOPE_NAMESPACE),
    type: h[HEADER.type] ?? payloadType ?? 'unknown',
    schemaVersion: Number.isInteger(version) && version > 0 ? version : 1,
    occurredAt: h[HEADER.occurredAt] ?? new Date(0).toISOString(),
    correlationId: h[HEADER.correlationId],
    causationId: h[HEADER.causationId],
    producer: h[HEADER.producer],
  };
}
