/**
 * Supplier gateway throughput on the real Kafka and PostgreSQL:
 *  1. POs dispatched per second: FulfilmentRequested (drop-ship groups) published on
 *     sourcing.allocations.v1 → PurchaseOrderDispatched on supplier.purchase-orders.v1 (API connector).
 *  2. Inbound acknowledgements per second: suppliers POST acknowledgements to the supplier API
 *     (16 at a time) → PurchaseOrderAcknowledged on the topic.
 *
 *   npm run bench:gateway -- [--pos N]
 *
 * Prints figures, asserts nothing. Writes bench/results/gateway.{json,md} (latest run only).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { FULFILMENT_FACTS, FULFILMENT_REQUESTS, TOPICS } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, ensureTopics, KafkaPublisher } from '@oms/messaging';
import { startService } from '@oms/platform';
import { poIdFor } from '../apps/supplier-gateway/src/app/application/purchase-orders';
import { supplierGatewayService } from '../apps/supplier-gateway/src/app/supplier-gateway.service';
import { dropSchema, runBench, writeResults } from './support';

const { values } = parseArgs({ options: { pos: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } } });
const POS = Number(values.pos);
const CONCURRENCY = Number(values.concurrency);
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `bench_gateway_${Date.now().toString(36)}`;
const ADMIN = `admin-${randomUUID()}`;

async function main(): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'bench-gateway' });
  await ensureTopics(kafka, [...supplierGatewayService.consumes, ...supplierGatewayService.publishes].map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: 1 })));
  await commitGroupAtEnd(kafka, `${run}-gateway`, supplierGatewayService.consumes.map((t) => t.name));
  const service = await startService(supplierGatewayService, {
    env: {
      KAFKA_BROKERS: brokers.join(','),
      DATABASE_URL: databaseUrl,
      EVENT_STORE_SCHEMA: run,
      KAFKA_GROUP_ID: `${run}-gateway`,
      HTTP_PORT: '0',
      LOG_LEVEL: 'error',
      GATEWAY_ADMIN_TOKEN: ADMIN,
    },
    logger: false,
  });
  const supplierId = `bench-${run}`;
  const registered = await fetch(`${service.url}/admin/suppliers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ supplierId, name: 'Bench Supplier', code: 'BNC', connector: 'api', confirmWithinHours: 24, shipWithinHours: 72 }),
  });
  const { apiKey } = (await registered.json()) as { apiKey: string };

  const seen = { dispatched: new Map<string, number>(), acknowledged: new Map<string, number>() };
  const orderIds = new Set<string>();
  let wake: (() => void) | undefined;
  const reader = kafka.consumer({ groupId: `${run}-reader`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: [TOPICS.supplierPurchaseOrders.name], fromBeginning: false });
  const joined = new Promise<void>((resolve) => reader.on(reader.events.GROUP_JOIN, () => resolve()));
  await reader.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        const type = m.headers?.['event-type']?.toString();
        const target = type === FULFILMENT_FACTS.purchaseOrderDispatched ? seen.dispatched : type === FULFILMENT_FACTS.purchaseOrderAcknowledged ? seen.acknowledged : undefined;
        if (!target) continue;
        const payload = JSON.parse(m.value!.toString()) as { orderId: string; poId: string };
        if (orderIds.has(payload.orderId)) target.set(payload.poId, now);
      }
      wake?.();
    },
  });
  await joined;
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 200)));
  };

  console.log(`Supplier gateway benchmark: ${POS} purchase orders, node ${process.version}, ${cpus().length} cores`);
  const publisher = new KafkaPublisher(kafka, { producerName: 'bench-sourcing' });
  await publisher.connect();
  const poIds: string[] = [];
  const started = Date.now();
  for (let i = 0; i < POS; i += 100) {
    const batch = Array.from({ length: Math.min(100, POS - i) }, (_, j) => {
      const orderId = randomUUID();
      orderIds.add(orderId);
      const groupId = `${orderId}:1:${supplierId}`;
      poIds.push(poIdFor(groupId));
      return {
        topic: TOPICS.sourcingAllocations.name,
        key: orderId,
        eventId: randomUUID(),
        type: FULFILMENT_REQUESTS.fulfilmentRequested,
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        payload: {
          orderId,
          groupId,
          nodeId: supplierId,
          nodeKind: 'supplier',
          planVersion: 1,
          orderNumber: `#${1000 + i + j}`,
          currency: 'USD',
          lines: [
            { lineId: 'l1', sku: 'SKU-1', quantity: 2, unitCost: 1250 },
            { lineId: 'l2', sku: 'SKU-2', quantity: 1, unitCost: 400 },
          ],
          shipTo: { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
          shipBy: new Date(Date.now() + 2 * 86_400_000).toISOString(),
          deliverBy: new Date(Date.now() + 5 * 86_400_000).toISOString(),
          requestedAt: new Date().toISOString(),
        },
      };
    });
    await publisher.publish(batch);
  }
  await until(() => seen.dispatched.size >= POS);
  const dispatchedIn = (Date.now() - started) / 1000;

  const ackStarted = Date.now();
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < poIds.length) {
        const poId = poIds[next++]!;
        const t0 = Date.now();
        const res = await fetch(`${service.url}/supplier-api/purchase-orders/${poId}/acknowledgement`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ lines: [{ lineNumber: 1, accepted: 2 }, { lineNumber: 2, accepted: 0, rejected: 1, reason: 'discontinued' }] }),
        });
        if (res.status !== 200) throw new Error(`acknowledgement ${poId}: HTTP ${res.status} ${await res.text()}`);
        latencies.push(Date.now() - t0);
      }
    }),
  );
  const answeredIn = (Date.now() - ackStarted) / 1000;
  await until(() => seen.acknowledged.size >= POS);
  const publishedIn = (Date.now() - ackStarted) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    purchaseOrders: POS,
    dispatch: { seconds: dispatchedIn, perSecond: Math.round(POS / dispatchedIn) },
    acknowledgements: {
      concurrency: CONCURRENCY,
      httpSeconds: answeredIn,
      httpPerSecond: Math.round(POS / answeredIn),
      publishedSeconds: publishedIn,
      publishedPerSecond: Math.round(POS / publishedIn),
      httpLatencyMs: { p50: pct(50), p95: pct(95), p99: pct(99) },
    },
  };
  console.log(`  dispatched ${POS} POs (FulfilmentRequested → PurchaseOrderDispatched on Kafka) in ${dispatchedIn.toFixed(1)} s → ${results.dispatch.perSecond} POs/s`);
  console.log(`  acknowledgements over the supplier API (${CONCURRENCY} at a time): ${results.acknowledgements.httpPerSecond}/s answered, ${results.acknowledgements.publishedPerSecond}/s published; HTTP p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms`);
  writeResults(
    'gateway',
    results,
    `# Supplier gateway benchmark\n\nLatest run only — ${results.date}. Node ${results.node}, ${results.cores} cores; PostgreSQL and Kafka on this machine.\n` +
      `Reproduce: \`npm run bench:gateway -- --pos ${POS}\`\n\n` +
      `| measure | per second |\n|---|---:|\n` +
      `| POs dispatched (request on Kafka → PO created → dispatched → fact on Kafka) | ${results.dispatch.perSecond} |\n` +
      `| acknowledgements answered over HTTP (${CONCURRENCY} concurrent suppliers' calls) | ${results.acknowledgements.httpPerSecond} |\n` +
      `| acknowledgements published on Kafka | ${results.acknowledgements.publishedPerSecond} |\n\n` +
      `HTTP latency of an acknowledgement: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms.\n`,
  );
  await reader.disconnect();
  await publisher.close();
  await service.close();
  await dropSchema(databaseUrl, run);
}

runBench(main);
