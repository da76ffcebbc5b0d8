import { randomUUID } from 'node:crypto';
import { CATALOG_EVENTS, FULFILMENT_FACTS, FULFILMENT_REQUESTS, ORDER_EVENTS, TOPICS, type OrderAcceptedV1 } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, DLQ_HEADER, ensureTopics, KafkaPublisher, type OutgoingMessage } from '@oms/messaging';
import { startService, type RunningService } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, orderAcceptedPayload, uniqueName, waitFor } from '@oms/testing';
import { sourcingService } from './sourcing.service';
import { TopicReader, type SeenMessage } from '@oms/messaging/testing';

const run = uniqueName('sourcing');
const schema = run.replace(/[^a-z0-9_]/g, '_');
const groupId = `${run}-sourcing`;
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'sourcing-test' });
const publisher = new KafkaPublisher(kafka, { producerName: 'sourcing-test' });

const ALLOCATIONS = TOPICS.sourcingAllocations.name;
const WMS_REQUESTS = TOPICS.wmsFulfilmentRequests.name;
const ORDERS_DLQ = `${TOPICS.omsOrders.name}.dlq`;

type Seen = SeenMessage;

interface LineQuantity {
  readonly lineId: string;
  readonly quantity: number;
}

interface PlanGroup {
  readonly groupId: string;
  readonly nodeId: string;
  readonly nodeKind: string;
  readonly lines: readonly LineQuantity[];
}

interface NodeView {
  readonly offers: Record<string, { unitCost: number }>;
  readonly stock?: {
    readonly levels: Record<string, { quantity: number }>;
    readonly reserved: Record<string, Record<string, number>>;
    readonly inTransit: Record<string, readonly { shipmentId: string; quantity: number }[]>;
  };
}

interface AllocationView {
  readonly version: number;
  readonly groups: readonly (PlanGroup & { planVersion: number })[];
  readonly unfulfillable: readonly LineQuantity[];
  readonly cancelled: Record<string, number>;
  readonly shipped: Record<string, Record<string, number>>;
  readonly pendingCancellation: Record<string, Record<string, number>>;
  readonly history: readonly { type: string; data: Record<string, unknown> }[];
}

const reader = new TopicReader(kafka);
const seen = reader.seen;
let service: RunningService;

/** What the service published about an order, of one type, on one topic. */
const published = (type: string, orderId: string, topic = ALLOCATIONS) => seen.filter((m) => m.topic === topic && m.type === type && m.payload['orderId'] === orderId);
const plans = (orderId: string) => published(FULFILMENT_FACTS.fulfilmentPlanned, orderId);
const requests = (orderId: string, topic = ALLOCATIONS) => published(FULFILMENT_REQUESTS.fulfilmentRequested, orderId, topic);

function one(probe: () => readonly Seen[], what: string, timeoutMs?: number): Promise<Seen> {
  return waitFor(() => probe()[0], { what, ...(timeoutMs ? { timeoutMs } : {}) });
}

const planVersion = (orderId: string, version: number) => one(() => plans(orderId).filter((m) => m.payload['version'] === version), `FulfilmentPlanned v${version} of ${orderId}`);

const message = (topic: string, key: string, type: string, payload: object, eventId: string = randomUUID()): OutgoingMessage => ({
  topic,
  key,
  eventId,
  type,
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  payload,
});

const shipTo = { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' };

function orderAccepted(orderId: string, lines: readonly { lineId: string; sku: string; quantity: number }[]): OutgoingMessage {
  return message(TOPICS.omsOrders.name, orderId, ORDER_EVENTS.accepted, orderAcceptedPayload({ orderId, channel: `test-${run}`, lines, unitPrice: 1999, shipTo }));
}

interface NodeSpec {
  readonly kind: 'warehouse' | 'supplier';
  /** sku → unit cost */
  readonly offers: Record<string, number>;
  /** sku → units on hand */
  readonly stock: Record<string, number>;
}

async function nodeView(nodeId: string): Promise<NodeView | undefined> {
  const response = await fetch(`${service.url}/nodes/${encodeURIComponent(nodeId)}`);
  return response.ok ? ((await response.json()) as NodeView) : undefined;
}

const holdsAt = async (nodeId: string, sku: string) => (await nodeView(nodeId))?.stock?.reserved[sku] ?? {};

/** Publishes a node's offers and stock, and waits until sourcing's catalog shows both. */
async function publishNodes(nodes: Record<string, NodeSpec>): Promise<void> {
  const asOf = new Date().toISOString();
  await publisher.publish(
    Object.entries(nodes).flatMap(([nodeId, spec]) => [
      message(TOPICS.catalogOffers.name, nodeId, CATALOG_EVENTS.nodeOffersPublished, {
        nodeId,
        node: { kind: spec.kind, handlingDays: 1, transitDays: 2, shipping: { perShipment: 500, perUnit: 0 }, dropShipAllowed: true, safetyBuffer: 0 },
        currency: 'USD',
        offers: Object.entries(spec.offers).map(([sku, unitCost]) => ({ sku, unitCost })),
        snapshot: true,
        asOf,
      }),
      message(TOPICS.inventoryStock.name, nodeId, CATALOG_EVENTS.stockReported, {
        nodeId,
        mode: 'snapshot',
        items: Object.entries(spec.stock).map(([sku, quantity]) => ({ sku, quantity })),
        asOf,
      }),
    ]),
  );
  await Promise.all(
    Object.entries(nodes).map(([nodeId, spec]) =>
      waitFor(
        async () => {
          const node = await nodeView(nodeId);
          return (
            node !== undefined &&
            Object.entries(spec.offers).every(([sku, unitCost]) => node.offers[sku]?.unitCost === unitCost) &&
            Object.entries(spec.stock).every(([sku, quantity]) => node.stock?.levels[sku]?.quantity === quantity)
          );
        },
        { what: `catalog and stock of ${nodeId}` },
      ),
    ),
  );
}

async function allocation(orderId: string): Promise<AllocationView> {
  const response = await fetch(`${service.url}/allocations/${orderId}`);
  if (!response.ok) throw new Error(`GET /allocations/${orderId}: ${response.status}`);
  return (await response.json()) as AllocationView;
}

/** Groups without their ids, in node order: what each node holds. */
const byNode = (groups: readonly Omit<PlanGroup, 'groupId'>[]) =>
  [...groups].map(({ nodeId, nodeKind, lines }) => ({ nodeId, nodeKind, lines })).sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));

const plannedVersions = (view: AllocationView) => view.history.filter((e) => e.type === 'FulfilmentPlanned').map((e) => e.data['version']);

const supplierFact = (orderId: string, type: string, payload: object, eventId?: string) =>
  message(TOPICS.supplierPurchaseOrders.name, orderId, type, { orderId, ...payload }, eventId);

const dispatched = (orderId: string, nodeId: string, lines: readonly LineQuantity[]) =>
  supplierFact(orderId, FULFILMENT_FACTS.shipmentDispatched, {
    shipmentId: `pkg-${randomUUID()}`,
    nodeId,
    poId: `po-${orderId}`,
    carrier: 'UPS',
    trackingNumber: '1Z999',
    lines,
    shippedAt: new Date().toISOString(),
  });

beforeAll(async () => {
  const consumed = sourcingService.consumes.map((t) => t.name);
  // A shared broker keeps earlier runs' traffic: this run's service starts after it.
  await ensureTopics(kafka, [...consumed, ORDERS_DLQ, ALLOCATIONS, WMS_REQUESTS].map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
  const started = commitGroupAtEnd(kafka, groupId, consumed).then(() =>
    startService(sourcingService, {
      env: {
        KAFKA_BROKERS: kafkaBrokers().join(','),
        DATABASE_URL: databaseUrl(),
        EVENT_STORE_SCHEMA: schema,
        KAFKA_GROUP_ID: groupId,
        KAFKA_PARTITIONS: '3',
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        CONSUMER_BACKOFF_MS: '20',
      },
      logger: false,
    }),
  );
  await Promise.all([started.then((s) => (service = s)), publisher.connect(), reader.follow([ALLOCATIONS, WMS_REQUESTS, ORDERS_DLQ])]);
}, 120_000);

afterAll(async () => {
  await reader.close();
  await publisher.close();
  await service?.close();
  await dropSchema(schema);
});

describe('sourcing on Kafka and PostgreSQL', () => {
  it('re-plans units a supplier rejects at the next node, once, however often the rejection arrives', async () => {
    const sku = uniqueName('sku');
    const s1 = uniqueName('s1');
    const s2 = uniqueName('s2');
    await publishNodes({
      [s1]: { kind: 'supplier', offers: { [sku]: 1000 }, stock: { [sku]: 10 } },
      [s2]: { kind: 'supplier', offers: { [sku]: 1200 }, stock: { [sku]: 10 } },
    });
    const orderId = randomUUID();
    await publisher.publish([orderAccepted(orderId, [{ lineId: 'l1', sku, quantity: 2 }])]);

    const first = await planVersion(orderId, 1);
    expect(first.key).toBe(orderId);
    expect(first.payload['groups']).toEqual([{ groupId: `${orderId}:1:${s1}`, nodeId: s1, nodeKind: 'supplier', lines: [{ lineId: 'l1', quantity: 2 }] }]);
    expect(first.payload['unfulfillable']).toEqual([]);
    expect(first.payload).not.toHaveProperty('candidates');
    const toS1 = await one(() => requests(orderId).filter((m) => m.payload['nodeId'] === s1), 'FulfilmentRequested to S1');
    expect(toS1.payload).toMatchObject({
      groupId: `${orderId}:1:${s1}`,
      nodeKind: 'supplier',
      planVersion: 1,
      currency: 'USD',
      shipTo,
      lines: [{ lineId: 'l1', sku, quantity: 2, unitCost: 1000 }],
    });
    expect(toS1.headers['correlation-id']).toBe(orderId);
    expect(await holdsAt(s1, sku)).toEqual({ [orderId]: 2 });

    const ackId = randomUUID();
    const rejection = { poId: `po-${orderId}`, supplierId: s1, at: new Date().toISOString(), lines: [{ lineId: 'l1', accepted: 0, rejected: 2, backordered: 0 }] };
    await publisher.publish([supplierFact(orderId, FULFILMENT_FACTS.purchaseOrderAcknowledged, rejection, ackId)]);

    const second = await planVersion(orderId, 2);
    expect(second.payload['groups']).toEqual([{ groupId: `${orderId}:2:${s2}`, nodeId: s2, nodeKind: 'supplier', lines: [{ lineId: 'l1', quantity: 2 }] }]);
    expect(second.payload['unfulfillable']).toEqual([]);
    const toS2 = await one(() => requests(orderId).filter((m) => m.payload['nodeId'] === s2), 'FulfilmentRequested to S2');
    expect(toS2.payload).toMatchObject({ groupId: `${orderId}:2:${s2}`, planVersion: 2, lines: [{ lineId: 'l1', sku, quantity: 2, unitCost: 1200 }] });
    // The hold moved with the units.
    await waitFor(async () => (await holdsAt(s1, sku))[orderId] === undefined, { what: 'S1 hold released' });
    expect(await holdsAt(s2, sku)).toEqual({ [orderId]: 2 });

    // A redelivery (same event id) and the same answer sent again as a new message.
    await publisher.publish([
      supplierFact(orderId, FULFILMENT_FACTS.purchaseOrderAcknowledged, rejection, ackId),
      supplierFact(orderId, FULFILMENT_FACTS.purchaseOrderAcknowledged, rejection),
    ]);
    // A later fact on the same key (same partition) tells when both were handled.
    await publisher.publish([dispatched(orderId, s2, [{ lineId: 'l1', quantity: 2 }])]);
    const view = await waitFor(
      async () => {
        const v = await allocation(orderId);
        return v.shipped[s2]?.['l1'] === 2 ? v : undefined;
      },
      { what: 'shipment recorded after the duplicates' },
    );
    expect(view.version).toBe(2);
    expect(plannedVersions(view)).toEqual([1, 2]);
    expect(view.history.filter((e) => e.type === 'UnitsReturnedByNode')).toHaveLength(1);
    expect(view.history.filter((e) => e.type === 'FulfilmentRequested').map((e) => e.data['nodeId'])).toEqual([s1, s2]);
    expect(plans(orderId).map((m) => m.payload['version'])).toEqual([1, 2]);
    expect(requests(orderId)).toHaveLength(2);
    // Shipped units leave the hold and count as gone until a newer stock feed.
    await waitFor(async () => (await holdsAt(s2, sku))[orderId] === undefined, { what: 'S2 hold consumed by the shipment' });
    expect((await nodeView(s2))?.stock?.inTransit[sku]?.map((s) => s.quantity)).toEqual([2]);
  });

  it('declares units unfulfillable when the only supplier rejects them', async () => {
    const sku = uniqueName('sku');
    const only = uniqueName('only');
    await publishNodes({ [only]: { kind: 'supplier', offers: { [sku]: 700 }, stock: { [sku]: 5 } } });
    const orderId = randomUUID();
    await publisher.publish([orderAccepted(orderId, [{ lineId: 'l1', sku, quantity: 3 }])]);
    await planVersion(orderId, 1);

    // The supplier takes one unit and refuses two: those have nowhere else to go.
    await publisher.publish([
      supplierFact(orderId, FULFILMENT_FACTS.purchaseOrderAcknowledged, {
        poId: `po-${orderId}`,
        supplierId: only,
        at: new Date().toISOString(),
        lines: [{ lineId: 'l1', accepted: 1, rejected: 2, backordered: 0 }],
      }),
    ]);
    const unfulfillable = await one(() => published(FULFILMENT_REQUESTS.linesUnfulfillable, orderId), 'LinesUnfulfillable');
    expect(unfulfillable.key).toBe(orderId);
    expect(unfulfillable.payload['lines']).toEqual([{ lineId: 'l1', quantity: 2 }]);
    expect(unfulfillable.payload['cancellationId']).toEqual(expect.any(String));
    expect(unfulfillable.payload['reason']).toEqual(expect.any(String));
    const second = await planVersion(orderId, 2);
    expect(second.payload['unfulfillable']).toEqual([{ lineId: 'l1', quantity: 2 }]);
    expect(second.payload['groups']).toEqual([{ groupId: `${orderId}:1:${only}`, nodeId: only, nodeKind: 'supplier', lines: [{ lineId: 'l1', quantity: 1 }] }]);
    await waitFor(async () => (await holdsAt(only, sku))[orderId] === 1, { what: 'hold lowered to the accepted unit' });
    expect(requests(orderId)).toHaveLength(1);
  });

  it('gives the last unit to exactly one of two orders racing for it', async () => {
    const sku = uniqueName('sku');
    const node = uniqueName('last');
    await publishNodes({ [node]: { kind: 'supplier', offers: { [sku]: 900 }, stock: { [sku]: 1 } } });
    const orderIds = [randomUUID(), randomUUID()];
    await publisher.publish(orderIds.map((orderId) => orderAccepted(orderId, [{ lineId: 'l1', sku, quantity: 1 }])));

    const [planA, planB] = await Promise.all(orderIds.map((orderId) => planVersion(orderId, 1)));
    // A decision is published as one run (plan, then its requests or unfulfillable lines) per key.
    const answered = (orderId: string) => requests(orderId).length > 0 || published(FULFILMENT_REQUESTS.linesUnfulfillable, orderId).length > 0;
    await waitFor(() => orderIds.every(answered), { what: 'both orders answered' });
    const winners = orderIds.filter((orderId) => requests(orderId).some((m) => m.payload['nodeId'] === node));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    const loser = orderIds.find((orderId) => orderId !== winner)!;
    const lost = await one(() => published(FULFILMENT_REQUESTS.linesUnfulfillable, loser), 'LinesUnfulfillable for the loser');
    expect(lost.payload['lines']).toEqual([{ lineId: 'l1', quantity: 1 }]);
    const planOf = (orderId: string) => (orderId === orderIds[0] ? planA : planB)!;
    expect(planOf(loser).payload).toMatchObject({ groups: [], unfulfillable: [{ lineId: 'l1', quantity: 1 }] });
    expect(planOf(winner).payload).toMatchObject({ groups: [{ nodeId: node, lines: [{ lineId: 'l1', quantity: 1 }] }], unfulfillable: [] });
    expect(requests(loser)).toHaveLength(0);
    expect(published(FULFILMENT_REQUESTS.linesUnfulfillable, winner)).toHaveLength(0);
    expect(await holdsAt(node, sku)).toEqual({ [winner]: 1 });
  });

  it('sends warehouse groups to the WMS and supplier groups to the gateway, and re-plans a warehouse shortage', async () => {
    const skuA = uniqueName('skuA');
    const skuB = uniqueName('skuB');
    const w1 = uniqueName('w1');
    const w2 = uniqueName('w2');
    const supplier = uniqueName('sup');
    await publishNodes({
      [w1]: { kind: 'warehouse', offers: { [skuA]: 100 }, stock: { [skuA]: 5 } },
      [w2]: { kind: 'warehouse', offers: { [skuA]: 300 }, stock: { [skuA]: 5 } },
      [supplier]: { kind: 'supplier', offers: { [skuB]: 800 }, stock: { [skuB]: 5 } },
    });
    const orderId = randomUUID();
    await publisher.publish([
      orderAccepted(orderId, [
        { lineId: 'l1', sku: skuA, quantity: 2 },
        { lineId: 'l2', sku: skuB, quantity: 1 },
      ]),
    ]);

    const first = await planVersion(orderId, 1);
    const firstGroups = first.payload['groups'] as PlanGroup[];
    expect(byNode(firstGroups)).toEqual(
      byNode([
        { nodeId: w1, nodeKind: 'warehouse', lines: [{ lineId: 'l1', quantity: 2 }] },
        { nodeId: supplier, nodeKind: 'supplier', lines: [{ lineId: 'l2', quantity: 1 }] },
      ]),
    );
    const toWarehouse = await one(() => requests(orderId, WMS_REQUESTS).filter((m) => m.payload['nodeId'] === w1), 'FulfilmentRequested to W1 on the WMS topic');
    expect(toWarehouse.key).toBe(orderId);
    expect(toWarehouse.payload).toMatchObject({ nodeKind: 'warehouse', planVersion: 1, shipTo, lines: [{ lineId: 'l1', sku: skuA, quantity: 2, unitCost: 100 }] });
    const toSupplier = await one(() => requests(orderId).filter((m) => m.payload['nodeId'] === supplier), 'FulfilmentRequested to the supplier');
    expect(toSupplier.payload).toMatchObject({ nodeKind: 'supplier', lines: [{ lineId: 'l2', sku: skuB, quantity: 1, unitCost: 800 }] });
    expect(requests(orderId).some((m) => m.payload['nodeKind'] === 'warehouse')).toBe(false);
    expect(requests(orderId, WMS_REQUESTS).some((m) => m.payload['nodeKind'] === 'supplier')).toBe(false);

    // W1 can ship only one of the two units.
    await publisher.publish([
      message(TOPICS.wmsShipments.name, orderId, FULFILMENT_REQUESTS.fulfilmentShortageReported, {
        orderId,
        reportId: `short-${randomUUID()}`,
        groupId: toWarehouse.payload['groupId'],
        nodeId: w1,
        lines: [{ lineId: 'l1', quantity: 1 }],
        reason: 'damaged in the bin',
        at: new Date().toISOString(),
      }),
    ]);
    const second = await planVersion(orderId, 2);
    const secondGroups = second.payload['groups'] as PlanGroup[];
    // W1 keeps the unit it can ship; the other goes to W2; the supplier's group is untouched.
    expect(byNode(secondGroups)).toEqual(
      byNode([
        { nodeId: w1, nodeKind: 'warehouse', lines: [{ lineId: 'l1', quantity: 1 }] },
        { nodeId: supplier, nodeKind: 'supplier', lines: [{ lineId: 'l2', quantity: 1 }] },
        { nodeId: w2, nodeKind: 'warehouse', lines: [{ lineId: 'l1', quantity: 1 }] },
      ]),
    );
    expect(second.payload['unfulfillable']).toEqual([]);
    const toW2 = await one(() => requests(orderId, WMS_REQUESTS).filter((m) => m.payload['nodeId'] === w2), 'FulfilmentRequested to W2');
    expect(toW2.payload).toMatchObject({ planVersion: 2, lines: [{ lineId: 'l1', sku: skuA, quantity: 1, unitCost: 300 }] });
    await waitFor(async () => (await holdsAt(w1, skuA))[orderId] === 1, { what: 'W1 hold lowered to one unit' });
    expect(await holdsAt(w2, skuA)).toEqual({ [orderId]: 1 });
    expect(requests(orderId)).toHaveLength(1);
  });

  it('asks the supplier to cancel what the customer cancels, and cancels the lines once the supplier confirms', async () => {
    const skuA = uniqueName('skuA');
    const skuB = uniqueName('skuB');
    const supplier = uniqueName('sup');
    await publishNodes({ [supplier]: { kind: 'supplier', offers: { [skuA]: 500, [skuB]: 600 }, stock: { [skuA]: 5, [skuB]: 5 } } });
    const orderId = randomUUID();
    await publisher.publish([
      orderAccepted(orderId, [
        { lineId: 'l1', sku: skuA, quantity: 2 },
        { lineId: 'l2', sku: skuB, quantity: 1 },
      ]),
    ]);
    await planVersion(orderId, 1);
    const groupId = `${orderId}:1:${supplier}`;
    await one(() => requests(orderId), 'FulfilmentRequested to the supplier');
    expect(requests(orderId).map((m) => m.payload['groupId'])).toEqual([groupId]);

    const requestId = `cancel-${randomUUID()}`;
    await publisher.publish([
      message(TOPICS.omsOrders.name, orderId, ORDER_EVENTS.cancellationRequested, {
        orderId,
        requestId,
        lines: [{ lineId: 'l1', quantity: 2 }],
        notCancellable: [],
        reason: 'changed my mind',
        requestedAt: new Date().toISOString(),
      }),
    ]);
    const cancelRequest = await one(() => published(FULFILMENT_REQUESTS.fulfilmentCancellationRequested, orderId), 'FulfilmentCancellationRequested');
    expect(cancelRequest.payload).toMatchObject({ requestId: `${requestId}:${supplier}`, nodeId: supplier, nodeKind: 'supplier', groupIds: [groupId], lines: [{ lineId: 'l1', quantity: 2 }] });
    expect(published(FULFILMENT_REQUESTS.fulfilmentCancellationRequested, orderId, WMS_REQUESTS)).toHaveLength(0);

    await publisher.publish([
      supplierFact(orderId, FULFILMENT_FACTS.purchaseOrderCancelled, { poId: `po-${orderId}`, supplierId: supplier, at: new Date().toISOString(), lines: [{ lineId: 'l1', quantity: 2 }] }),
    ]);
    const cancelled = await one(() => published(FULFILMENT_FACTS.orderLinesCancelled, orderId), 'OrderLinesCancelled');
    expect(cancelled.payload['lines']).toEqual([{ lineId: 'l1', quantity: 2 }]);
    expect(cancelled.payload['cancellationId']).toEqual(expect.any(String));
    expect(cancelled.payload).not.toHaveProperty('nodeId');

    // The line still held ships: when that is recorded, the cancellation was handled whole.
    await publisher.publish([dispatched(orderId, supplier, [{ lineId: 'l2', quantity: 1 }])]);
    const view = await waitFor(
      async () => {
        const v = await allocation(orderId);
        return v.shipped[supplier]?.['l2'] === 1 ? v : undefined;
      },
      { what: 'shipment of the line kept' },
    );
    expect(plannedVersions(view)).toEqual([1]);
    expect(view.cancelled).toEqual({ l1: 2 });
    expect(view.pendingCancellation[supplier]?.['l1'] ?? 0).toBe(0);
    expect(view.history.filter((e) => e.type === 'FulfilmentRequested')).toHaveLength(1);
    expect(requests(orderId)).toHaveLength(1);
    expect(published(FULFILMENT_REQUESTS.linesUnfulfillable, orderId)).toHaveLength(0);
    await waitFor(async () => (await holdsAt(supplier, skuA))[orderId] === undefined, { what: 'cancelled units released' });
  });

  it('dead-letters an OrderAccepted it cannot read and still plans the next order', async () => {
    const sku = uniqueName('sku');
    const node = uniqueName('dlq');
    await publishNodes({ [node]: { kind: 'supplier', offers: { [sku]: 400 }, stock: { [sku]: 3 } } });
    const good = randomUUID();
    const notUuid = orderAccepted(good, [{ lineId: 'l1', sku, quantity: 1 }]);
    const noLines = orderAccepted(randomUUID(), [{ lineId: 'l1', sku, quantity: 1 }]);
    const { lines: _lines, ...withoutLines } = noLines.payload as OrderAcceptedV1;
    // Both bad messages on the good order's key: they are ahead of it in one partition.
    await publisher.publish([
      { ...notUuid, payload: { ...(notUuid.payload as OrderAcceptedV1), orderId: 'not-a-uuid' } },
      { ...noLines, key: good, payload: withoutLines },
      orderAccepted(good, [{ lineId: 'l1', sku, quantity: 1 }]),
    ]);

    const plan = await planVersion(good, 1);
    expect(plan.payload['groups']).toEqual([{ groupId: `${good}:1:${node}`, nodeId: node, nodeKind: 'supplier', lines: [{ lineId: 'l1', quantity: 1 }] }]);
    const dead = await waitFor(() => {
      const found = seen.filter((m) => m.topic === ORDERS_DLQ && m.key === good);
      return found.length >= 2 ? found : undefined;
    }, { what: 'two dead letters' });
    expect(dead).toHaveLength(2);
    for (const d of dead) {
      expect(d.type).toBe(ORDER_EVENTS.accepted);
      expect(d.headers[DLQ_HEADER.originalTopic]).toBe(TOPICS.omsOrders.name);
      expect(d.headers[DLQ_HEADER.consumerGroup]).toBe(groupId);
      expect(d.headers[DLQ_HEADER.attempts]).toBe('1');
      expect(d.headers[DLQ_HEADER.errorName]).toBe('PermanentMessageError');
    }
    expect(dead.map((d) => d.payload['orderId'])).toEqual(['not-a-uuid', (noLines.payload as OrderAcceptedV1).orderId]);
    expect(dead[0]!.headers[DLQ_HEADER.error]).toContain('orderId');
    expect(dead[1]!.headers[DLQ_HEADER.error]).toContain('lines');
    await expect(allocation((noLines.payload as OrderAcceptedV1).orderId)).rejects.toThrow('404');
  });
});
