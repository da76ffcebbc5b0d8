import { Controller, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@oms/testing';
import { DLQ_HEADER, type RetryPolicy } from '../delivery';
import { HEADER, type OutgoingMessage } from '../envelope';
import { MessageContext } from '../message-context';
import { RethrowRpcExceptionsFilter } from '../rethrow-exceptions.filter';
import { InProcessBroker, InProcessPublisher } from './in-process-broker';
import { InProcessTransport, type InProcessTransportOptions } from './in-process-transport';

interface Payment {
  readonly key: string;
  readonly n: number;
  readonly poison?: boolean;
}

interface Seen {
  readonly key: string | undefined;
  readonly n: number;
  readonly partition: number;
  readonly offset: string;
  readonly attempt: number;
  readonly eventId: string;
}

type Handler = (payload: Payment, ctx: MessageContext) => void | Promise<void>;

const retry: RetryPolicy = { maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 2 };

/** A module whose one controller hands `@EventPattern(topic)` messages to `handler`. */
function moduleFor(topic: string, handler: Handler): Type<unknown> {
  @Controller()
  class PaymentsHandler {
    @EventPattern(topic)
    async handle(@Payload() payload: Payment, @Ctx() ctx: MessageContext): Promise<void> {
      await handler(payload, ctx);
    }
  }
  @Module({ controllers: [PaymentsHandler] })
  class PaymentsModule {}
  return PaymentsModule;
}

const seenOf = (payload: Payment, ctx: MessageContext): Seen => {
  const message = ctx.getMessage();
  return {
    key: message.key,
    n: payload.n,
    partition: message.partition,
    offset: message.offset,
    attempt: message.attempt,
    eventId: message.envelope.eventId,
  };
};

const open = new Set<INestMicroservice>();

async function start(
  topic: string,
  handler: Handler,
  options: Omit<InProcessTransportOptions, 'retry'> & { retry?: RetryPolicy; declaredTypes?: readonly string[] },
): Promise<INestMicroservice> {
  const { declaredTypes, ...transportOptions } = options;
  const strategy = new InProcessTransport({ retry, ...transportOptions });
  if (declaredTypes) strategy.declareTypes(topic, declaredTypes);
  const app = await NestFactory.createMicroservice(moduleFor(topic, handler), { strategy, logger: false });
  app.useGlobalFilters(new RethrowRpcExceptionsFilter());
  await app.listen();
  open.add(app);
  return app;
}

async function stop(app: INestMicroservice): Promise<void> {
  open.delete(app);
  await app.close();
}

afterEach(async () => {
  await Promise.all([...open].map((app) => stop(app)));
});

const message = (topic: string, key: string, payload: Omit<Payment, 'key'>): OutgoingMessage => ({
  topic,
  key,
  eventId: randomUUID(),
  type: 'PaymentCaptured',
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId: `order-${key}`,
  payload: { key, ...payload },
});

const freshTopic = () => `test.payments.${randomUUID().slice(0, 8)}`;

function committedTotal(broker: InProcessBroker, group: string, topic: string): number {
  let total = 0;
  for (let p = 0; p < broker.partitionCount(topic); p++) total += broker.committed(group, topic, p);
  return total;
}

/** Every partition of the topic is committed up to its end for the group. */
function fullyCommitted(broker: InProcessBroker, group: string, topic: string): boolean {
  return committedTotal(broker, group, topic) === broker.records(topic).length;
}

describe('InProcessTransport', () => {
  it('delivers every message exactly once and keeps per-key order across many keys and partitions', async () => {
    const broker = new InProcessBroker(4);
    const publisher = new InProcessPublisher(broker, 'test');
    const topic = freshTopic();
    const seen: Seen[] = [];
    const keys = Array.from({ length: 12 }, (_, i) => `order-${i}`);
    const perKey = 25;
    const all = Array.from({ length: keys.length * perKey }, (_, n) => message(topic, keys[n % keys.length]!, { n }));

    // Some messages exist before the consumer starts, the rest arrive while it runs.
    await publisher.publish(all.slice(0, 100));
    await start(
      topic,
      async (payload, ctx) => {
        // Yield so that the partition workers interleave.
        for (let i = 0; i < payload.n % 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
        seen.push(seenOf(payload, ctx));
      },
      { broker, groupId: 'g-order' },
    );
    for (let i = 100; i < all.length; i += 20) await publisher.publish(all.slice(i, i + 20));

    await waitFor(() => seen.length >= all.length && fullyCommitted(broker, 'g-order', topic), { what: 'all messages' });
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen.map((s) => s.eventId)).size).toBe(all.length);
    for (const key of keys) {
      const forKey = seen.filter((s) => s.key === key);
      const published = all.filter((m) => m.key === key).map((m) => (m.payload as Payment).n);
      expect(forKey.map((s) => s.n)).toEqual(published);
      // One key, one partition.
      expect(new Set(forKey.map((s) => s.partition)).size).toBe(1);
    }
    // The keys actually spread over several partitions, so the order above is not trivially global.
    expect(new Set(seen.map((s) => s.partition)).size).toBeGreaterThan(1);
    expect(seen.every((s) => s.attempt === 1)).toBe(true);
  });

  it('gives each consumer group every message, with its own offsets', async () => {
    const broker = new InProcessBroker();
    const publisher = new InProcessPublisher(broker, 'test');
    const topic = freshTopic();
    const billing: number[] = [];
    const shipping: number[] = [];
    const batch = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => message(topic, `k${(from + i) % 5}`, { n: from + i }));

    await start(topic, (p) => void billing.push(p.n), { broker, groupId: 'billing' });
    await publisher.publish(batch(0, 20));
    await waitFor(() => billing.length >= 20 && fullyCommitted(broker, 'billing', topic), { what: 'billing to catch up' });
    expect(committedTotal(broker, 'shipping', topic)).toBe(0);

    // A group that joins later starts from the beginning, whatever the other group committed.
    await start(topic, (p) => void shipping.push(p.n), { broker, groupId: 'shipping' });
    await publisher.publish(batch(20, 10));
    await waitFor(
      () => fullyCommitted(broker, 'billing', topic) && fullyCommitted(broker, 'shipping', topic) && shipping.length >= 30,
      { what: 'both groups to catch up' },
    );
    const range = Array.from({ length: 30 }, (_, n) => n);
    expect([...billing].sort((a, b) => a - b)).toEqual(range);
    expect([...shipping].sort((a, b) => a - b)).toEqual(range);
    expect(committedTotal(broker, 'billing', topic)).toBe(30);
    expect(committedTotal(broker, 'shipping', topic)).toBe(30);
  });

  it('redelivers a failing message until it succeeds, then commits it once and moves on', async () => {
    const broker = new InProcessBroker();
    const publisher = new InProcessPublisher(broker, 'test');
    const topic = freshTopic();
    const attempts: Seen[] = [];
    const handled: Seen[] = [];
    const failuresBeforeSuccess = 3;

    await start(
      topic,
      (payload, ctx) => {
        const seen = seenOf(payload, ctx);
        attempts.push(seen);
        if (payload.n === 1 && attempts.filter((a) => a.n === 1).length <= failuresBeforeSuccess) {
          throw new Error(`transient failure ${seen.attempt}`);
        }
        handled.push(seen);
      },
      { broker, groupId: 'g-flaky', retry: { maxAttempts: failuresBeforeSuccess + 1, initialBackoffMs: 1, maxBackoffMs: 2 } },
    );
    await publisher.publish([message(topic, 'k', { n: 1 }), message(topic, 'k', { n: 2 })]);

    await waitFor(() => handled.length >= 2, { what: 'the flaky message and the next one' });
    expect(handled.map((h) => [h.n, h.attempt])).toEqual([
      [1, failuresBeforeSuccess + 1],
      [2, 1],
    ]);
    expect(attempts.filter((a) => a.n === 1).map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    // Every redelivery was the same record.
    expect(new Set(attempts.filter((a) => a.n === 1).map((a) => `${a.partition}@${a.offset}/${a.eventId}`)).size).toBe(1);
    const partition = handled[0]!.partition;
    await waitFor(() => broker.committed('g-flaky', topic, partition) === 2, { what: 'the offset to advance past both' });
    expect(broker.records(`${topic}.dlq`)).toEqual([]);
  });

  it('dead-letters a message whose handler always fails, with the original error, and goes on with the partition', async () => {
    const broker = new InProcessBroker();
    const publisher = new InProcessPublisher(broker, 'test');
    const topic = freshTopic();
    const handled: Seen[] = [];
    const poisonAttempts: number[] = [];
    const deadLettered: { topic: string; partition: number; offset: string; error: unknown }[] = [];

    await start(
      topic,
      (payload, ctx) => {
        if (payload.poison) {
          poisonAttempts.push(ctx.getMessage().attempt);
          throw new Error(`cannot capture payment ${payload.n}`);
        }
        handled.push(seenOf(payload, ctx));
      },
      { broker, groupId: 'g-poison', onDeadLetter: (info) => void deadLettered.push(info) },
    );
    const poison = message(topic, 'k-poison', { n: 100, poison: true });
    await publisher.publish([message(topic, 'k-poison', { n: 99 }), poison, message(topic, 'k-poison', { n: 101 })]);

    await waitFor(() => handled.length >= 2, { what: 'the message after the poison one' });
    expect(handled.map((h) => h.n)).toEqual([99, 101]);
    expect(poisonAttempts).toEqual([1, 2, 3]);
    const partition = handled[0]!.partition;
    expect(handled[1]!.partition).toBe(partition);

    const dead = broker.records(`${topic}.dlq`);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.key).toBe('k-poison');
    expect(JSON.parse(dead[0]!.value!.toString())).toEqual({ key: 'k-poison', n: 100, poison: true });
    expect(dead[0]!.headers).toMatchObject({
      [HEADER.eventId]: poison.eventId,
      [HEADER.type]: 'PaymentCaptured',
      [HEADER.correlationId]: 'order-k-poison',
      [DLQ_HEADER.originalTopic]: topic,
      [DLQ_HEADER.originalPartition]: String(partition),
      [DLQ_HEADER.originalOffset]: '1',
      [DLQ_HEADER.consumerGroup]: 'g-poison',
      [DLQ_HEADER.error]: 'cannot capture payment 100',
      [DLQ_HEADER.errorName]: 'Error',
      [DLQ_HEADER.attempts]: '3',
    });
    expect(deadLettered).toHaveLength(1);
    expect(deadLettered[0]).toMatchObject({ topic, partition, offset: '1' });
    await waitFor(() => broker.committed('g-poison', topic, partition) === 3, { what: 'the offset to pass all three' });
  });

  it('dead-letters an undecodable record at once without calling the handler', async () => {
    const broker = new InProcessBroker(1);
    const topic = freshTopic();
    const handled: number[] = [];
    await start(topic, (p) => void handled.push(p.n), { broker, groupId: 'g-raw' });
    broker.append(topic, { key: 'raw', value: Buffer.from('{not json'), headers: {} });
    broker.append(topic, { key: 'raw', value: Buffer.from('{"n":7}'), headers: {} });

    await waitFor(() => handled.length >= 1, { what: 'the record after the bad one' });
    expect(handled).toEqual([7]);
    const dead = broker.records(`${topic}.dlq`);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.value!.toString()).toBe('{not json');
    expect(dead[0]!.headers).toMatchObject({
      [DLQ_HEADER.attempts]: '1',
      [DLQ_HEADER.errorName]: 'UndecodableMessageError',
      [DLQ_HEADER.originalOffset]: '0',
    });
  });

  it('dead-letters a record whose type its topic does not declare, naming the type, and hands declared types to the handler', async () => {
    const broker = new InProcessBroker(1);
    const publisher = new InProcessPublisher(broker, 'test');
    const topic = freshTopic();
    const handled: number[] = [];
    await start(topic, (p) => void handled.push(p.n), { broker, groupId: 'g-types', declaredTypes: ['PaymentCaptured', 'PaymentVoided'] });
    await publisher.publish([
      message(topic, 'k', { n: 1 }),
      { ...message(topic, 'k', { n: 2 }), type: 'PaymentTeleported' },
      { ...message(topic, 'k', { n: 3 }), type: 'PaymentVoided' },
    ]);

    await waitFor(() => handled.length >= 2 && fullyCommitted(broker, 'g-types', topic), { what: 'the declared types' });
    expect(handled).toEqual([1, 3]);
    const dead = broker.records(`${topic}.dlq`);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers).toMatchObject({
      [HEADER.type]: 'PaymentTeleported',
      [DLQ_HEADER.attempts]: '1',
      [DLQ_HEADER.errorName]: 'PermanentMessageError',
      [DLQ_HEADER.error]: `Unknown event type 'PaymentTeleported' on ${topic}: its contract declares PaymentCaptured, PaymentVoided`,
    });
  });

  it('resumes a group from its committed offsets after a restart, delivering only what it had not consumed', async () => {
    const broker = new InProcessBroker();
    const publisher = new InProcessPublisher(broker, 'test');
    const topic = freshTopic();
    const first: number[] = [];
    const second: number[] = [];
    const batch = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => message(topic, `k${(from + i) % 4}`, { n: from + i }));

    const app = await start(topic, (p) => void first.push(p.n), { broker, groupId: 'g-restart' });
    await publisher.publish(batch(0, 12));
    await waitFor(() => first.length >= 12 && fullyCommitted(broker, 'g-restart', topic), { what: 'the first consumer' });
    await stop(app);

    await publisher.publish(batch(12, 8)); // while nobody consumes
    await start(topic, (p) => void second.push(p.n), { broker, groupId: 'g-restart' });
    await waitFor(() => second.length >= 8 && fullyCommitted(broker, 'g-restart', topic), { what: 'the second consumer' });

    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect([...second].sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, n) => n + 12));
  });

  it('does not commit a message abandoned by a shutdown during its retries: the next consumer gets it again', async () => {
    const broker = new InProcessBroker(1);
    const publisher = new InProcessPublisher(broker, 'test');
    const topic = freshTopic();
    const second: Seen[] = [];
    let closing: Promise<void> | undefined;
    let attemptsBeforeShutdown = 0;

    const app = await start(
      topic,
      () => {
        attemptsBeforeShutdown++;
        // Shut down while this delivery is failing: the transport must give up without committing.
        closing ??= stop(app);
        throw new Error('failing while shutting down');
      },
      { broker, groupId: 'g-abandon' },
    );
    await publisher.publish([message(topic, 'k', { n: 1 })]);
    await waitFor(() => closing !== undefined, { what: 'the shutdown to begin' });
    await closing;

    expect(attemptsBeforeShutdown).toBe(1);
    expect(broker.committed('g-abandon', topic, 0)).toBe(0);
    expect(broker.records(`${topic}.dlq`)).toEqual([]);

    await start(topic, (p, ctx) => void second.push(seenOf(p, ctx)), { broker, groupId: 'g-abandon' });
    await waitFor(() => second.length >= 1 && broker.committed('g-abandon', topic, 0) === 1, { what: 'redelivery' });
    expect(second.map((s) => [s.n, s.offset, s.attempt])).toEqual([[1, '0', 1]]);
  });
});
