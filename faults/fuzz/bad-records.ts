import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { mutant, toJsonText, type JsonSchema, type Schemas } from './schema-mutants';

/** The header that ties a dead letter back to the bad record (the DLQ keeps every header). */
export const FUZZ_ID_HEADER = 'fuzz-input-id';

export type RecordKind =
  | 'not JSON'
  | 'tombstone'
  | 'empty value'
  | 'wrong types'
  | 'missing fields'
  | 'known type, garbage payload'
  | 'schema mutant'
  | 'unknown type'
  | 'no envelope headers'
  | 'garbled envelope headers'
  | 'oversized'
  | 'deep nesting'
  | 'prototype keys';

type HeaderValue = string | Buffer | (string | Buffer)[];

export interface BadRecord {
  readonly topic: string;
  readonly kind: RecordKind;
  readonly fuzzId: string;
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** What the record is meant to be wrong about (a mutant names its one violation). */
  readonly note: string;
}

/** What the transport will make of a record: whether its value is JSON, and the envelope's type and id. */
export interface EnvelopeView {
  readonly json: boolean;
  readonly type: string;
  /** The `event-id` header, when the record has one (else the id is derived from its offset). */
  readonly eventId: string | undefined;
}

/** Reads a record the way `decodeRecord` (libs/messaging) does: header values are UTF-8, the last of repeats wins. */
export function envelopeView(record: BadRecord): EnvelopeView {
  const header = (name: string): string | undefined => {
    const v = record.headers[name];
    if (v === undefined) return undefined;
    const last = Array.isArray(v) ? v[v.length - 1]! : v;
    return Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  };
  const raw = record.value === null ? null : Buffer.isBuffer(record.value) ? record.value : Buffer.from(record.value, 'utf8');
  let payload: unknown;
  let json = raw !== null && raw.length > 0;
  if (json) {
    try {
      payload = JSON.parse(raw!.toString('utf8'));
    } catch {
      json = false;
    }
  }
  const payloadType = payload !== null && typeof payload === 'object' && typeof (payload as { type?: unknown }).type === 'string' ? (payload as { type: string }).type : undefined;
  return { json, type: header('event-type') ?? payloadType ?? 'unknown', eventId: header('event-id') };
}

/** Values no JSON parser takes. */
const notJson: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => {
    const text = JSON.stringify({ orderId: 'x', v });
    return text.slice(0, Math.max(1, text.length - 3));
  }),
  fc.constantFrom('NaN', '{"a":1}{"b":2}', "{'single': 'quotes'}", '{"a":}', '[1,2,', 'undefined', '\ufeff{"orderId":"x"}', '{"amount": NaN}', '<order><id>1</id></order>', 'ISA*00*          *00*'),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b)])),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).map((s) => `~${s}`),
);

/** Ids and amounts of every reader's schema, each of the wrong type. */
const wrongTypes = fc.record({
  orderId: fc.constantFrom<unknown>(42, true, ['x'], { id: 1 }),
  poId: fc.constantFrom<unknown>(7, false, []),
  supplierId: fc.constantFrom<unknown>(3.5, {}, [1]),
  nodeId: fc.constantFrom<unknown>(0, null, {}),
  returnId: fc.constantFrom<unknown>(-1, []),
  shipmentId: fc.constantFrom<unknown>(9, {}),
  pingId: fc.constantFrom<unknown>(1, 'not-a-uuid'),
  lines: fc.constantFrom<unknown>('all of them', 7, { lineId: 'l1' }),
  quantity: fc.constantFrom<unknown>('7', -1, 1.5),
  amount: fc.constantFrom<unknown>('NaN', -100, 0.5, '1e400'),
  currency: fc.constantFrom<unknown>(7, 'usd dollars', ''),
  at: fc.constantFrom<unknown>('yesterday', 12, '2024-02-30T25:61:00Z'),
});

/** Objects lacking what every reader requires (at most an id, never the rest). */
const missingFields = fc.oneof(
  fc.constant({}),
  fc.uuid().map((orderId) => ({ orderId })),
  fc.uuid().map((id) => ({ supplierId: id, nodeId: id })),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
);

const garbagePayload = fc.oneof(fc.jsonValue({ maxDepth: 3 }), wrongTypes, missingFields);

const deep = fc.integer({ min: 2_000, max: 8_000 }).map((n) => `{"orderId":${'['.repeat(n)}1${']'.repeat(n)}}`);

/** Prototype keys carry what the payload lacks: a reader must not see it through them. */
const prototypeKeys = fc.uuid().map((id) =>
  JSON.stringify({ note: 'fields only under prototype keys' })
    .slice(0, -1)
    .concat(`,"__proto__":{"orderId":"${id}","supplierId":"s1","nodeId":"n1","pingId":"${id}","polluted":true},"constructor":{"prototype":{"polluted":true,"orderId":"${id}"}}}`),
);

const garbledEnvelope = (type: string): fc.Arbitrary<Record<string, HeaderValue>> =>
  fc.record(
    {
      'event-id': fc.constantFrom<HeaderValue>('', 'not-a-uuid', 'x'.repeat(2_000), Buffer.from([0xc3, 0x28, 0xff])),
      'event-type': fc.constant<HeaderValue>(type),
      'schema-version': fc.constantFrom<HeaderValue>('abc', '0', '-1', '1.5', '999999999999999999999', ''),
      'occurred-at': fc.constantFrom<HeaderValue>('yesterday', '', '2024-13-45T99:99:99Z', Buffer.from([0xff])),
      'correlation-id': fc.constantFrom<HeaderValue>(Buffer.from([0x00, 0xff, 0xfe]), 'c'.repeat(3_000)),
      'causation-id': fc.constantFrom<HeaderValue>('', 'not-a-uuid'),
      traceparent: fc.constantFrom<HeaderValue>('garbage', '00-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-0000000000000000-01', '00-00000000000000000000000000000000-0000000000000000-00'),
      producer: fc.constantFrom<HeaderValue>(Buffer.from([0xff, 0xff]), ''),
    },
    { requiredKeys: ['event-type'] },
  );

/** Stands for a fresh event id: `draftsToRecords` gives every record its own. */
const FRESH_ID = '<fresh event id>';

const envelope = (type: string): Record<string, HeaderValue> => ({
  'event-id': FRESH_ID,
  'event-type': type,
  'schema-version': '1',
  'occurred-at': new Date().toISOString(),
  producer: 'faults-fuzz',
});

/** Types a topic does not declare and no consumer of it follows. */
export function unknownTypes(others: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('FuzzUnknownEventType', 'orderplaced', ' OrderAccepted', 'unknown', '', 'null', '__proto__', 'constructor', 'toString'),
    fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Fuzz${s}`),
    ...(others.length > 0 ? [fc.constantFrom(...others)] : []),
  );
}

interface Draft {
  readonly kind: RecordKind;
  readonly value: string | Buffer | null;
  readonly headers: Record<string, HeaderValue>;
  readonly note: string;
}

export interface TopicShape {
  readonly topic: string;
  /** Types some consumer of the topic follows. */
  readonly followed: readonly string[];
  /** Types from other topics that none of this topic's consumers follows (they are unknown here). */
  readonly foreign: readonly string[];
  /** Schemas (by type) the public contract gives for followed types, for near-miss payloads. */
  readonly schemas: Readonly<Record<string, JsonSchema>>;
  readonly components: Schemas;
}

/** Bad records for one consumed topic: the kinds drawn at random, the seed decides the rest. */
export function badRecordDrafts(shape: TopicShape): fc.Arbitrary<Draft> {
  const known = shape.followed.length > 0 ? fc.constantFrom(...shape.followed) : fc.constant('unknown');
  const withKnown = (kind: RecordKind, value: fc.Arbitrary<string | Buffer | null>, note = kind) =>
    fc.tuple(known, value).map(([type, v]): Draft => ({ kind, value: v, headers: envelope(type), note: `${type}: ${note}` }));
  const mutated = Object.keys(shape.schemas).filter((t) => shape.followed.includes(t));
  return fc.oneof(
    { weight: 3, arbitrary: withKnown('not JSON', notJson) },
    { weight: 3, arbitrary: withKnown('wrong types', wrongTypes.map((p) => JSON.stringify(p))) },
    { weight: 2, arbitrary: withKnown('missing fields', missingFields.map((p) => JSON.stringify(p))) },
    { weight: 3, arbitrary: withKnown('known type, garbage payload', garbagePayload.map((p) => toJsonText(p))) },
    ...(mutated.length > 0
      ? [
          {
            weight: 5,
            arbitrary: fc
              .constantFrom(...mutated)
              .chain((type) => fc.tuple(fc.constant(type), mutant(shape.schemas[type]!, shape.components)))
              .map(([type, m]): Draft => ({ kind: 'schema mutant', value: toJsonText(m.value), headers: envelope(type), note: `${type}: ${m.what}` })),
          },
        ]
      : []),
    {
      weight: 3,
      arbitrary: fc
        .tuple(unknownTypes(shape.foreign), garbagePayload)
        .map(([type, p]): Draft => ({ kind: 'unknown type', value: toJsonText(p), headers: envelope(type), note: `type ${JSON.stringify(type)}` })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.option(fc.oneof(known, unknownTypes([])), { nil: undefined }), garbagePayload)
        .map(([type, p]): Draft => {
          const payload = type === undefined || p === null || typeof p !== 'object' || Array.isArray(p) ? p : { ...p, type };
          return { kind: 'no envelope headers', value: toJsonText(payload), headers: {}, note: `payload type ${JSON.stringify(type)}` };
        }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(known, fc.boolean(), garbagePayload)
        .chain(([type, repeat, p]) =>
          garbledEnvelope(type).map((headers): Draft => ({
            kind: 'garbled envelope headers',
            value: toJsonText(p),
            // A repeated header: the transport reads the last one.
            headers: repeat ? { ...headers, 'event-type': ['FuzzShadowedType', type] } : headers,
            note: `${type} with ${Object.keys(headers).join(', ')}`,
          })),
        ),
    },
    { weight: 1, arbitrary: withKnown('deep nesting', deep) },
    { weight: 1, arbitrary: withKnown('prototype keys', prototypeKeys) },
  );
}

/** The same few edge records on every topic, whatever the seed. */
export function edgeDrafts(shape: TopicShape): Draft[] {
  const type = shape.followed[0] ?? 'unknown';
  const huge = (n: number) => JSON.stringify({ type: 'fuzz-oversized', blob: 'x'.repeat(n) });
  return [
    { kind: 'tombstone', value: null, headers: envelope(type), note: 'null value' },
    { kind: 'empty value', value: '', headers: envelope(type), note: 'zero bytes' },
    // Over order intake's 256 kB: its rejection says too large.
    { kind: 'oversized', value: huge(300_000), headers: envelope(type), note: '300 kB' },
    { kind: 'deep nesting', value: `{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}`, headers: envelope(type), note: '50,000 levels' },
  ];
}

/** Keys are mostly unique ids; some records have none, an empty one, a huge or a binary one. */
export function keyFor(n: number, run: string): string | Buffer | null {
  switch (n % 23) {
    case 5:
      return null;
    case 11:
      return '';
    case 17:
      return `${run}-${n}-${'k'.repeat(3_000)}`;
    case 19:
      return Buffer.from([0xff, 0xfe, 0x00, n % 256]);
    default:
      return `${run}-fz-${n}`;
  }
}

export function draftsToRecords(topic: string, drafts: readonly Draft[], run: string, from: number): BadRecord[] {
  return drafts.map((d, i) => {
    const n = from + i;
    const fuzzId = `${run}-${n}`;
    const headers: Record<string, HeaderValue> = { ...d.headers, [FUZZ_ID_HEADER]: fuzzId };
    if (headers['event-id'] === FRESH_ID) headers['event-id'] = randomUUID();
    return { topic, kind: d.kind, fuzzId, key: keyFor(n, run), value: d.value, headers, note: d.note };
  });
}
