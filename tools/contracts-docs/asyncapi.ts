import { PUBLIC_MESSAGES, TOPICS, type PublicMessage, type TopicDefinition, type TopicKey } from '@oms/contracts';
import { HEADER } from '@oms/messaging';
import { classSchemas, ref, refsIn, type Schema } from './class-schemas';
import { DESCRIBED_PAYLOADS, DESCRIBED_SHARED, type DescribedPayload } from './described-payloads';
import { dateTime, handDescribed, object, string, uuid } from './describe';

/** What the generator needs of a service: its name and the topics it writes and reads. */
export interface ServiceTopics {
  readonly name: string;
  readonly publishes: readonly TopicDefinition[];
  readonly consumes: readonly TopicDefinition[];
}

const KAFKA_BINDING = '0.5.0';

/** Every public topic of the catalogue, in catalogue order. */
export const publicTopics = (): [TopicKey, TopicDefinition][] =>
  (Object.entries(TOPICS) as [TopicKey, TopicDefinition][]).filter(([, topic]) => topic.visibility === 'public');

/**
 * The envelope headers (libs/messaging `HEADER`). Typed by HEADER's keys: a header added there and
 * not described here fails `tsc`.
 */
function envelopeHeaders(producers: readonly string[]): { produced: Schema; inbound: Schema } {
  const docs: Record<keyof typeof HEADER, { schema: Schema; produced: 'always' | 'optional'; inbound: string }> = {
    eventId: { schema: uuid('Unique per event: consumers de-duplicate on it.'), produced: 'always', inbound: 'Optional: derived from topic, partition and offset when absent, so a redelivery keeps its id.' },
    type: { schema: string('The message type (the names in this document).'), produced: 'always', inbound: 'Optional when the payload has a string `type` field, which is then used.' },
    schemaVersion: {
      schema: { type: 'string', pattern: '^[1-9][0-9]*$', description: "The payload's schema version within the topic's major version: 1 for every message in this document." },
      produced: 'always',
      inbound: 'Optional: 1 when absent.',
    },
    occurredAt: { schema: dateTime('When it happened (ISO-8601 UTC).'), produced: 'always', inbound: 'Optional.' },
    correlationId: { schema: string('What it belongs to: the order id (the aggregate id where there is no order).'), produced: 'always', inbound: 'Optional.' },
    causationId: { schema: string('The event id of the message (or the HTTP request) that caused it.'), produced: 'optional', inbound: 'Optional.' },
    producer: { schema: { type: 'string', description: 'The service that published it.', enum: [...producers] }, produced: 'always', inbound: 'Optional: the system that wrote it.' },
    contentType: { schema: { type: 'string', const: 'application/json' }, produced: 'always', inbound: 'Optional; the value must be JSON whatever it says.' },
  };
  const entries = Object.entries(docs) as [keyof typeof HEADER, (typeof docs)[keyof typeof HEADER]][];
  const produced = object(
    Object.fromEntries(entries.filter(([, d]) => d.produced === 'always').map(([k, d]) => [HEADER[k], d.schema])),
    Object.fromEntries(entries.filter(([, d]) => d.produced === 'optional').map(([k, d]) => [HEADER[k], d.schema])),
    'Kafka headers the OMS sets on every message it publishes (UTF-8 strings). The value is the JSON payload alone.',
  );
  const inbound = object(
    {},
    // Upstream ids need not be UUIDs: inbound headers are plain strings.
    Object.fromEntries(
      entries.map(([k, d]) => {
        const { format: _format, ...schema } = d.schema;
        return [HEADER[k], { ...schema, description: `${String(d.schema['description'] ?? '')} ${d.inbound}`.trim() }];
      }),
    ),
    'Kafka headers the OMS reads on messages it consumes. None is required: upstream systems may send bare JSON, and the envelope is then filled deterministically. Send `event-type` (or a `type` field in the payload) and `event-id` where you can.',
  );
  return { produced: { ...produced, 'x-schema-source': 'generated from libs/messaging HEADER' }, inbound: { ...inbound, 'x-schema-source': 'generated from libs/messaging HEADER' } };
}

const describedKey = (topic: TopicKey, type: string) => `${topic}/${type}` as const;

/** The payload's component schema name, and the component schemas it adds. */
function payloadOf(topicKey: TopicKey, message: PublicMessage): { name: string; schemas: Record<string, Schema> } {
  const described: DescribedPayload | undefined = DESCRIBED_PAYLOADS[describedKey(topicKey, message.type)];
  const where = `${TOPICS[topicKey].name} ${message.type}`;
  if (message.schema && described?.whole) throw new Error(`${where}: has a contract class; describe only what it carries beyond it`);
  if (!message.schema && !described?.whole) throw new Error(`${where}: has no contract class and no description in described-payloads.ts`);
  if (!described) return { name: message.schema!.name, schemas: {} };
  if (described.whole) return { name: described.name, schemas: { [described.name]: handDescribed(described.whole, described.checkedAgainst) } };
  const combined: Schema = {
    allOf: [ref(message.schema!.name), described.beyond!],
    'x-schema-source': `class-validator class ${message.schema!.name}, and hand-described in tools/contracts-docs what the published payload carries beyond it (property names checked by tsc against ${described.checkedAgainst})`,
  };
  return { name: described.name, schemas: { [described.name]: combined } };
}

/** Adds `add` to `into`; one name, one schema. */
export function mergeSchemas(into: Record<string, Schema>, add: Record<string, Schema>): void {
  for (const [name, schema] of Object.entries(add)) {
    const known = into[name];
    if (known && JSON.stringify(known) !== JSON.stringify(schema)) throw new Error(`Two different schemas are named ${name}`);
    into[name] = schema;
  }
}

/** Adds the shared and class-validator schemas that `schemas` (and `elsewhere`) refer to, until every `$ref` resolves. */
export function closeOver(schemas: Record<string, Schema>, shared: Readonly<Record<string, Schema>>, ...elsewhere: unknown[]): void {
  for (;;) {
    const missing = [...refsIn([schemas, ...elsewhere])].filter((name) => !schemas[name]);
    if (missing.length === 0) return;
    for (const name of missing) {
      if (shared[name]) mergeSchemas(schemas, { [name]: shared[name] });
      else mergeSchemas(schemas, classSchemas([name]));
    }
  }
}

const list = (names: readonly string[]) => (names.length > 0 ? names.join(', ') : 'none');

export function buildAsyncApi(services: readonly ServiceTopics[], version: string): Record<string, unknown> {
  const headers = envelopeHeaders(services.map((s) => s.name));
  const schemas: Record<string, Schema> = { EnvelopeHeaders: headers.produced, InboundEnvelopeHeaders: headers.inbound };
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const roots = publicTopics().flatMap(([key]) => (PUBLIC_MESSAGES[key] ?? []).flatMap((m) => (m.schema ? [m.schema] : [])));
  mergeSchemas(schemas, classSchemas(roots));

  for (const [key, topic] of publicTopics()) {
    const messages = PUBLIC_MESSAGES[key] ?? [];
    const publishers = services.filter((s) => s.publishes.some((t) => t.name === topic.name)).map((s) => s.name);
    const consumers = services.filter((s) => s.consumes.some((t) => t.name === topic.name)).map((s) => s.name);
    const channelMessages: Record<string, unknown> = {};
    for (const message of messages) {
      const payload = payloadOf(key, message);
      mergeSchemas(schemas, payload.schemas);
      channelMessages[message.type] = {
        name: message.type,
        title: message.type,
        summary: message.summary,
        contentType: 'application/json',
        headers: ref(message.from === 'oms' ? 'EnvelopeHeaders' : 'InboundEnvelopeHeaders'),
        payload: ref(payload.name),
        correlationId: { $ref: '#/components/correlationIds/envelope' },
        bindings: { kafka: { key: { type: 'string', description: message.key ?? topic.key }, bindingVersion: KAFKA_BINDING } },
      };
    }
    channels[key] = {
      address: topic.name,
      title: topic.name,
      description: [
        topic.description,
        `Key: ${topic.key} (per-key order is kept). Partitions: ${topic.partitions} in production (KAFKA_PARTITIONS overrides).`,
        `Published by: ${[...publishers, ...(messages.some((m) => m.from !== 'oms') ? ['upstream systems'] : [])].join(', ')}. Consumed by: ${list(consumers)}.`,
        consumers.length > 0 ? `Messages a consumer cannot read go to \`${topic.name}.dlq\` with the error.` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      messages: channelMessages,
      bindings: { kafka: { topic: topic.name, partitions: topic.partitions, bindingVersion: KAFKA_BINDING } },
    };
    const pick = (from: readonly PublicMessage['from'][]) => messages.filter((m) => from.includes(m.from)).map((m) => ({ $ref: `#/channels/${key}/messages/${m.type}` }));
    const sent = pick(['oms', 'both']);
    const received = pick(['outside', 'both']);
    const id = key[0]!.toUpperCase() + key.slice(1);
    if (sent.length > 0) {
      operations[`send${id}`] = {
        action: 'send',
        channel: { $ref: `#/channels/${key}` },
        title: `The OMS publishes on ${topic.name}`,
        summary: `Published by ${list(publishers)}; subscribe to follow them.`,
        messages: sent,
      };
    }
    if (received.length > 0) {
      operations[`receive${id}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${key}` },
        title: `The OMS consumes ${topic.name}`,
        summary: `Consumed by ${list(consumers)}; publish these to reach them.`,
        messages: received,
      };
    }
  }
  closeOver(schemas, DESCRIBED_SHARED, channels);

  return {
    asyncapi: '3.0.0',
    id: 'urn:dropship-oms:public-topics',
    info: {
      title: 'Drop-ship OMS: public Kafka topics',
      version,
      description: [
        'The Kafka contract between the drop-ship order management system and the systems around it: storefronts and marketplaces, catalog and stock feeds, warehouse systems, carriers, finance. Generated by `npm run docs:api` from `libs/contracts` (topic catalogue `topics.ts`, message map `public-messages.ts`, class-validator schemas) and `libs/messaging` (envelope headers); do not edit by hand.',
        '**Envelope.** The value is the JSON payload alone; the envelope travels as Kafka headers (`EnvelopeHeaders`). The key is the aggregate id named on each channel: per-key order is kept.',
        '**Tolerance.** Consumers ignore fields they do not know and reject wrong types, naming every failing field. A message that cannot be read goes to `<topic>.dlq`; a business refusal is published as an event (e.g. `OrderRejected`), never dropped.',
        '**Money** is integer minor units of the message\'s ISO 4217 currency; splits are exact (largest remainder). **Time** is ISO-8601 UTC.',
        "**Where each schema comes from** (`x-schema-source`): a class-validator class in libs/contracts (what the consumers validate; published payloads may carry more fields), or a description hand-written in `tools/contracts-docs` and checked by `tsc` against the TypeScript type that produces the payload.",
        'Delivery is at least once: de-duplicate on `event-id` (or on the ids inside the payload).',
      ].join('\n\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: 'localhost:9092', protocol: 'kafka', description: "Your cluster's bootstrap servers (KAFKA_BROKERS); `npm run kafka:start` serves one on 127.0.0.1:9092." },
    },
    channels,
    operations,
    components: {
      schemas,
      correlationIds: { envelope: { description: 'The order (or aggregate) the message belongs to.', location: '$message.header#/correlation-id' } },
    },
  };
}
