import { FULFILMENT_FACTS, FULFILMENT_REQUESTS, FulfilmentCancellationRequestedV1, FulfilmentRequestedV1, ShipmentDispatchedV1, TOPICS, validatePayload, WarehouseLinesFactV1 } from '@oms/contracts';
import type { OutgoingMessage } from '@oms/messaging';
import { ManualClock } from '@oms/platform';
import { randomUUID } from 'node:crypto';
import { validateTracking } from '../../apps/supplier-gateway/src/app/tracking';
import type { SimulatorLinks } from './links';
import { SimulatedWarehouse } from './warehouse';
import { worldFor, type SimWarehouse } from './world';

const HOUR = 3_600_000;
const SEED = 'sim-42';
const REQUESTED_AT = new Date('2026-03-02T10:00:00.000Z');

/** Links without a broker or services: what is published is kept to look at. */
function fakeLinks(): { links: SimulatorLinks; published: OutgoingMessage[]; clock: ManualClock } {
  const published: OutgoingMessage[] = [];
  const clock = new ManualClock(REQUESTED_AT);
  const links: SimulatorLinks = {
    messaging: () => Promise.reject(new Error('no broker in unit tests')),
    publisher: {
      publish: async (messages) => {
        published.push(...messages);
      },
    },
    gatewayUrl: 'http://gateway.invalid',
    returnsUrl: 'http://returns.invalid',
    gatewayAdminToken: 'unused',
    clock,
    log: () => undefined,
  };
  return { links, published, clock };
}

const reno: SimWarehouse = { ...worldFor('mixed').warehouses[0]!, shortageShare: 0 };
const shipAt = new Date(REQUESTED_AT.getTime() + reno.shipAfterHours * HOUR);
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

/** A `FulfilmentRequested` as sourcing publishes it on `wms.fulfilment-requests.v1`. */
function request(orderId: string, options: { version?: number; nodeId?: string } = {}) {
  const nodeId = options.nodeId ?? reno.nodeId;
  const version = options.version ?? 1;
  return {
    orderId,
    groupId: `${orderId}:${version}:${nodeId}`,
    nodeId,
    nodeKind: 'warehouse',
    planVersion: version,
    orderNumber: '#00007',
    currency: 'USD',
    lines: [
      { lineId: '1', sku: 'MUG-STONE', name: 'Stoneware mug', quantity: 2, unitCost: 500 },
      { lineId: '3', sku: 'CANDLE-CEDAR', name: 'Cedar candle', quantity: 1, unitCost: 700 },
    ],
    shipTo: { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
    shipBy: '2026-03-03T10:00:00.000Z',
    deliverBy: '2026-03-06T10:00:00.000Z',
    requestedAt: REQUESTED_AT.toISOString(),
  };
}

/** A `FulfilmentCancellationRequested` for units of the order's groups at the warehouse. */
function cancellation(orderId: string, lines: { lineId: string; quantity: number }[], groupIds = [`${orderId}:1:${reno.nodeId}`]) {
  return { orderId, nodeId: reno.nodeId, nodeKind: 'warehouse', requestId: `cancel-${orderId}`, groupIds, lines, reason: 'customer changed their mind', requestedAt: REQUESTED_AT.toISOString() };
}

describe('SimulatedWarehouse', () => {
  it('uses fixtures sourcing could have published', () => {
    const orderId = randomUUID();
    expect(validatePayload(FulfilmentRequestedV1, request(orderId)).ok).toBe(true);
    expect(validatePayload(FulfilmentCancellationRequestedV1, cancellation(orderId, [{ lineId: '1', quantity: 1 }])).ok).toBe(true);
  });

  it('ships a request for its node after its handling time, as ShipmentDispatched with the lines and a valid tracking number', async () => {
    const { links, published } = fakeLinks();
    const warehouse = new SimulatedWarehouse([reno], links, SEED);
    const orderId = randomUUID();

    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId));
    await warehouse.tick(later(shipAt, -1));
    expect(published).toEqual([]);
    await warehouse.tick(shipAt);
    await warehouse.tick(later(shipAt, HOUR));

    expect(published).toHaveLength(1);
    const shipment = published[0]!;
    expect(shipment).toMatchObject({ topic: TOPICS.wmsShipments.name, key: orderId, type: FULFILMENT_FACTS.shipmentDispatched });
    expect(shipment.payload).toMatchObject({
      orderId,
      nodeId: reno.nodeId,
      carrier: 'UPS',
      lines: [
        { lineId: '1', quantity: 2 },
        { lineId: '3', quantity: 1 },
      ],
      shippedAt: shipAt.toISOString(),
    });
    expect(validatePayload(ShipmentDispatchedV1, shipment.payload)).toEqual({ ok: true, value: expect.anything() });
    const { trackingNumber } = shipment.payload as { trackingNumber: string };
    expect(validateTracking('UPS', trackingNumber)).toMatchObject({ valid: true, verified: true });
    expect(warehouse.counts).toMatchObject({ requests: 1, shipments: 1, shortages: 0 });
  });

  it('takes a redelivered request once', async () => {
    const { links, published } = fakeLinks();
    const warehouse = new SimulatedWarehouse([reno], links, SEED);
    const orderId = randomUUID();

    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId));
    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId));
    await warehouse.tick(shipAt);

    expect(published).toHaveLength(1);
  });

  it('gives every group its own shipment id, also two groups of one order (a re-plan sending more units to it)', async () => {
    const { links, published } = fakeLinks();
    const warehouse = new SimulatedWarehouse([reno], links, SEED);
    const orderId = randomUUID();

    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId, { version: 1 }));
    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId, { version: 2 }));
    await warehouse.tick(shipAt);

    const ids = published.map((m) => (m.payload as { shipmentId: string }).shipmentId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    const tracking = published.map((m) => (m.payload as { trackingNumber: string }).trackingNumber);
    expect(new Set(tracking).size).toBe(2);
  });

  it('names a shipment the same in a resumed run (its tasks saved), so shipping it again is a duplicate', async () => {
    const first = fakeLinks();
    const second = fakeLinks();
    const warehouse = new SimulatedWarehouse([reno], first.links, SEED);
    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(randomUUID()));
    const resumed = new SimulatedWarehouse([reno], second.links, SEED, JSON.parse(JSON.stringify(warehouse.tasks.toJSON())));

    await warehouse.tick(shipAt);
    await resumed.tick(later(shipAt, HOUR));

    expect(second.published[0]!.eventId).toBe(first.published[0]!.eventId);
    expect(second.published[0]!.payload).toMatchObject({ shipmentId: (first.published[0]!.payload as { shipmentId: string }).shipmentId });
  });

  it('reports every line short when it always comes up short', async () => {
    const { links, published } = fakeLinks();
    const warehouse = new SimulatedWarehouse([{ ...reno, shortageShare: 1 }], links, SEED);
    const orderId = randomUUID();

    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId));
    await warehouse.tick(later(REQUESTED_AT, 0.5 * HOUR));
    await warehouse.tick(later(shipAt, HOUR));

    expect(published).toHaveLength(1);
    const shortage = published[0]!;
    expect(shortage).toMatchObject({ topic: TOPICS.wmsShipments.name, key: orderId, type: FULFILMENT_REQUESTS.fulfilmentShortageReported });
    expect(shortage.payload).toMatchObject({
      orderId,
      nodeId: reno.nodeId,
      groupId: `${orderId}:1:${reno.nodeId}`,
      lines: [
        { lineId: '1', quantity: 2 },
        { lineId: '3', quantity: 1 },
      ],
    });
    expect(validatePayload(WarehouseLinesFactV1, shortage.payload)).toEqual({ ok: true, value: expect.anything() });
    expect(warehouse.counts).toMatchObject({ shipments: 0, shortages: 1 });
  });

  it("ignores requests and cancellations for another node", async () => {
    const { links, published } = fakeLinks();
    const warehouse = new SimulatedWarehouse([reno], links, SEED);
    const orderId = randomUUID();

    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId, { nodeId: 'wh-dallas' }));
    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentCancellationRequested, { ...cancellation(orderId, [{ lineId: '1', quantity: 1 }]), nodeId: 'wh-dallas' });
    await warehouse.tick(later(shipAt, 24 * HOUR));

    expect(published).toEqual([]);
    expect(warehouse.tasks.size).toBe(0);
    expect(warehouse.counts.requests).toBe(0);
  });

  it('gives back the units asked for before it ships, as FulfilmentCancelled, and ships the rest', async () => {
    const { links, published, clock } = fakeLinks();
    const warehouse = new SimulatedWarehouse([reno], links, SEED);
    const orderId = randomUUID();
    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId));
    clock.advance(HOUR);

    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentCancellationRequested, cancellation(orderId, [{ lineId: '1', quantity: 1 }]));

    expect(published).toHaveLength(1);
    const cancelled = published[0]!;
    expect(cancelled).toMatchObject({ topic: TOPICS.wmsShipments.name, key: orderId, type: FULFILMENT_REQUESTS.fulfilmentCancelled });
    expect(cancelled.payload).toMatchObject({ orderId, nodeId: reno.nodeId, groupId: `${orderId}:1:${reno.nodeId}`, lines: [{ lineId: '1', quantity: 1 }], at: clock.now().toISOString() });
    expect(validatePayload(WarehouseLinesFactV1, cancelled.payload)).toEqual({ ok: true, value: expect.anything() });

    await warehouse.tick(shipAt);

    expect(published).toHaveLength(2);
    expect(published[1]!.type).toBe(FULFILMENT_FACTS.shipmentDispatched);
    expect((published[1]!.payload as { lines: unknown }).lines).toEqual([
      { lineId: '1', quantity: 1 },
      { lineId: '3', quantity: 1 },
    ]);
    expect(warehouse.counts).toMatchObject({ cancelled: 1, shipments: 1 });
  });

  it('gives back a whole group when every unit is asked for: nothing ships', async () => {
    const { links, published } = fakeLinks();
    const warehouse = new SimulatedWarehouse([reno], links, SEED);
    const orderId = randomUUID();
    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId));

    await warehouse.onRequest(
      FULFILMENT_REQUESTS.fulfilmentCancellationRequested,
      cancellation(orderId, [
        { lineId: '1', quantity: 5 },
        { lineId: '3', quantity: 1 },
      ]),
    );
    await warehouse.tick(later(shipAt, HOUR));

    expect(published.map((m) => m.type)).toEqual([FULFILMENT_REQUESTS.fulfilmentCancelled]);
    expect((published[0]!.payload as { lines: unknown }).lines).toEqual([
      { lineId: '1', quantity: 2 },
      { lineId: '3', quantity: 1 },
    ]);
  });

  it('cancels nothing once the group has shipped', async () => {
    const { links, published, clock } = fakeLinks();
    const warehouse = new SimulatedWarehouse([reno], links, SEED);
    const orderId = randomUUID();
    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentRequested, request(orderId));
    await warehouse.tick(shipAt);
    clock.set(later(shipAt, HOUR));

    await warehouse.onRequest(FULFILMENT_REQUESTS.fulfilmentCancellationRequested, cancellation(orderId, [{ lineId: '1', quantity: 1 }]));

    expect(published.map((m) => m.type)).toEqual([FULFILMENT_FACTS.shipmentDispatched]);
    expect(warehouse.counts.cancelled).toBe(0);
  });
});
