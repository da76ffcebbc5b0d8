import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import { DLQ_HEADER } from '../delivery';
import { HEADER } from '../envelope';
import { MessageContext } from '../message-context';
import { createKafka } from './kafka-connection';
import { KafkaPublisher } from './kafka-publisher';
import { ensureTopics } from './kafka-topics';
import { KafkaTransport } from './kafka-transport';
import { readTopic } from '../testing/read-topic';
import { RethrowRpcExceptionsFilter } from '../rethrow-exceptions.filter';

const topic = uniqueName('test.payments');
const connection = { brokers: kafkaBrokers(), clientId: 'transport-test' };
const seen: { key: string | undefined; payload: unknown; eventId: string; correlationId: string | undefined; attempt: number }[] = [];
let attemptsOnPoison = 0;

@Controller()
class PaymentsHandler {
  @EventPattern(topic)
  async handle(@Payload() payload: { n: number; poison?: boolean }, @Ctx() ctx: MessageContext): Promise<void> {
    const message = ctx.getMessage();
    if (payload.poison) {
      attemptsOnPoison++;
      throw new Error(`cannot handle payment ${payload.n}`);
    }
    seen.push({ key: message.key, payload, eventId: message.envelope.eventId, correlationId: message.envelope.correlationId, attempt: message.attempt });
  }
}

@Module({ controllers: [PaymentsHandler] })
class TestModule {}

const kafka = createKafka(connection);
const publisher = new KafkaPublisher(kafka, { producerName: 'test' });
let app: INestMicroservice;

const message = (key: string, payload: object) => ({
  topic,
  key,
  eventId: randomUUID(),
  type: 'PaymentCaptured',
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId: `order-${key}`,
  payload,
});

beforeAll(async () => {
  // One partition, so "the next message on the same partition" is every later message.
  await ensureTopics(kafka, [
    { name: topic, partitions: 1, replicationFactor: 1 },
    { name: `${topic}.dlq`, partitions: 1, replicationFactor: 1 },
  ]);
  await publisher.connect();
  app = await NestFactory.createMicroservice(TestModule, {
    strategy: new KafkaTransport({
      connection,
      groupId: uniqueName('transport-test'),
      retry: { maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 50 },
    }),
    logger: false,
  });
  app.useGlobalFilters(new RethrowRpcExceptionsFilter());
  await app.listen();
});

afterAll(async () => {
  await app.close();
  await publisher.close();
});

describe('Kafka transport', () => {
  it('delivers the envelope and payload to an @EventPattern handler, in key order', async () => {
    const messages = Array.from({ length: 20 }, (_, n) => message(`k${n % 3}`, { n }));
    await publisher.publish(messages);
    await waitFor(() => seen.length >= 20, { what: '20 messages' });
    expect(seen.map((s) => (s.payload as { n: number }).n)).toEqual(messages.map((m) => (m.payload as { n: number }).n));
    expect(seen[0]).toMatchObject({ key: 'k0', eventId: messages[0]!.eventId, correlationId: 'order-k0', attempt: 1 });
  });

  it('dead-letters a message whose handler always throws, after the configured retries, and moves on', async () => {
    const before = seen.length;
    const poison = message('k-poison', { n: 100, poison: true });
    await publisher.publish([poison, message('k-poison', { n: 101 })]);
    await waitFor(() => seen.length > before, { what: 'the message after the poison one' });
    expect(seen[seen.length - 1]!.payload).toEqual({ n: 101 });
    expect(attemptsOnPoison).toBe(3);

    const dead = await readTopic(kafka, `${topic}.dlq`, 1);
    expect(JSON.parse(dead[0]!.value!)).toEqual({ n: 100, poison: true });
    expect(dead[0]!.key).toBe('k-poison');
    expect(dead[0]!.headers).toMatchObject({
      [HEADER.eventId]: poison.eventId,
      [DLQ_HEADER.originalTopic]: topic,
      [DLQ_HEADER.originalPartition]: '0',
      [DLQ_HEADER.attempts]: '3',
      [DLQ_HEADER.error]: 'cannot handle payment 100',
    });
    expect(Number(dead[0]!.headers[DLQ_HEADER.originalOffset])).toBeGreaterThanOrEqual(20);
  });

  it('dead-letters a record that is not JSON at once, without handler retries', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const before = seen.length;
    await producer.send({ topic, acks: -1, messages: [{ key: 'raw', value: '{not json' }, { key: 'raw', value: '{"n":200}' }] });
    await producer.disconnect();
    await waitFor(() => seen.length > before, { what: 'the record after the bad one' });
    expect(seen[seen.length - 1]).toMatchObject({ payload: { n: 200 } });
    const dead = await readTopic(kafka, `${topic}.dlq`, 2);
    expect(dead[1]!.value).toBe('{not json');
    expect(dead[1]!.headers[DLQ_HEADER.attempts]).toBe('1');
    expect(dead[1]!.headers[DLQ_HEADER.error]).toContain('not JSON');
  });

  it('dead-letters a record near the broker limit as an excerpt, instead of blocking its partition', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const before = seen.length;
    // ~1 MB: fits the topic (1 MB by default), but not with the dead-letter headers added.
    const huge = JSON.stringify({ n: 300, poison: true, pad: 'x'.repeat(1_040_000) });
    await producer.send({ topic, acks: -1, messages: [{ key: 'huge', value: huge }, { key: 'huge', value: '{"n":301}' }] });
    await producer.disconnect();
    await waitFor(() => seen.length > before, { what: 'the record after the huge one' });
    expect(seen[seen.length - 1]).toMatchObject({ payload: { n: 301 } });
    const dead = await readTopic(kafka, `${topic}.dlq`, 3);
    expect(dead[2]!.key).toBe('huge');
    expect(dead[2]!.headers).toMatchObject({ [DLQ_HEADER.valueTruncated]: String(Buffer.byteLength(huge)), [DLQ_HEADER.error]: 'cannot handle payment 300' });
    expect(huge.startsWith(dead[2]!.value!)).toBe(true);
  });
});
