import { decodeRecord, decodeRecordLeniently, encodeMessage, HEADER, UndecodableMessageError, type OutgoingMessage, type TransportRecord } from './envelope';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const outgoing = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  topic: 'oms.orders',
  key: 'order-42',
  eventId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  type: 'OrderPlaced',
  schemaVersion: 3,
  occurredAt: '2025-01-02T03:04:05.678Z',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  payload: { orderId: '42', lines: [{ sku: 'A', qty: 2 }], note: 'ünïcødé ✓', total: 12.5, gift: false, coupon: null },
  ...overrides,
});

const bare = (json: string, headers: Record<string, string> = {}): TransportRecord => ({
  key: 'k',
  value: Buffer.from(json),
  headers,
});

function undecodable(record: TransportRecord): UndecodableMessageError {
  try {
    decodeRecord('t', 0, '7', record, 1);
  } catch (error) {
    expect(error).toBeInstanceOf(UndecodableMessageError);
    expect((error as Error).name).toBe('UndecodableMessageError');
    return error as UndecodableMessageError;
  }
  throw new Error('decodeRecord accepted the record');
}

describe('encodeMessage → decodeRecord', () => {
  it('round-trips key, payload and every envelope header', () => {
    const message = outgoing();
    const record = encodeMessage(message, 'orders-service');
    expect(record.key).toBe('order-42');
    expect(record.headers).toEqual({
      [HEADER.eventId]: message.eventId,
      [HEADER.type]: 'OrderPlaced',
      [HEADER.schemaVersion]: '3',
      [HEADER.occurredAt]: '2025-01-02T03:04:05.678Z',
      [HEADER.correlationId]: 'corr-1',
      [HEADER.causationId]: 'cause-1',
      [HEADER.producer]: 'orders-service',
      [HEADER.contentType]: 'application/json',
    });
    // The value is the payload alone, readable without the envelope.
    expect(JSON.parse(record.value!.toString('utf8'))).toEqual(message.payload);

    const inbound = decodeRecord('oms.orders', 2, '1234', record, 3);
    expect(inbound).toEqual({
      topic: 'oms.orders',
      partition: 2,
      offset: '1234',
      key: 'order-42',
      payload: message.payload,
      headers: record.headers,
      attempt: 3,
      rawValue: record.value,
      envelope: {
        eventId: message.eventId,
        type: 'OrderPlaced',
        schemaVersion: 3,
        occurredAt: '2025-01-02T03:04:05.678Z',
        correlationId: 'corr-1',
        causationId: 'cause-1',
        producer: 'orders-service',
      },
    });
  });

  it('leaves out correlation and causation headers when absent, and decodes them as undefined', () => {
    const { correlationId: _c, causationId: _k, ...rest } = outgoing();
    const record = encodeMessage(rest, 'p');
    expect(record.headers).not.toHaveProperty(HEADER.correlationId);
    expect(record.headers).not.toHaveProperty(HEADER.causationId);
    const { envelope } = decodeRecord('t', 0, '0', record, 1);
    expect(envelope.correlationId).toBeUndefined();
    expect(envelope.causationId).toBeUndefined();
    expect(envelope.eventId).toBe(rest.eventId);
  });

  it('keeps extra headers, but the envelope headers win over them', () => {
    const record = encodeMessage(
      outgoing({ headers: { traceparent: '00-abc-def-01', [HEADER.eventId]: 'spoofed', [HEADER.producer]: 'spoofed' } }),
      'real-producer',
    );
    expect(record.headers['traceparent']).toBe('00-abc-def-01');
    expect(record.headers[HEADER.eventId]).toBe(outgoing().eventId);
    const inbound = decodeRecord('t', 0, '0', record, 1);
    expect(inbound.envelope.producer).toBe('real-producer');
    expect(inbound.headers['traceparent']).toBe('00-abc-def-01');
  });

  it.each([[null], ['plain string'], [0], [[1, 'two', { three: 3 }]]])('round-trips the non-object payload %p', (payload) => {
    const record = encodeMessage(outgoing({ payload }), 'p');
    expect(decodeRecord('t', 0, '0', record, 1).payload).toEqual(payload);
  });
});

describe('decodeRecord of bare JSON without our headers', () => {
  it('derives the event id from topic, partition and offset, deterministically', () => {
    const record = bare('{"n":1}');
    const first = decodeRecord('upstream.orders', 1, '100', record, 1).envelope.eventId;
    expect(first).toMatch(UUID_V5);
    // A redelivery of the same record (even a later attempt, or with another payload) keeps its id.
    expect(decodeRecord('upstream.orders', 1, '100', record, 4).envelope.eventId).toBe(first);
    expect(decodeRecord('upstream.orders', 1, '100', bare('{"n":2}'), 1).envelope.eventId).toBe(first);
    // Any other coordinate gives another id.
    const others = [
      decodeRecord('upstream.orders', 1, '101', record, 1).envelope.eventId,
      decodeRecord('upstream.orders', 2, '100', record, 1).envelope.eventId,
      decodeRecord('upstream.orderz', 1, '100', record, 1).envelope.eventId,
      decodeRecord('upstream.orders', 11, '00', record, 1).envelope.eventId,
    ];
    expect(new Set([first, ...others]).size).toBe(5);
  });

  it('takes the type from a string `type` field of the payload', () => {
    const inbound = decodeRecord('t', 0, '0', bare('{"type":"ShopifyOrderCreated","id":7}'), 1);
    expect(inbound.envelope.type).toBe('ShopifyOrderCreated');
    expect(inbound.payload).toEqual({ type: 'ShopifyOrderCreated', id: 7 });
  });

  it.each(['{"id":7}', '{"type":7}', '{"type":null}', '["type"]', '"type"', 'null', '42'])('types %p as "unknown"', (json) => {
    expect(decodeRecord('t', 0, '0', bare(json), 1).envelope.type).toBe('unknown');
  });

  it('prefers the type header over the payload type', () => {
    const inbound = decodeRecord('t', 0, '0', bare('{"type":"FromPayload"}', { [HEADER.type]: 'FromHeader' }), 1);
    expect(inbound.envelope.type).toBe('FromHeader');
  });

  it('fills the rest of the envelope with defaults', () => {
    const inbound = decodeRecord('t', 0, '0', { key: undefined, value: Buffer.from('{"a":1}'), headers: {} }, 1);
    expect(inbound.key).toBeUndefined();
    expect(inbound.headers).toEqual({});
    expect(inbound.envelope).toMatchObject({
      schemaVersion: 1,
      occurredAt: new Date(0).toISOString(),
      correlationId: undefined,
      causationId: undefined,
      producer: undefined,
    });
  });
});

describe('decodeRecord of records it cannot read', () => {
  it('rejects a null or empty value', () => {
    expect(undecodable({ key: 'k', value: null, headers: {} }).message).toMatch(/Empty message value at t\[0\]@7/);
    expect(undecodable({ key: 'k', value: Buffer.alloc(0), headers: {} }).message).toMatch(/Empty message value/);
  });

  it.each(['{not json', 'undefined', "{'a':1}", '{"a":1', ' ', '\u0000'])('rejects the non-JSON value %p', (text) => {
    expect(undecodable(bare(text)).message).toMatch(/at t\[0\]@7 is not JSON/);
  });
});

describe('schema-version header', () => {
  it.each([
    ['2', 2],
    ['17', 17],
    ['abc', 1],
    ['', 1],
    ['0', 1],
    ['-3', 1],
    ['2.5', 1],
    ['NaN', 1],
    ['Infinity', 1],
  ])('%p decodes as %p', (header, version) => {
    expect(decodeRecord('t', 0, '0', bare('{}', { [HEADER.schemaVersion]: header }), 1).envelope.schemaVersion).toBe(version);
  });

  it('defaults to 1 when absent', () => {
    expect(decodeRecord('t', 0, '0', bare('{}'), 1).envelope.schemaVersion).toBe(1);
  });
});

describe('decodeRecordLeniently', () => {
  it('hands a handler that accepts them the undecodable value with the reason, instead of throwing', () => {
    const record = { key: 'k', value: Buffer.from('{not json'), headers: { 'event-type': 'OrderPlaced' } };
    expect(() => decodeRecord('t', 0, '7', record, 1)).toThrow(UndecodableMessageError);
    const message = decodeRecordLeniently('t', 0, '7', record, 1);
    expect(message.payload).toBeUndefined();
    expect(message.decodeError).toContain('not JSON');
    expect(message.rawValue?.toString()).toBe('{not json');
    expect(message.envelope.type).toBe('OrderPlaced');
    expect(message.envelope.eventId).toBe(decodeRecordLeniently('t', 0, '7', record, 2).envelope.eventId);
  });
});
