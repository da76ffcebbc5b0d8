import { PUBLIC_MESSAGES, TOPICS, type TopicKey } from '@oms/contracts';
import { createKafka } from '@oms/messaging';
import { kafkaBrokers } from '@oms/testing';
import { randomUUID } from 'node:crypto';
import { ALL_SERVICES } from '../tools/embedded/services';
import { allReady, describeMissing, FAULT_ENV, FAULT_WORLD, FAULTS_ORDERS, faultSystem, placeOrders, printFigures, settle } from './fault-run';

const INPUTS: readonly TopicKey[] = ['commerceOrders', 'commerceReturns', 'catalogOffers', 'inventoryStock', 'wmsShipments', 'carrierTracking'];
const PER_KIND = 3;
const ORDERS = Math.max(20, Math.round(FAULTS_ORDERS / 5));

const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'faults-poison' });
const producer = kafka.producer({ allowAutoTopicCreation: false });
const { system, deadLetters } = faultSystem({ world: FAULT_WORLD, env: { ...FAULT_ENV } }, { before: () => producer.connect(), after: () => producer.disconnect() });

interface Poison {
  readonly topic: string;
  readonly kind: string;
  readonly key: string;
  readonly value: string;
  readonly type: string;
}

/** Four kinds of bad record per input topic: not JSON, wrong types, missing fields, unknown type. */
function poisonFor(topicKey: TopicKey, n: number): Poison[] {
  const topic = TOPICS[topicKey].name;
  const knownType = PUBLIC_MESSAGES[topicKey]![0]!.type;
  const key = (kind: string) => `poison-${system.run}-${topicKey}-${kind}-${n}`;
  return [
    { topic, kind: 'not JSON', key: key('json'), type: knownType, value: `{"orderId": "${randomUUID()}", "lines": [1, 2` },
    { topic, kind: 'wrong types', key: key('types'), type: knownType, value: JSON.stringify({ orderId: 42, nodeId: [], externalOrderId: false, lines: 'all of them', quantity: '7', currency: 7, sku: { a: 1 }, at: 'yesterday', shipmentId: null }) },
    { topic, kind: 'missing fields', key: key('missing'), type: knownType, value: JSON.stringify({}) },
    { topic, kind: 'unknown type', key: key('unknown'), type: 'PoisonUnknownEventType', value: JSON.stringify({ hello: 'world' }) },
  ];
}

describe('fault injection: poison messages on every input topic', () => {
  it('dead-letters every bad record (or records it as a rejection) and processes every good message', async () => {
    const started = Date.now();
    const poison: Poison[] = [];
    const orderIds: string[] = [];
    // Bad records and good orders interleaved, on every input topic.
    for (let n = 0; n < PER_KIND; n++) {
      orderIds.push(...(await placeOrders(system, Math.ceil(ORDERS / PER_KIND), orderIds.length + 1)));
      const batch = INPUTS.flatMap((t) => poisonFor(t, n));
      for (const p of batch) {
        await producer.send({
          topic: system.topic(p.topic),
          acks: -1,
          messages: [{ key: p.key, value: p.value, headers: { 'event-id': randomUUID(), 'event-type': p.type, 'schema-version': '1', 'occurred-at': new Date().toISOString(), producer: 'faults-poison' } }],
        });
      }
      poison.push(...batch);
    }
    const { figures, missing } = await settle(system, orderIds.slice(0, ORDERS), deadLetters, started);

    // Every bad record of a type its topic carries must reach `<topic>.dlq`, dead-lettered by the
    // consumer groups that handle that type — or, where the service documents it, be recorded as a
    // rejection (order intake: OrderRejected, and the raw record dead-lettered too). A record of a
    // type the topic's contract does not declare is dead-lettered by every group that consumes the
    // topic (the messaging layer refuses it before any handler could skip it).
    const groupsOf = (topic: string) => ALL_SERVICES.filter((d) => d.consumes.some((t) => t.name === topic)).map((d) => `${system.run}-${d.name}`);
    const rows: Record<string, string> = {};
    const unaccounted: string[] = [];
    for (const topicKey of INPUTS) {
      const topic = TOPICS[topicKey].name;
      const mine = poison.filter((p) => p.topic === topic);
      const groups = groupsOf(topic);
      let deadLettered = 0;
      for (const p of mine) {
        const letters = deadLetters.mine(new Set([p.key]));
        deadLettered += letters.length;
        const by = new Set(letters.map((m) => m.headers['dlq-consumer-group']));
        const missingGroups = p.kind === 'unknown type' ? groups.filter((g) => !by.has(g)) : by.size > 0 ? [] : groups;
        if (missingGroups.length > 0) unaccounted.push(`${topic} ${p.kind} (${p.key}) not dead-lettered by ${missingGroups.join(', ')}`);
      }
      rows[topic] = `${mine.length} bad → ${deadLettered} dead letters (${groups.length} consumer group${groups.length > 1 ? 's' : ''})`;
    }
    printFigures(`Poison messages (${poison.length} bad records, ${ORDERS} good orders), FAULTS_ORDERS=${FAULTS_ORDERS}`, {
      ...rows,
      goodOrders: figures.orders,
      goodAccepted: figures.accepted,
      goodWithOutcome: figures.withOutcome,
      goodWithoutOutcome: figures.withoutOutcome,
      duplicatePurchaseOrders: figures.duplicatePurchaseOrders,
      duplicateRefunds: figures.duplicateRefunds,
      'bad records not dead-lettered (by every group that should)': unaccounted.length,
      seconds: figures.seconds,
    });
    expect(await describeMissing(system, missing)).toEqual([]);
    expect(unaccounted).toEqual([]);
    expect(figures).toMatchObject({ withoutOutcome: 0, duplicatePurchaseOrders: 0, duplicateRefunds: 0, overRefunded: 0 });
    expect(await allReady(system)).toBe(true);
  }, 600_000);
});
