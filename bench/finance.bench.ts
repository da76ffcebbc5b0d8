/**
 * Finance reconciler throughput on the real Kafka and PostgreSQL: each order's money-moving facts
 * published as the upstream services would (OrderAccepted and LinesCancelled on oms.orders.v1;
 * PurchaseOrderCreated, ShipmentDispatched and PurchaseOrderCancelled on supplier.purchase-orders.v1),
 * until every settlement event they cause has been seen on finance.settlements.v1.
 *
 *   npm run bench:finance -- [--orders N] [--suppliers S]
 *
 * Per order: 5 messages in; 7 ledger events appended (charge, PO committed, shipment, payable
 * accrued, margin, payable released, refund); 5 settlement events out; 2 supplier-account postings.
 * Prints figures, asserts nothing. Writes bench/results/finance.{json,md} (latest run only).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { AcceptedLineV1 } from '@oms/contracts';
import { TOPICS } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, ensureTopics, KafkaPublisher, type OutgoingMessage } from '@oms/messaging';
import { startService } from '@oms/platform';
import { financeReconcilerService } from '../apps/finance-reconciler/src/app/finance-reconciler.service';
import { FinanceClient, financeEnv } from '../apps/finance-reconciler/src/app/testing/finance-client';
import { linesCancelled, orderAccepted, purchaseOrderCancelled, purchaseOrderCreated, shipmentDispatched } from '../apps/finance-reconciler/src/app/testing/finance-inputs';
import { dropSchema, runBench, writeResults } from './support';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '1000' }, suppliers: { type: 'string', default: '8' } } });
const ORDERS = Number(values.orders);
const SUPPLIERS = Number(values.suppliers);
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `bench_finance_${Date.now().toString(36)}`;

const PER_ORDER = { messagesIn: 5, ledgerEvents: 7, settlementsOut: 5, accountPostings: 2 };

// l1: 2 × 19.99 less 1.00, tax 1.56; l2: 1 × 5.00, tax 0.41; shipping 4.95.
const LINES: readonly AcceptedLineV1[] = [
  { lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPrice: 1999, discount: 100, tax: 156, total: 3998 - 100 + 156 },
  { lineId: 'l2', sku: 'SKU-2', quantity: 1, unitPrice: 500, discount: 0, tax: 41, total: 541 },
];
const PAYABLE = 2 * 1250;
const RELEASED = 300;

function orderMessages(orderId: string, supplierId: string): OutgoingMessage[] {
  const poId = `po-${orderId}`;
  return [
    orderAccepted(orderId, { lines: LINES, shipping: { amount: 495, discount: 0, tax: 0 }, channel: `bench-${run}` }),
    purchaseOrderCreated(orderId, {
      poId,
      supplierId,
      lines: [
        { lineId: 'l1', sku: 'SKU-1', quantity: 2, unitCost: 1250 },
        { lineId: 'l2', sku: 'SKU-2', quantity: 1, unitCost: RELEASED },
      ],
    }),
    shipmentDispatched(orderId, { shipmentId: `pkg-${orderId}`, nodeId: supplierId, poId, lines: [{ lineId: 'l1', quantity: 2 }], trackingValid: true }),
    purchaseOrderCancelled(orderId, poId, supplierId, [{ lineId: 'l2', quantity: 1 }]),
    linesCancelled(orderId, `cancel-${orderId}`, [{ lineId: 'l2', quantity: 1 }], 541),
  ];
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'bench-finance' });
  const consumed = financeReconcilerService.consumes.map((t) => t.name);
  await ensureTopics(kafka, [...financeReconcilerService.consumes, ...financeReconcilerService.publishes].map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: 1 })));
  // The broker keeps earlier runs' traffic: start the service's new group after it.
  await commitGroupAtEnd(kafka, `${run}-finance`, consumed);
  const service = await startService(financeReconcilerService, {
    env: { ...financeEnv({ brokers, databaseUrl, schema: run, groupId: `${run}-finance` }), LOG_LEVEL: 'error' },
    logger: false,
  });
  const api = new FinanceClient(() => service.url);

  const sentAt = new Map<string, number>();
  const seenPerOrder = new Map<string, number>();
  const latencies: number[] = [];
  const byType: Record<string, number> = {};
  let settlements = 0;
  let done!: () => void;
  const allSeen = new Promise<void>((resolve) => (done = resolve));
  const reader = kafka.consumer({ groupId: `${run}-reader`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: [TOPICS.financeSettlements.name], fromBeginning: false });
  const joined = new Promise<void>((resolve) => reader.on(reader.events.GROUP_JOIN, () => resolve()));
  await reader.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        const orderId = m.key?.toString();
        const started = orderId === undefined ? undefined : sentAt.get(orderId);
        if (started === undefined) continue;
        const type = m.headers?.['event-type']?.toString() ?? '?';
        byType[type] = (byType[type] ?? 0) + 1;
        settlements++;
        const seen = (seenPerOrder.get(orderId!) ?? 0) + 1;
        seenPerOrder.set(orderId!, seen);
        if (seen === PER_ORDER.settlementsOut) latencies.push(now - started);
      }
      if (settlements >= ORDERS * PER_ORDER.settlementsOut) done();
    },
  });
  await joined;

  const suppliers = Array.from({ length: SUPPLIERS }, (_, i) => `bench-${run}-s${i}`);
  console.log(
    `Finance reconciler benchmark: ${ORDERS} orders (${ORDERS * PER_ORDER.messagesIn} messages in), ${SUPPLIERS} suppliers, node ${process.version}, ${cpus().length} cores, ` +
      `${service.env.KAFKA_CONSUMER_CONCURRENCY} partitions consumed at once`,
  );
  const publisher = new KafkaPublisher(kafka, { producerName: 'bench-upstream' });
  await publisher.connect();
  const started = Date.now();
  for (let i = 0; i < ORDERS; i += 100) {
    const batch: OutgoingMessage[] = [];
    for (let j = i; j < Math.min(ORDERS, i + 100); j++) {
      const orderId = randomUUID();
      sentAt.set(orderId, Date.now());
      batch.push(...orderMessages(orderId, suppliers[j % SUPPLIERS]!));
    }
    await publisher.publish(batch);
  }
  const published = Date.now();
  await allSeen;
  const finished = Date.now();

  // The supplier accounts are posted from the ledgers by their own processor, behind the ledgers.
  const posted = async () => {
    const accounts = await Promise.all(suppliers.map((s) => api.account(s)));
    const total = (kind: string) => accounts.reduce((n, a) => n + (a.totals['USD']?.[kind] ?? 0), 0);
    return total('payable_accrued') === ORDERS * PAYABLE && total('payable_released') === ORDERS * RELEASED;
  };
  while (!(await posted())) await new Promise((resolve) => setTimeout(resolve, 100));
  const accountsPosted = Date.now();

  const reportStarted = Date.now();
  const report = await api.report();
  const reportMs = Date.now() - reportStarted;

  latencies.sort((a, b) => a - b);
  const seconds = (finished - started) / 1000;
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    orders: ORDERS,
    suppliers: SUPPLIERS,
    consumerConcurrency: service.env.KAFKA_CONSUMER_CONCURRENCY,
    perOrder: PER_ORDER,
    publishSeconds: (published - started) / 1000,
    totalSeconds: seconds,
    ordersPerSecond: Math.round(ORDERS / seconds),
    messagesInPerSecond: Math.round((ORDERS * PER_ORDER.messagesIn) / seconds),
    ledgerEventsPerSecond: Math.round((ORDERS * PER_ORDER.ledgerEvents) / seconds),
    settlementEventsPerSecond: Math.round((ORDERS * PER_ORDER.settlementsOut) / seconds),
    settlementEventsByType: byType,
    orderLatencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
    supplierAccountsPostedSeconds: (accountsPosted - started) / 1000,
    report: { ms: reportMs, orders: report.orders.length, balanced: report.balanced },
  };
  console.log(`  all ${ORDERS * PER_ORDER.settlementsOut} settlement events seen in ${seconds.toFixed(1)} s (published in ${results.publishSeconds.toFixed(1)} s)`);
  console.log(
    `  → ${results.ordersPerSecond} orders/s, ${results.messagesInPerSecond} messages in/s, ${results.ledgerEventsPerSecond} ledger events/s, ${results.settlementEventsPerSecond} settlement events/s`,
  );
  console.log(`  first message → last settlement event of an order: p50 ${results.orderLatencyMs.p50} ms, p95 ${results.orderLatencyMs.p95} ms, p99 ${results.orderLatencyMs.p99} ms`);
  console.log(`  supplier accounts fully posted after ${results.supplierAccountsPostedSeconds.toFixed(1)} s; reconciliation report over ${report.orders.length} orders in ${reportMs} ms (balanced: ${report.balanced})`);

  writeResults(
    'finance',
    results,
    `# Finance reconciler benchmark\n\nLatest run only — ${results.date}. Node ${results.node}, ${results.cores} cores; PostgreSQL and Kafka on this machine.\n` +
      `Reproduce: \`npm run bench:finance -- --orders ${ORDERS} --suppliers ${SUPPLIERS}\`\n\n` +
      `Each order: ${PER_ORDER.messagesIn} messages in (OrderAccepted, PurchaseOrderCreated, ShipmentDispatched, PurchaseOrderCancelled, LinesCancelled), ` +
      `${PER_ORDER.ledgerEvents} ledger events appended, ${PER_ORDER.settlementsOut} settlement events out on finance.settlements.v1, ${PER_ORDER.accountPostings} supplier-account postings.\n` +
      `Measured from the first publish until the last settlement event was seen on the topic; ${results.consumerConcurrency} partitions consumed at once.\n\n` +
      `| orders | seconds | orders/s | messages in/s | ledger events/s | settlement events/s | p50 | p95 | p99 |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n` +
      `| ${ORDERS} | ${seconds.toFixed(1)} | ${results.ordersPerSecond} | ${results.messagesInPerSecond} | ${results.ledgerEventsPerSecond} | ${results.settlementEventsPerSecond} | ` +
      `${results.orderLatencyMs.p50} ms | ${results.orderLatencyMs.p95} ms | ${results.orderLatencyMs.p99} ms |\n\n` +
      `Latency is an order's first message published → its last settlement event seen; all ${ORDERS} orders are published at once, so p95/p99 measure the backlog.\n` +
      `Supplier accounts (${SUPPLIERS}, posted by their own processor from the ledgers) were complete after ${results.supplierAccountsPostedSeconds.toFixed(1)} s. ` +
      `The reconciliation report over the ${report.orders.length} orders took ${reportMs} ms (balanced: ${report.balanced}).\n`,
  );
  await reader.disconnect();
  await publisher.close();
  await service.close();
  await dropSchema(databaseUrl, run);
}

runBench(main);
