import { publishSupplierNode } from '../../../sourcing/src/app/testing/publish-supplier-node';
import { randomUUID } from 'node:crypto';
import { FULFILMENT_FACTS, FULFILMENT_REQUESTS, ORDER_EVENTS, TOPICS } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, ensureTopics, KafkaPublisher, type OutgoingMessage } from '@oms/messaging';
import { startService, type RunningService } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, orderAcceptedPayload, uniqueName, waitFor } from '@oms/testing';
import { sourcingService } from '../../../sourcing/src/app/sourcing.service';
import { poIdFor } from './application/purchase-orders';
import type { GatewayEnv } from './gateway.env';
import { supplierGatewayService } from './supplier-gateway.service';
import { GatewayClient, gatewayEnv, SHIP_TO } from './testing/gateway-client';
import { TopicReader } from '@oms/messaging/testing';

/**
 * The gateway between the real sourcing service and its suppliers: sourcing's requests become POs,
 * and what a supplier answers through the gateway is what sourcing plans on.
 */
const run = uniqueName('gwflow');
const gatewaySchema = `${run}_gateway`.replace(/[^a-z0-9_]/g, '_');
const sourcingSchema = `${run}_sourcing`.replace(/[^a-z0-9_]/g, '_');
const gatewayGroup = `${run}-supplier-gateway`;
const sourcingGroup = `${run}-sourcing`;
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'gateway-flow-test' });
const publisher = new KafkaPublisher(kafka, { producerName: 'gateway-flow-test' });
const reader = new TopicReader(kafka);
let gateway: RunningService<GatewayEnv>;
let sourcing: RunningService;
const api = new GatewayClient(() => gateway.url);

const ALLOCATIONS = TOPICS.sourcingAllocations.name;
const PO_FACTS = TOPICS.supplierPurchaseOrders.name;

const message = (topic: string, key: string, type: string, payload: object): OutgoingMessage => ({
  topic,
  key,
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  payload,
});

function orderAccepted(orderId: string, lines: readonly { lineId: string; sku: string; quantity: number }[]): OutgoingMessage {
  return message(TOPICS.omsOrders.name, orderId, ORDER_EVENTS.accepted, orderAcceptedPayload({ orderId, channel: `test-${run}`, lines, unitPrice: 2999, shipTo: SHIP_TO }));
}

const requestsTo = (orderId: string, nodeId: string) =>
  reader.find(ALLOCATIONS, FULFILMENT_REQUESTS.fulfilmentRequested, { orderId }).filter((m) => m.payload['nodeId'] === nodeId);

/** The PO as its supplier reads it over the API, once the gateway sent it. */
function supplierReads(apiKey: string, poId: string) {
  return waitFor(
    async () => {
      const reply = await api.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}`);
      return reply.status === 200 && reply.body['status'] === 'dispatched' ? reply.body : undefined;
    },
    { what: `PO ${poId} at its supplier` },
  );
}

beforeAll(async () => {
  const sourcingTopics = sourcingService.consumes.map((t) => t.name);
  // A shared broker keeps earlier runs' traffic: both services start after it.
  await ensureTopics(kafka, [...new Set([...sourcingTopics, ALLOCATIONS, `${ALLOCATIONS}.dlq`, PO_FACTS])].map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
  const env = { KAFKA_BROKERS: kafkaBrokers().join(','), DATABASE_URL: databaseUrl(), KAFKA_PARTITIONS: '3', HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', CONSUMER_BACKOFF_MS: '20' };
  await Promise.all([
    commitGroupAtEnd(kafka, sourcingGroup, sourcingTopics)
      .then(() => startService(sourcingService, { env: { ...env, EVENT_STORE_SCHEMA: sourcingSchema, KAFKA_GROUP_ID: sourcingGroup }, logger: false }))
      .then((s) => (sourcing = s)),
    commitGroupAtEnd(kafka, gatewayGroup, [ALLOCATIONS])
      .then(() => startService(supplierGatewayService, { env: gatewayEnv({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema: gatewaySchema, groupId: gatewayGroup }), logger: false }))
      .then((s) => (gateway = s)),
    publisher.connect(),
    reader.follow([ALLOCATIONS, PO_FACTS]),
  ]);
}, 120_000);

afterAll(async () => {
  await reader.close();
  await publisher.close();
  await gateway?.close();
  await sourcing?.close();
  await Promise.all([dropSchema(gatewaySchema), dropSchema(sourcingSchema)]);
});

describe('supplier gateway with the sourcing service', () => {
  it('re-plans the units supplier S1 rejects over the API at S2, whose PO the gateway then creates, ships and reports back', async () => {
    const sku = uniqueName('sku');
    const s1 = uniqueName('s1');
    const s2 = uniqueName('s2');
    const [keys1, keys2] = await Promise.all([
      api.registerSupplier({ supplierId: s1, name: 'First Supply', code: 'FIRST', connector: 'api', confirmWithinHours: 24, shipWithinHours: 72 }),
      api.registerSupplier({ supplierId: s2, name: 'Second Supply', code: 'SECOND', connector: 'api', confirmWithinHours: 24, shipWithinHours: 72 }),
    ]);
    // S1 is cheaper, so sourcing asks it first.
    await Promise.all([publishSupplierNode(publisher, () => sourcing.url, { nodeId: s1, sku, unitCost: 1000, stock: 10 }), publishSupplierNode(publisher, () => sourcing.url, { nodeId: s2, sku, unitCost: 1200, stock: 10 })]);

    const orderId = randomUUID();
    await publisher.publish([orderAccepted(orderId, [{ lineId: 'l1', sku, quantity: 2 }])]);
    await waitFor(() => requestsTo(orderId, s1)[0], { what: 'sourcing’s request to S1' });
    const poAtS1 = poIdFor(`${orderId}:1:${s1}`);
    const first = await supplierReads(keys1.apiKey, poAtS1);
    expect(first).toMatchObject({ lines: [{ lineId: 'l1', sku, quantity: 2, unitCost: 1000 }], shipTo: SHIP_TO });

    const rejection = await api.asSupplier(keys1.apiKey, 'POST', `/purchase-orders/${poAtS1}/acknowledgement`, { lines: [{ lineId: 'l1', rejected: 2, reason: 'out of stock' }] });
    // Nothing accepted: the PO ends with the answer.
    expect(rejection).toMatchObject({ status: 200, body: { kind: 'applied', status: 'cancelled' } });
    const rejected = await waitFor(() => reader.find(PO_FACTS, FULFILMENT_FACTS.purchaseOrderAcknowledged, { poId: poAtS1 })[0], { what: 'the rejection on the PO topic' });
    expect(rejected.payload['lines']).toEqual([{ lineId: 'l1', accepted: 0, rejected: 2, backordered: 0, reason: 'out of stock' }]);

    const toS2 = await waitFor(() => requestsTo(orderId, s2)[0], { what: 'sourcing’s re-plan to S2' });
    expect(toS2.payload).toMatchObject({ groupId: `${orderId}:2:${s2}`, planVersion: 2, lines: [{ lineId: 'l1', sku, quantity: 2, unitCost: 1200 }] });
    const poAtS2 = poIdFor(`${orderId}:2:${s2}`);
    const second = await supplierReads(keys2.apiKey, poAtS2);
    expect(second).toMatchObject({ poNumber: `${orderId.slice(0, 8)}-SECOND-2`, lines: [{ lineId: 'l1', sku, quantity: 2, unitCost: 1200 }] });
    // Each supplier sees only its own PO.
    expect((await api.asSupplier(keys1.apiKey, 'GET', `/purchase-orders/${poAtS2}`)).status).toBe(404);

    const ack = await api.asSupplier(keys2.apiKey, 'POST', `/purchase-orders/${poAtS2}/acknowledgement`, { lines: [{ lineId: 'l1', accepted: 2 }] });
    expect(ack.status).toBe(200);
    const ship = await api.asSupplier(keys2.apiKey, 'POST', `/purchase-orders/${poAtS2}/shipments`, {
      shipmentId: `S2-${orderId}`,
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      shippedAt: new Date().toISOString(),
      lines: [{ lineId: 'l1', quantity: 2 }],
    });
    expect(ship).toMatchObject({ status: 200, body: { kind: 'applied', status: 'shipped' } });

    // Sourcing took the gateway's shipment as S2's: the order's plan ends there, with no third request.
    const allocation = await waitFor(
      async () => {
        const response = await fetch(`${sourcing.url}/allocations/${orderId}`);
        const view = response.ok ? ((await response.json()) as { shipped: Record<string, Record<string, number>>; history: { type: string; data: Record<string, unknown> }[] }) : undefined;
        return view?.shipped[s2]?.['l1'] === 2 ? view : undefined;
      },
      { what: 'S2’s shipment recorded by sourcing' },
    );
    expect(allocation.history.filter((e) => e.type === 'FulfilmentRequested').map((e) => e.data['nodeId'])).toEqual([s1, s2]);
    expect(reader.find(ALLOCATIONS, FULFILMENT_REQUESTS.fulfilmentRequested, { orderId })).toHaveLength(2);
    expect(reader.find(PO_FACTS, FULFILMENT_FACTS.purchaseOrderCreated, { orderId }).map((m) => m.payload['supplierId'])).toEqual([s1, s2]);
  });
});
