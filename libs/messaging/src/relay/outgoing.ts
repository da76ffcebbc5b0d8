import type { RecordedEvent } from '@oms/event-store';
import type { OutgoingMessage } from '../envelope';

/**
 * The message a relay publishes for a stored event: its id becomes the message's event id (so a
 * re-publish is recognisable downstream), its causation and correlation come from its metadata
 * (the correlation defaults to the key), its time from when it was recorded, and the trace it was
 * written in goes on as the `traceparent` header.
 */
export function outgoingFrom(event: RecordedEvent, topic: string, key: string, type: string, payload: object, schemaVersion = 1): OutgoingMessage {
  const causationId = event.metadata['causationId'];
  const correlationId = event.metadata['correlationId'];
  const traceparent = event.metadata['traceparent'];
  return {
    topic,
    key,
    eventId: event.id,
    type,
    schemaVersion,
    occurredAt: event.recordedAt.toISOString(),
    correlationId: typeof correlationId === 'string' ? correlationId : key,
    ...(typeof causationId === 'string' ? { causationId } : {}),
    payload,
    ...(typeof traceparent === 'string' ? { headers: { traceparent } } : {}),
  };
}
