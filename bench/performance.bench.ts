/**
 * Supplier-performance throughput on the real Kafka and PostgreSQL:
 *  1. Live projection: PO facts (created, dispatched, acknowledged, shipped or timed out) published
 *     on supplier.purchase-orders.v1 as the gateway would, until every fact is recorded in its
 *     supplier's scorecard stream (counted from the store) — facts per second end to end.
 *  2. Rebuild: POST /admin/rebuild folds every scorecard stream from the store again and compares
 *     with the live projection; its events per second against a plain read of the same events.
 *
 *   npm run bench:performance -- [--pos N] [--suppliers S]
 *
 * Prints figures, asserts nothing. Writes bench/results/performance.{json,md} (latest run only).
 */
import 'reflect-metadata';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { commitGroupAtEnd, createKafka, ensureTopics, KafkaPublisher, type OutgoingMessage } from '@oms/messaging';
import { startService } from '@oms/platform';
import { supplierPerformanceService } from '../apps/supplier-performance/src/app/supplier-performance.service';
import { PerformanceClient, performanceEnv, RecordedFacts } from '../apps/supplier-performance/src/app/testing/performance-client';
import { newPo, poFacts } from '../apps/supplier-performance/src/app/testing/po-facts';
import { dropSchema, runBench, writeResults } from './support';

const { values } = parseArgs({ options: { pos: { type: 'string', default: '10000' }, suppliers: { type: 'string', default: '100' } } });
const POS = Number(values.pos);
const SUPPLIERS = Number(values.suppliers);
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `bench_performance_${Date.now().toString(36)}`;

/** Every fifth PO of a supplier in twenty times out; the rest are acknowledged and shipped on time. */
function history(): { messages: OutgoingMessage[]; suppliers: string[] } {
  const suppliers = Array.from({ length: SUPPLIERS }, (_, i) => `${run}-s${i}`);
  const messages: OutgoingMessage[] = [];
  for (let n = 0; n < POS; n++) {
    const supplierId = suppliers[n % SUPPLIERS]!;
    const po = newPo(supplierId, 2 + (4 * n) / POS, 1 + (n % 3));
    messages.push(...poFacts(po, n % 20 === 0 ? 'timed_out' : 'shipped'));
  }
  return { messages, suppliers };
}

async function main(): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'bench-performance' });
  const consumed = supplierPerformanceService.consumes.map((t) => t.name);
  await ensureTopics(kafka, [...supplierPerformanceService.consumes, ...supplierPerformanceService.publishes].map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: 1 })));
  const admin = kafka.admin();
  await admin.connect();
  const [poTopic] = (await admin.fetchTopicMetadata({ topics: [consumed[0]!] })).topics;
  await admin.disconnect();
  const partitions = poTopic!.partitions.length;
  // The broker keeps earlier runs' traffic: start the service's new group after it.
  await commitGroupAtEnd(kafka, `${run}-performance`, consumed);
  const service = await startService(supplierPerformanceService, {
    env: { ...performanceEnv({ brokers, databaseUrl, schema: run, groupId: `${run}-performance` }), LOG_LEVEL: 'error' },
    logger: false,
  });
  const api = new PerformanceClient(() => service.url);
  const facts = new RecordedFacts(() => service.store);

  const { messages, suppliers } = history();
  console.log(`Supplier-performance benchmark: ${POS} POs of ${SUPPLIERS} suppliers, ${messages.length} facts, ${partitions} partitions; node ${process.version}, ${cpus().length} cores`);
  const publisher = new KafkaPublisher(kafka, { producerName: 'bench-gateway' });
  await publisher.connect();
  const started = Date.now();
  for (let i = 0; i < messages.length; i += 2000) await publisher.publish(messages.slice(i, i + 2000));
  const publishedIn = (Date.now() - started) / 1000;
  let lastReport = Date.now();
  while ((await facts.refresh()).total(suppliers) < messages.length) {
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      console.log(`  … ${facts.total(suppliers)} of ${messages.length} facts recorded after ${((lastReport - started) / 1000).toFixed(0)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const projectedIn = (Date.now() - started) / 1000;
  const rebuilt = await api.rebuild();
  const scorecards = (await api.list()).filter((c) => suppliers.includes(c.supplierId));

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    partitions,
    purchaseOrders: POS,
    suppliers: SUPPLIERS,
    facts: messages.length,
    live: { publishSeconds: publishedIn, seconds: projectedIn, factsPerSecond: Math.round(messages.length / projectedIn) },
    rebuild: {
      events: rebuilt.events,
      suppliers: rebuilt.suppliers,
      seconds: rebuilt.seconds,
      eventsPerSecond: rebuilt.eventsPerSecond,
      readSeconds: rebuilt.readSeconds,
      readEventsPerSecond: rebuilt.readEventsPerSecond,
      equal: rebuilt.equal,
      differing: rebuilt.differing.length,
    },
    scorecards: scorecards.length,
  };
  console.log(`  live: ${messages.length} facts published in ${publishedIn.toFixed(1)} s, all recorded after ${projectedIn.toFixed(1)} s → ${results.live.factsPerSecond} facts/s end to end`);
  console.log(
    `  rebuild: ${rebuilt.events} events in ${rebuilt.seconds.toFixed(2)} s → ${rebuilt.eventsPerSecond} events/s; plain read ${rebuilt.readSeconds.toFixed(2)} s → ${rebuilt.readEventsPerSecond} events/s; equal to live: ${rebuilt.equal}${rebuilt.equal ? '' : ` (${rebuilt.differing.length} differ: ${rebuilt.differing.slice(0, 5).join(', ')})`}`,
  );
  writeResults(
    'performance',
    results,
    `# Supplier-performance benchmark\n\nLatest run only — ${results.date}. Node ${results.node}, ${results.cores} cores; PostgreSQL and Kafka on this machine, ${partitions} partitions.\n` +
      `Reproduce: \`npm run bench:performance -- --pos ${POS} --suppliers ${SUPPLIERS}\`\n\n` +
      `${POS} POs of ${SUPPLIERS} suppliers: ${messages.length} PO facts (created, dispatched, then acknowledged and shipped, or timed out for 1 PO in 20).\n\n` +
      `| measure | count | seconds | per second |\n|---|---:|---:|---:|\n` +
      `| facts projected live (published on Kafka → recorded in the supplier's scorecard stream) | ${messages.length} | ${projectedIn.toFixed(1)} | ${results.live.factsPerSecond} |\n` +
      `| rebuild from the store (read + fold every scorecard stream) | ${rebuilt.events} events | ${rebuilt.seconds.toFixed(2)} | ${rebuilt.eventsPerSecond} |\n` +
      `| plain read of the same events (the limit) | ${rebuilt.events} events | ${rebuilt.readSeconds.toFixed(2)} | ${rebuilt.readEventsPerSecond} |\n\n` +
      `Each fact: one Kafka message in, one decide (the supplier's scorecard over its whole history) and one append of the fact ` +
      `and, when the figures moved, the new scorecard; the relay publishes each scorecard on supplier.scorecards.v1.\n` +
      `The rebuild's events include the scorecards and flag decisions, not only the facts. Rebuilt state equal to the live projection: ${rebuilt.equal}.\n`,
  );
  await publisher.close();
  await service.close();
  await dropSchema(databaseUrl, run);
}

runBench(main);
