import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DIAGNOSTIC_PING_REQUESTED, TOPICS } from '@oms/contracts';
import { KafkaPublisher, commitGroupAtEnd, createKafka, ensureTopics, type OutgoingMessage } from '@oms/messaging';
import { ALL_SERVICES } from '../tools/embedded/services';
import { databaseUrl, dropSchema, kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import { startServiceProcess, type ServiceProcess } from './service-processes';

const SERVICES = ['order-intake', 'sourcing', 'supplier-gateway', 'returns-router', 'supplier-performance', 'finance-reconciler'];
const run = uniqueName('e2e');
const schemaOf = (service: string) => `${run}_${service.replace(/-/g, '_')}`;
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'e2e' });
const publisher = new KafkaPublisher(kafka, { producerName: 'e2e' });
let services: ServiceProcess[] = [];
const replies: { pingId: string; service: string }[] = [];
const replyReader = kafka.consumer({ groupId: `${run}-reader`, maxWaitTimeInMs: 500 });

beforeAll(async () => {
  // A shared broker keeps earlier runs' traffic: each service's new group starts after it.
  const topics = [...new Set(ALL_SERVICES.flatMap((d) => [...d.consumes, TOPICS.diagnostics]).map((t) => t.name))];
  await ensureTopics(kafka, topics.map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
  for (const d of ALL_SERVICES) await commitGroupAtEnd(kafka, `${run}-${d.name}`, [...d.consumes, TOPICS.diagnostics].map((t) => t.name));
  services = await Promise.all(
    SERVICES.map((name) =>
      startServiceProcess(name, {
        KAFKA_BROKERS: kafkaBrokers().join(','),
        DATABASE_URL: databaseUrl(),
        EVENT_STORE: 'postgres',
        EVENT_STORE_SCHEMA: schemaOf(name),
        KAFKA_GROUP_ID: `${run}-${name}`,
        KAFKA_PARTITIONS: '3',
        EVENT_STORE_POOL_SIZE: '3',
      }),
    ),
  );
  await publisher.connect();
  await replyReader.connect();
  await replyReader.subscribe({ topics: [TOPICS.diagnosticReplies.name], fromBeginning: true });
  await replyReader.run({ eachMessage: async ({ message }) => void replies.push(JSON.parse(message.value!.toString())) });
}, 180_000);

afterAll(async () => {
  await replyReader.disconnect();
  await publisher.close();
  await Promise.all(services.map((s) => s.stop()));
  await Promise.all(SERVICES.map((s) => dropSchema(schemaOf(s))));
});

const ping = (pingId: string, key = pingId, eventId = randomUUID()): OutgoingMessage => ({
  topic: TOPICS.diagnostics.name,
  key,
  eventId,
  type: DIAGNOSTIC_PING_REQUESTED,
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId: pingId,
  payload: { pingId, requestedAt: new Date().toISOString() },
});

describe('six services as separate processes on Kafka and PostgreSQL', () => {
  it('each reports ready with its store, broker, consumer and relay', async () => {
    for (const service of services) {
      const response = await waitFor(
        async () => {
          const r = await fetch(`${service.url}/health/ready`);
          return r.status === 200 ? r : undefined;
        },
        { what: `${service.name} ready` },
      );
      const body = (await response.json()) as { status: string; details: Record<string, { status: string; transport?: string; adapter?: string }> };
      expect(body.status).toBe('ok');
      expect(body.details['store']).toMatchObject({ status: 'up', adapter: 'postgres' });
      expect(body.details['broker']).toMatchObject({ status: 'up', transport: 'kafka' });
      expect(body.details['relay']).toMatchObject({ status: 'up' });
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    }
  });

  it('passes one event through every service: consume → decide → store → relay → publish, once per delivery twice', async () => {
    const first = randomUUID();
    const duplicated = ping(first);
    const second = randomUUID();
    // The same message twice, then another ping on the same key (so the same partition, after it).
    await publisher.publish([duplicated, duplicated, ping(second, first)]);

    const answered = (pingId: string) => new Set(replies.filter((r) => r.pingId === pingId).map((r) => r.service));
    // Replies are keyed by ping id, so the two pings' replies may be read in either order.
    await waitFor(() => answered(second).size === SERVICES.length && answered(first).size === SERVICES.length, {
      what: 'replies from all six services to both pings',
      timeoutMs: 90_000,
    });
    expect([...answered(first)].sort()).toEqual([...SERVICES].sort());
    // Each service handled the second ping after the duplicate (same key, same partition): by then
    // its own store shows whether the duplicate delivery changed anything.
    const db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    try {
      for (const service of SERVICES) {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${schemaOf(service)}.events WHERE stream_name = $1`, [`diagnostics-${first}`]);
        expect({ service, answers: rows[0].n }).toEqual({ service, answers: 1 });
      }
    } finally {
      await db.end();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const codes = await Promise.all(services.map((s) => s.stop()));
    expect(codes).toEqual(SERVICES.map(() => 0));
  });
});

