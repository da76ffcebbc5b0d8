import type { RecordedEvent } from '@oms/event-store';
import { outgoingFrom } from './outgoing';

const recorded = (metadata: Record<string, string>): RecordedEvent => ({
  id: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
  type: 'OrderAccepted',
  data: {},
  metadata,
  streamName: 'order-1',
  revision: 0,
  position: { commit: 1n, prepare: 1n },
  recordedAt: new Date('2026-11-25T10:00:00.000Z'),
});

describe('the message a relay publishes for a stored event', () => {
  it('carries the event’s trace on as the traceparent header, with its causation and correlation', () => {
    const message = outgoingFrom(recorded({ causationId: 'evt-0', correlationId: 'order-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }), 'oms.orders.v1', 'order-1', 'OrderAccepted', {});
    expect(message).toMatchObject({ eventId: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', causationId: 'evt-0', correlationId: 'order-1', headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
  });

  it('has no trace header for an event written outside any trace', () => {
    expect(outgoingFrom(recorded({}), 'oms.orders.v1', 'order-1', 'OrderAccepted', {}).headers).toBeUndefined();
  });
});
