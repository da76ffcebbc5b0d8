import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import { MessageContext } from '../message-context';
import { RethrowRpcExceptionsFilter } from '../rethrow-exceptions.filter';
import { createKafka } from './kafka-connection';
import { KafkaPublisher } from './kafka-publisher';
import { ensureTopics } from './kafka-topics';
import { KafkaTransport } from './kafka-transport';

const topic = uniqueName('test.rebalance');
const groupId = uniqueName('rebalance');
const connection = { brokers: kafkaBrokers(), clientId: 'rebalance-test' };
const kafka = createKafka(connection);
const publisher = new KafkaPublisher(kafka, { producerName: 'rebalance-test' });
const KEYS = 16;

interface Delivery {
  readonly member: string;
  readonly key: string;
  readonly n: number;
}
const deliveries: Delivery[] = [];
const apps: INestMicroservice[] = [];

async function startMember(member: string): Promise<{ app: INestMicroservice; transport: KafkaTransport }> {
  @Controller()
  class Handler {
    @EventPattern(topic)
    async handle(@Payload() payload: { n: number }, @Ctx() ctx: MessageContext): Promise<void> {
      deliveries.push({ member, key: ctx.getMessage().key!, n: payload.n });
    }
  }
  @Module({ controllers: [Handler] })
  class MemberModule {}
  const transport = new KafkaTransport({ connection, groupId, maxWaitTimeMs: 200 });
  const app = await NestFactory.createMicroservice(MemberModule, { strategy: transport, logger: false });
  app.useGlobalFilters(new RethrowRpcExceptionsFilter());
  await app.listen();
  apps.push(app);
  return { app, transport };
}

let next = 0;
async function publish(count: number): Promise<void> {
  const messages = Array.from({ length: count }, () => {
    const n = next++;
    return {
      topic,
      key: `key-${n % KEYS}`,
      eventId: randomUUID(),
      type: 'Counted',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      payload: { n },
    };
  });
  await publisher.publish(messages);
}

const seen = () => new Set(deliveries.map((d) => d.n));

beforeAll(async () => {
  await ensureTopics(kafka, [
    { name: topic, partitions: 4, replicationFactor: 1 },
    { name: `${topic}.dlq`, partitions: 1, replicationFactor: 1 },
  ]);
  await publisher.connect();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await publisher.close();
});

describe('Kafka transport in a consumer group', () => {
  it('shares partitions on a rebalance, hands them back when a member leaves, and loses nothing', async () => {
    const a = await startMember('a');
    await publish(200);
    await waitFor(() => seen().size === 200, { what: 'first 200 by member a' });

    const b = await startMember('b');
    await waitFor(
      () => {
        const [sa, sb] = [a.transport.transportStatus(), b.transport.transportStatus()];
        return sa.assignedPartitions > 0 && sb.assignedPartitions > 0 && sa.assignedPartitions + sb.assignedPartitions === 4;
      },
      { what: 'both members to hold partitions', timeoutMs: 60_000 },
    );
    await publish(200);
    await waitFor(() => seen().size === 400, { what: '400 messages across two members' });
    const afterJoin = deliveries.filter((d) => d.n >= 200);
    expect(new Set(afterJoin.map((d) => d.member))).toEqual(new Set(['a', 'b']));

    await a.app.close();
    await waitFor(() => b.transport.transportStatus().assignedPartitions === 4, { what: 'b to take every partition', timeoutMs: 60_000 });
    await publish(100);
    await waitFor(() => seen().size === 500, { what: '500 messages' });
    expect(deliveries.filter((d) => d.n >= 400).every((d) => d.member === 'b')).toBe(true);

    // Per key, first deliveries come in publish order (redeliveries after a rebalance may repeat).
    for (let k = 0; k < KEYS; k++) {
      const firsts: number[] = [];
      for (const d of deliveries.filter((d) => d.key === `key-${k}`)) if (!firsts.includes(d.n)) firsts.push(d.n);
      expect(firsts).toEqual([...firsts].sort((x, y) => x - y));
    }
  });
});
