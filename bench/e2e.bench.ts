/**
 * `npm run bench:e2e`: orders through all six services as separate processes on the local Kafka and
 * PostgreSQL, with simulated suppliers and a warehouse answering at once. Prints and writes
 * (bench/results/e2e.{json,md}) the sustained orders/s from placed to settled, the latency of
 * placed → PO dispatched and placed → settled, CPU and peak memory per service, and the limit of
 * this machine measured in the same run: raw Kafka produce+consume and raw store appends, divided by
 * what one order costs in messages and appends.
 *
 *   npm run bench:e2e -- --orders 1000 [--rate 0]     (rate: orders/s; 0 = all at once)
 */
import { FULFILMENT_FACTS, TOPICS } from '@oms/contracts';
import { openPostgresEventStore, NO_STREAM } from '@oms/event-store';
import { createKafka } from '@oms/messaging';
import { databaseUrl, kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { E2eSystem, SERVICES, type ServiceName } from '../e2e/scenarios/system';
import { orderFor, orderPlaced } from '../tools/simulator/storefront';
import { worldFor, type World } from '../tools/simulator/world';
import { dropSchema, runBench, writeResults } from './support';

/** The happy world with every node answering at once and stock that does not run out. */
const BENCH_WORLD: World = (() => {
  const happy = worldFor('happy');
  return {
    ...happy,
    suppliers: happy.suppliers.map((s) => ({ ...s, stock: 1_000_000, habits: { ackAfterMinutes: 0, shipAfterHours: 0 } })),
    warehouses: happy.warehouses.map((w) => ({ ...w, stock: 1_000_000, shipAfterHours: 0, shortageShare: 0 })),
    cancelShare: 0,
    returnShare: 0,
    deliveryAfterHours: 0,
  };
})();

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'n/a');

/** utime + stime of a process, in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident memory of a process, in MB (Linux /proc VmHWM). */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024);
}

async function topicEnds(kafka: ReturnType<typeof createKafka>, topics: readonly string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high);
    return total;
  } finally {
    await admin.disconnect();
  }
}

async function storedEvents(system: E2eSystem): Promise<number> {
  const pg = new Client({ connectionString: databaseUrl() });
  await pg.connect();
  try {
    let total = 0;
    for (const service of SERVICES) total += Number((await pg.query(`SELECT count(*)::int AS n FROM ${system.schema(service)}.events`)).rows[0].n);
    return total;
  } finally {
    await pg.end();
  }
}

/** Raw kafkajs on this broker: produce then consume `count` ~300-byte messages on a fresh topic. */
async function rawKafka(count: number): Promise<{ producePerSecond: number; consumePerSecond: number; movedPerSecond: number }> {
  const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'bench-raw' });
  const topic = uniqueName('bench-raw');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.from(JSON.stringify({ orderId: randomUUID(), lines: [{ lineId: '1', sku: 'SKU-1', quantity: 1, unitPrice: 1999 }], at: new Date().toISOString() }).padEnd(300, ' '));
  const produceStart = performance.now();
  for (let sent = 0; sent < count; sent += 500) {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: Math.min(500, count - sent) }, (_, i) => ({ key: String(sent + i), value })) });
  }
  const produceSeconds = (performance.now() - produceStart) / 1000;
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: uniqueName('bench-raw'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let consumed = 0;
  const consumeStart = performance.now();
  await consumer.run({ eachBatch: async ({ batch }) => void (consumed += batch.messages.length) });
  await waitFor(() => consumed >= count, { what: 'raw consume', timeoutMs: 120_000, intervalMs: 20 });
  const consumeSeconds = (performance.now() - consumeStart) / 1000;
  await consumer.disconnect();
  return { producePerSecond: count / produceSeconds, consumePerSecond: count / consumeSeconds, movedPerSecond: count / (produceSeconds + consumeSeconds) };
}

/** Raw store appends: 8 writers, one event per append, on a fresh schema, for `seconds`. */
async function rawAppends(seconds: number): Promise<number> {
  const schema = uniqueName('bench_raw').replace(/-/g, '_');
  const store = await openPostgresEventStore({ connectionString: databaseUrl(), schema, poolSize: 8 });
  try {
    let appended = 0;
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < until) {
          await store.append(`bench-${randomUUID()}`, [{ id: randomUUID(), type: 'BenchEvent', data: { n: appended } }], NO_STREAM);
          appended++;
        }
      }),
    );
    return appended / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    await dropSchema(databaseUrl(), schema);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { orders: { type: 'string', default: '1000' }, rate: { type: 'string', default: '0' } } });
  const orders = Number(values.orders);
  const rate = Number(values.rate);
  const system = new E2eSystem({ world: BENCH_WORLD, speed: 1, env: { EVENT_STORE_POOL_SIZE: '5', KAFKA_PARTITIONS: '6' } });
  const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'bench-e2e' });
  console.log(`Starting six services as processes (Kafka ${kafkaBrokers().join(',')}, PostgreSQL)…`);
  await system.start();
  try {
    const topics = [...new Set(Object.values(TOPICS).map((t) => system.topic(t.name)))];
    const messagesBefore = await topicEnds(kafka, topics);
    const eventsBefore = await storedEvents(system);
    const cpuBefore = Object.fromEntries(SERVICES.map((s) => [s, cpuSeconds(system.pid(s))]));

    // The orders: the storefront's mix (single-supplier, multi-supplier, warehouse + supplier).
    const placed = new Map<string, { at: number; units: number }>();
    const started = performance.now();
    const startedWall = Date.now();
    for (let n = 1; n <= orders; n += 50) {
      const batch = Array.from({ length: Math.min(50, orders - n + 1) }, (_, i) => orderFor(BENCH_WORLD, system.run, n + i, system.clock.now()).order);
      if (rate > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedWall + ((n - 1) / rate) * 1000 - Date.now())));
      const at = Date.now();
      await system.publish(...batch.map((order) => orderPlaced(order, system.clock.now())));
      for (const order of batch) placed.set(order.externalOrderId, { at, units: order.lines.reduce((sum, l) => sum + l.quantity, 0) });
    }
    console.log(`Placed ${orders} orders in ${Math.round(performance.now() - started)} ms; waiting for every one to settle…`);

    // Settled: finance has recognised the margin of every unit shipped (all units ship here).
    const orderIdOf = new Map<string, string>();
    const settledAt = new Map<string, number>();
    const dispatchedAt = new Map<string, number>();
    const marginUnits = new Map<string, number>();
    let scanned = 0;
    const scan = () => {
      const seen = system.reader.seen;
      for (; scanned < seen.length; scanned++) {
        const m = seen[scanned]!;
        if (m.topic === TOPICS.omsOrders.name && m.type === 'OrderAccepted') orderIdOf.set(String(m.payload['orderId']), String(m.payload['externalOrderId']));
        if (m.topic === TOPICS.supplierPurchaseOrders.name && m.type === FULFILMENT_FACTS.purchaseOrderDispatched && m.key && !dispatchedAt.has(m.key)) dispatchedAt.set(m.key, m.receivedAt);
        if (m.topic === TOPICS.financeSettlements.name && m.type === 'MarginRecognised' && m.key && m.payload['cause'] === 'shipment') {
          const units = (marginUnits.get(m.key) ?? 0) + (m.payload['lines'] as { quantity: number }[]).reduce((sum, l) => sum + l.quantity, 0);
          marginUnits.set(m.key, units);
          const external = orderIdOf.get(m.key);
          if (external && units >= placed.get(external)!.units && !settledAt.has(m.key)) settledAt.set(m.key, m.receivedAt);
        }
      }
      return settledAt.size;
    };
    await waitFor(() => scan() >= orders, { what: `${orders} orders settled`, timeoutMs: 30 * 60_000, intervalMs: 200 });
    const seconds = (Math.max(...settledAt.values()) - startedWall) / 1000;

    const latencies = (until: Map<string, number>) =>
      [...until.entries()]
        .flatMap(([orderId, at]) => {
          const external = orderIdOf.get(orderId);
          const p = external ? placed.get(external) : undefined;
          return p ? [at - p.at] : [];
        })
        .sort((a, b) => a - b);
    const toDispatch = latencies(dispatchedAt);
    const toSettle = latencies(settledAt);
    const perService = SERVICES.map((s) => ({ service: s as ServiceName, cpuSeconds: Math.round((cpuSeconds(system.pid(s)) - cpuBefore[s]!) * 10) / 10, peakRssMb: peakRssMb(system.pid(s)) }));
    const messagesPerOrder = ((await topicEnds(kafka, topics)) - messagesBefore) / orders;
    const appendsPerOrder = ((await storedEvents(system)) - eventsBefore) / orders;
    await system.stop();

    console.log('Measuring the limit on this machine: raw Kafka and raw store appends…');
    const kafkaRaw = await rawKafka(50_000);
    const storeRaw = await rawAppends(5);
    const ceilings = { kafka: kafkaRaw.movedPerSecond / messagesPerOrder, store: storeRaw / appendsPerOrder };
    const limit = Math.min(ceilings.kafka, ceilings.store);
    const ordersPerSecond = orders / seconds;

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model },
      orders,
      rate: rate > 0 ? rate : 'all at once',
      seconds: Math.round(seconds * 10) / 10,
      ordersPerSecond: Math.round(ordersPerSecond * 10) / 10,
      latencyMs: {
        placedToPoDispatched: { p50: percentile(toDispatch, 50), p95: percentile(toDispatch, 95), p99: percentile(toDispatch, 99) },
        placedToSettled: { p50: percentile(toSettle, 50), p95: percentile(toSettle, 95), p99: percentile(toSettle, 99) },
      },
      perService,
      cost: { messagesPerOrder: Math.round(messagesPerOrder * 10) / 10, appendsPerOrder: Math.round(appendsPerOrder * 10) / 10 },
      limit: {
        rawKafka: { producePerSecond: Math.round(kafkaRaw.producePerSecond), consumePerSecond: Math.round(kafkaRaw.consumePerSecond), producedAndConsumedPerSecond: Math.round(kafkaRaw.movedPerSecond) },
        rawStoreAppendsPerSecond: Math.round(storeRaw),
        ordersPerSecondCeiling: { kafka: Math.round(ceilings.kafka * 10) / 10, store: Math.round(ceilings.store * 10) / 10 },
        pipelineShareOfLimit: Math.round((ordersPerSecond / limit) * 1000) / 1000,
      },
    };
    const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
    const markdown = [
      `# End-to-end benchmark (${results.date.slice(0, 10)}, ${results.machine.cpus} cores)`,
      '',
      `${orders} orders (the storefront's mix: single-supplier, multi-supplier, warehouse + supplier), placed ${rate > 0 ? `at ${rate}/s` : 'all at once'}, through the six services as separate processes on the local Kafka and PostgreSQL; simulated suppliers and warehouse answer at once. Reproduce: \`npm run kafka:start && npm run bench:e2e -- --orders ${orders}${rate > 0 ? ` --rate ${rate}` : ''}\`.`,
      '',
      row(['figure', 'value']),
      row(['---', '---']),
      row(['sustained orders/s, placed → settled', results.ordersPerSecond]),
      row(['placed → PO dispatched p50 / p95 / p99', `${ms(results.latencyMs.placedToPoDispatched.p50)} / ${ms(results.latencyMs.placedToPoDispatched.p95)} / ${ms(results.latencyMs.placedToPoDispatched.p99)}`]),
      row(['placed → settled p50 / p95 / p99', `${ms(results.latencyMs.placedToSettled.p50)} / ${ms(results.latencyMs.placedToSettled.p95)} / ${ms(results.latencyMs.placedToSettled.p99)}`]),
      row(['Kafka messages per order (all topics)', results.cost.messagesPerOrder]),
      row(['store appends (events) per order (all services)', results.cost.appendsPerOrder]),
      row(['raw kafkajs produce / consume / both, msgs/s', `${results.limit.rawKafka.producePerSecond} / ${results.limit.rawKafka.consumePerSecond} / ${results.limit.rawKafka.producedAndConsumedPerSecond}`]),
      row(['raw store appends/s (8 writers, 1 event each)', results.limit.rawStoreAppendsPerSecond]),
      row(['ceiling orders/s from Kafka / from the store', `${results.limit.ordersPerSecondCeiling.kafka} / ${results.limit.ordersPerSecondCeiling.store}`]),
      row(['pipeline as a share of the lower ceiling', `${Math.round(results.limit.pipelineShareOfLimit * 1000) / 10}%`]),
      '',
      row(['service', 'CPU seconds during the run', 'peak RSS MB']),
      row(['---', '---', '---']),
      ...perService.map((s) => row([s.service, s.cpuSeconds, s.peakRssMb])),
      '',
      'Latencies with all orders placed at once include the time an order waits behind the others (a backlog), not the path alone; `--rate` places them at a steady pace. The ceilings treat each order as its messages moved through one raw producer and consumer, and its events appended by 8 raw writers: the pipeline also decides, reads streams, serves the suppliers over HTTP and shares the 2 cores with the broker and PostgreSQL.',
      '',
    ].join('\n');
    writeResults('e2e', results, markdown);
    console.log(`\n${markdown}`);
  } catch (error) {
    await system.stop().catch(() => undefined);
    throw error;
  }
}

runBench(main);
