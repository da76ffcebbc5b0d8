/**
 * Order intake throughput: canonical orders published on commerce.orders.v1 → OrderAccepted on
 * oms.orders.v1, through the order-intake service on the real Kafka and PostgreSQL.
 *
 *   npm run bench:intake -- [--orders N] [--partitions P]
 *
 * Prints figures, asserts nothing. Writes bench/results/intake.{json,md} (latest run only).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { ORDER_EVENTS, TOPICS } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, ensureTopics, KafkaPublisher } from '@oms/messaging';
import { startService } from '@oms/platform';
import { orderIntakeService } from '../apps/order-intake/src/app/order-intake.service';
import { dropSchema, runBench, writeResults } from './support';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '5000' }, partitions: { type: 'string', default: '3' } } });
const ORDERS = Number(values.orders);
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `bench_intake_${Date.now().toString(36)}`;

const order = (channel: string, externalOrderId: string, i: number) => ({
  type: 'OrderPlaced',
  channel,
  externalOrderId,
  placedAt: new Date().toISOString(),
  currency: 'USD',
  customer: { email: `c${i}@example.com` },
  shipTo: { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
  lines: [
    { lineId: 'l1', sku: `SKU-${i % 50}`, quantity: 1 + (i % 3), unitPrice: 1999, taxes: [{ name: 'Tax', amount: 120 }] },
    { lineId: 'l2', sku: `SKU-${(i + 7) % 50}`, quantity: 1, unitPrice: 500, discounts: [{ amount: 50 }] },
  ],
  orderDiscounts: [{ code: 'TEN', amount: 100 }],
  shipping: { amount: 495 },
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'bench-intake' });
  // The broker keeps earlier runs' orders: start the service's new group after them.
  const partitions = Number(values.partitions);
  await ensureTopics(kafka, [...orderIntakeService.consumes, ...orderIntakeService.publishes].map((t) => ({ name: t.name, partitions, replicationFactor: 1 })));
  const admin = kafka.admin();
  await admin.connect();
  const metadata = await admin.fetchTopicMetadata({ topics: [TOPICS.commerceOrders.name] });
  await admin.disconnect();
  const actualPartitions = metadata.topics[0]!.partitions.length;
  if (actualPartitions !== partitions) console.log(`  (${TOPICS.commerceOrders.name} already exists with ${actualPartitions} partitions; measuring with those)`);
  await commitGroupAtEnd(kafka, `${run}-order-intake`, orderIntakeService.consumes.map((t) => t.name));
  const service = await startService(orderIntakeService, {
    env: {
      KAFKA_BROKERS: brokers.join(','),
      DATABASE_URL: databaseUrl,
      EVENT_STORE_SCHEMA: run,
      KAFKA_GROUP_ID: `${run}-order-intake`,
      KAFKA_PARTITIONS: values.partitions,
      HTTP_PORT: '0',
      LOG_LEVEL: 'error',
    },
    logger: false,
  });
  const publisher = new KafkaPublisher(kafka, { producerName: 'bench-storefront' });
  await publisher.connect();
  const channel = `bench-${run}`;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let done!: () => void;
  const allAccepted = new Promise<void>((resolve) => (done = resolve));
  const reader = kafka.consumer({ groupId: `${run}-reader`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: [TOPICS.omsOrders.name], fromBeginning: false });
  const joined = new Promise<void>((resolve) => reader.on(reader.events.GROUP_JOIN, () => resolve()));
  await reader.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        if (m.headers?.['event-type']?.toString() !== ORDER_EVENTS.accepted) continue;
        const payload = JSON.parse(m.value!.toString()) as { channel: string; externalOrderId: string };
        if (payload.channel !== channel) continue;
        const started = sentAt.get(payload.externalOrderId);
        if (started !== undefined) latencies.push(now - started);
        if (latencies.length === ORDERS) done();
      }
    },
  });
  await joined;

  console.log(`Order intake benchmark: ${ORDERS} orders, ${actualPartitions} partitions, node ${process.version}, ${cpus().length} cores`);
  const started = Date.now();
  for (let i = 0; i < ORDERS; i += 100) {
    const batch = Array.from({ length: Math.min(100, ORDERS - i) }, (_, j) => {
      const externalOrderId = `B-${i + j}`;
      sentAt.set(externalOrderId, Date.now());
      return {
        topic: TOPICS.commerceOrders.name,
        key: externalOrderId,
        eventId: randomUUID(),
        type: 'OrderPlaced',
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        payload: order(channel, externalOrderId, i + j),
      };
    });
    await publisher.publish(batch);
  }
  const published = Date.now();
  await allAccepted;
  const finished = Date.now();
  latencies.sort((a, b) => a - b);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    orders: ORDERS,
    partitions: actualPartitions,
    publishSeconds: (published - started) / 1000,
    totalSeconds: (finished - started) / 1000,
    ordersPerSecond: Math.round(ORDERS / ((finished - started) / 1000)),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
    perOrder: { storeAppends: 1, kafkaMessagesIn: 1, kafkaMessagesOut: 1 },
  };
  console.log(`  accepted ${ORDERS} orders in ${results.totalSeconds.toFixed(1)} s → ${results.ordersPerSecond} orders/s`);
  console.log(`  placed → OrderAccepted on oms.orders.v1: p50 ${results.latencyMs.p50} ms, p95 ${results.latencyMs.p95} ms, p99 ${results.latencyMs.p99} ms`);
  writeResults(
    'intake',
    results,
    `# Order intake benchmark\n\nLatest run only — ${results.date}. Node ${results.node}, ${results.cores} cores; PostgreSQL and Kafka on this machine.\n` +
      `Reproduce: \`npm run bench:intake -- --orders ${ORDERS} --partitions ${results.partitions}\`\n\n` +
      `| orders | partitions | orders/s (placed → accepted, end to end) | p50 | p95 | p99 |\n|---:|---:|---:|---:|---:|---:|\n` +
      `| ${ORDERS} | ${results.partitions} | ${results.ordersPerSecond} | ${results.latencyMs.p50} ms | ${results.latencyMs.p95} ms | ${results.latencyMs.p99} ms |\n\n` +
      `Each order: one Kafka message in, one decide and one append (one round trip) to its own stream, one relay publish out.\n` +
      `Latency includes queueing behind the ${ORDERS} orders published at once, so p95/p99 measure the backlog, not one order alone.\n`,
  );
  await reader.disconnect();
  await publisher.close();
  await service.close();
  await dropSchema(databaseUrl, run);
}

runBench(main);
