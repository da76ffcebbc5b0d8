import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  NO_STREAM,
  atRevision,
  handleCommand,
  openPostgresEventStore,
  type Decider,
  type EventStore,
} from '@oms/event-store';
import { databaseUrl, dropSchema, kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import { createKafka } from '../kafka/kafka-connection';
import { ensureTopics } from '../kafka/kafka-topics';
import { KafkaTransport } from '../kafka/kafka-transport';
import { MessageContext } from '../message-context';
import { RethrowRpcExceptionsFilter } from '../rethrow-exceptions.filter';
import { readTopic } from '../testing/read-topic';

const root = join(__dirname, '../../../..');
const sourceSchema = uniqueName('relay_src');
const sinkSchema = uniqueName('relay_sink');
const topic = uniqueName('test.relay');
const category = 'shipment';
const relayName = uniqueName('relay');
const TOTAL = 50;

/** The consumer's idempotent effect: one `Seen` event per source event, keyed by its event id. */
type Seen = { type: 'Seen'; data: { eventId: string } };
const seenDecider: Decider<{ eventId: string }, number, Seen> = {
  initialState: () => 0,
  decide: (command) => [{ type: 'Seen', data: { eventId: command.eventId } }],
  evolve: (count) => count + 1,
};
const SINK = Symbol('SINK');
let received = 0;

@Controller()
class SinkHandler {
  constructor(@Inject(SINK) private readonly sink: EventStore) {}
  @EventPattern(topic)
  async onEvent(_payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { envelope, key } = ctx.getMessage();
    await handleCommand(this.sink, `seen-${key!.replace(/-/g, '')}`, seenDecider, { eventId: envelope.eventId }, { causationId: envelope.eventId });
    received++;
  }
}

function runRelay(fault?: 'kill-after-publish'): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', join(root, 'tools/register.js'), join(__dirname, 'testing/relay-process.ts')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl(),
        KAFKA_BROKERS: kafkaBrokers().join(','),
        RELAY_SCHEMA: sourceSchema,
        RELAY_TOPIC: topic,
        RELAY_NAME: relayName,
        RELAY_CATEGORY: category,
        ...(fault ? { RELAY_FAULT: fault } : {}),
        NODE_OPTIONS: '',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

let source: EventStore;
let sink: EventStore;
let consumer: INestMicroservice;
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'relay-test' });

beforeAll(async () => {
  source = await openPostgresEventStore({ connectionString: databaseUrl(), schema: sourceSchema });
  sink = await openPostgresEventStore({ connectionString: databaseUrl(), schema: sinkSchema });
  await ensureTopics(kafka, [
    { name: topic, partitions: 3, replicationFactor: 1 },
    { name: `${topic}.dlq`, partitions: 1, replicationFactor: 1 },
  ]);
  @Module({ controllers: [SinkHandler], providers: [{ provide: SINK, useValue: sink }] })
  class SinkModule {}
  consumer = await NestFactory.createMicroservice(SinkModule, {
    strategy: new KafkaTransport({ connection: { brokers: kafkaBrokers(), clientId: 'relay-sink' }, groupId: uniqueName('relay-sink') }),
    logger: false,
  });
  consumer.useGlobalFilters(new RethrowRpcExceptionsFilter());
  await consumer.listen();
});

afterAll(async () => {
  await consumer.close();
  await source.close();
  await sink.close();
  await dropSchema(sourceSchema);
  await dropSchema(sinkSchema);
});

describe('store-to-Kafka relay', () => {
  it('loses nothing when killed between the Kafka ack and the checkpoint; the consumer absorbs the re-publish', async () => {
    for (let s = 0; s < 5; s++) {
      const stream = `${category}-${randomUUID()}`;
      let expected = NO_STREAM;
      for (let i = 0; i < TOTAL / 5; i++) {
        const result = await source.append(stream, [{ id: randomUUID(), type: 'ShipmentRecorded', data: { s, i } }], expected);
        expected = atRevision(result.nextExpectedRevision);
      }
    }

    const killed = await runRelay('kill-after-publish');
    expect(killed.signal).toBe('SIGKILL');
    // Kafka has the first batch, but the checkpoint never moved.
    expect(await source.checkpoints.load(relayName)).toBeUndefined();

    const restarted = await runRelay();
    expect(restarted.stderr).toBe('');
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain(`caught-up ${TOTAL}`);
    expect(await source.checkpoints.load(relayName)).toBeDefined();

    // On the wire: every event at least once, the first batch twice.
    const onTopic = await readTopic(kafka, topic, TOTAL + 10);
    const ids = onTopic.map((r) => r.headers['event-id']!);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(ids.length).toBe(TOTAL + 10);

    // In the consumer: each event applied exactly once.
    await waitFor(() => received >= TOTAL + 10, { what: 'all deliveries', timeoutMs: 60_000 });
    const applied = await sink.readAll({ categories: ['seen'], maxCount: 1000 });
    expect(applied).toHaveLength(TOTAL);
    expect(new Set(applied.map((e) => (e.data as { eventId: string }).eventId)).size).toBe(TOTAL);
  });
});
