import {
  CancellationRequestV1,
  COMMERCE_ORDER_CANCELLATION_REQUESTED,
  COMMERCE_ORDER_PLACED,
  COMMERCE_RETURN_REQUESTED,
  ORDER_EVENTS,
  OrderPlacedV1,
  ReturnRequestV1,
  TOPICS,
  validatePayload,
  type OrderAcceptedV1,
  type ShipmentAddedV1,
} from '@oms/contracts';
import type { OutgoingMessage } from '@oms/messaging';
import { ManualClock } from '@oms/platform';
import { randomUUID } from 'node:crypto';
import type { SimulatorLinks } from './links';
import { orderFor, SIMULATED_CHANNEL, SimulatedStorefront, type OrderKind } from './storefront';
import { sellersOf, worldFor, type World } from './world';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SEED = 'sim-42';
const PLACED_AT = new Date('2026-03-02T09:00:00.000Z');
const mixed = worldFor('mixed');

/** Links without a broker or services: what is published is kept to look at. */
function fakeLinks(): { links: SimulatorLinks; published: OutgoingMessage[]; batches: number[] } {
  const published: OutgoingMessage[] = [];
  const batches: number[] = [];
  const links: SimulatorLinks = {
    messaging: () => Promise.reject(new Error('no broker in unit tests')),
    publisher: {
      publish: async (messages) => {
        batches.push(messages.length);
        published.push(...messages);
      },
    },
    gatewayUrl: 'http://gateway.invalid',
    returnsUrl: 'http://returns.invalid',
    gatewayAdminToken: 'unused',
    clock: new ManualClock(PLACED_AT),
    log: () => undefined,
  };
  return { links, published, batches };
}

const isSupplier = (world: World, node: string) => world.suppliers.some((s) => s.supplierId === node);
const isWarehouse = (world: World, node: string) => world.warehouses.some((w) => w.nodeId === node);
const onlySuppliersSell = (world: World, sku: string) => sellersOf(world, sku).length > 0 && sellersOf(world, sku).every((node) => isSupplier(world, node));

describe('orderFor', () => {
  const orders = Array.from({ length: 300 }, (_, i) => orderFor(mixed, SEED, i + 1, PLACED_AT));
  const ofKind = (kind: OrderKind) => orders.filter((o) => o.kind === kind).map((o) => o.order);

  it('makes single-supplier orders of one sku only suppliers sell', () => {
    expect(ofKind('single-supplier').length).toBeGreaterThan(0);
    for (const order of ofKind('single-supplier')) {
      expect(order.lines).toHaveLength(1);
      expect(onlySuppliersSell(mixed, order.lines[0]!.sku)).toBe(true);
    }
  });

  it('makes multi-supplier orders of two supplier-only skus no one node sells both of', () => {
    expect(ofKind('multi-supplier').length).toBeGreaterThan(0);
    for (const order of ofKind('multi-supplier')) {
      expect(order.lines).toHaveLength(2);
      const [first, second] = order.lines.map((l) => l.sku) as [string, string];
      expect(onlySuppliersSell(mixed, first) && onlySuppliersSell(mixed, second)).toBe(true);
      expect(sellersOf(mixed, first).filter((node) => sellersOf(mixed, second).includes(node))).toEqual([]);
    }
  });

  it('makes warehouse-and-supplier orders of a warehouse sku first, then a supplier-only sku', () => {
    expect(ofKind('warehouse-and-supplier').length).toBeGreaterThan(0);
    for (const order of ofKind('warehouse-and-supplier')) {
      expect(order.lines).toHaveLength(2);
      expect(sellersOf(mixed, order.lines[0]!.sku).some((node) => isWarehouse(mixed, node))).toBe(true);
      expect(onlySuppliersSell(mixed, order.lines[1]!.sku)).toBe(true);
    }
  });

  it("follows the world's mix, roughly", () => {
    const share = (kind: OrderKind) => ofKind(kind).length / orders.length;

    expect(Math.abs(share('single-supplier') - mixed.mix.singleSupplier)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(share('multi-supplier') - mixed.mix.multiSupplier)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(share('warehouse-and-supplier') - mixed.mix.warehouseAndSupplier)).toBeLessThanOrEqual(0.1);
  });

  it('follows another mix too: a world of only multi-supplier orders makes nothing else', () => {
    const world: World = { ...mixed, mix: { singleSupplier: 0, multiSupplier: 1, warehouseAndSupplier: 0 } };

    const kinds = new Set(Array.from({ length: 50 }, (_, i) => orderFor(world, SEED, i + 1, PLACED_AT).kind));

    expect([...kinds]).toEqual(['multi-supplier']);
  });

  it('prices lines from the catalog with sales tax in whole minor units', () => {
    for (const { order } of orders) {
      expect(order.currency).toBe(mixed.currency);
      expect(order.shipping).toEqual({ amount: mixed.shippingCharge, method: 'Standard' });
      for (const l of order.lines) {
        const product = mixed.products.find((p) => p.sku === l.sku)!;
        expect(l.unitPrice).toBe(product.price);
        expect([1, 2]).toContain(l.quantity);
        const tax = l.taxes![0]!.amount;
        expect(Number.isInteger(tax)).toBe(true);
        expect(tax).toBe(Math.round((product.price * l.quantity * mixed.taxBasisPoints) / 10_000));
      }
    }
  });

  it('makes orders the commerce contract accepts, numbered lines 1, 2, … and ids from the seed', () => {
    for (const { order } of orders) {
      expect(validatePayload(OrderPlacedV1, order)).toEqual({ ok: true, value: expect.anything() });
      expect(order.lines.map((l) => l.lineId)).toEqual(order.lines.map((_, i) => String(i + 1)));
    }
    expect(orders[0]!.order).toMatchObject({ type: COMMERCE_ORDER_PLACED, channel: SIMULATED_CHANNEL, externalOrderId: 'sim-42-000001', orderNumber: '#00001', placedAt: PLACED_AT.toISOString() });
    expect(orders[299]!.order.externalOrderId).toBe('sim-42-000300');
  });

  it('makes the same order n again, and other orders under another seed', () => {
    expect(orderFor(mixed, SEED, 17, PLACED_AT)).toEqual(orderFor(mixed, SEED, 17, PLACED_AT));
    const lines = (seed: string) => Array.from({ length: 20 }, (_, i) => orderFor(mixed, seed, i + 1, PLACED_AT).order.lines);
    expect(lines('sim-43')).not.toEqual(lines(SEED));
  });
});

describe('SimulatedStorefront', () => {
  const orderId = randomUUID();
  const acceptedAt = '2026-03-02T09:05:00.000Z';
  const accepted = (overrides: Partial<OrderAcceptedV1> = {}) => ({
    type: ORDER_EVENTS.accepted,
    key: orderId,
    eventId: randomUUID(),
    payload: {
      orderId,
      channel: SIMULATED_CHANNEL,
      externalOrderId: 'sim-42-000001',
      placedAt: '2026-03-02T09:00:00.000Z',
      acceptedAt,
      currency: 'USD',
      lines: [
        { lineId: '1', sku: 'LAMP-ARC', quantity: 1, unitPrice: 8999, discount: 0, tax: 720, total: 9719 },
        { lineId: '2', sku: 'RUG-WOOL', quantity: 2, unitPrice: 12999, discount: 0, tax: 2080, total: 28078 },
      ],
      ...overrides,
    } as unknown as Record<string, unknown>,
  });
  const shipmentAdded = (overrides: Partial<ShipmentAddedV1> = {}) => ({
    type: ORDER_EVENTS.shipmentAdded,
    key: orderId,
    eventId: randomUUID(),
    payload: {
      orderId,
      shipmentId: 'ACME-000042-S1',
      nodeId: 'acme-home',
      carrier: 'UPS',
      trackingNumber: '1ZACMEXX030000001X',
      lines: [{ lineId: '2', quantity: 2 }],
      shippedAt: '2026-03-02T14:00:00.000Z',
      ...overrides,
    } as unknown as Record<string, unknown>,
  });
  const cancelAt = new Date(Date.parse(acceptedAt) + 20 * MINUTE);

  it('plans one cancellation per accepted order when its customers always cancel, cancelAfterMinutes after acceptance', async () => {
    const { links } = fakeLinks();
    const storefront = new SimulatedStorefront({ ...mixed, cancelShare: 1 }, links, SEED, 0);

    await storefront.onOrderEvent(accepted());

    const planned = storefront.actions.toJSON();
    expect(planned).toHaveLength(1);
    expect(planned[0]).toEqual({ key: `cancel:${orderId}`, at: cancelAt.getTime(), item: { kind: 'cancel', externalOrderId: 'sim-42-000001', lineId: expect.stringMatching(/^[12]$/) } });
  });

  it('plans nothing new for a redelivered OrderAccepted', async () => {
    const { links } = fakeLinks();
    const storefront = new SimulatedStorefront({ ...mixed, cancelShare: 1 }, links, SEED, 0);
    const event = accepted();

    await storefront.onOrderEvent(event);
    const before = storefront.actions.toJSON();
    await storefront.onOrderEvent({ ...event, payload: { ...event.payload, acceptedAt: '2026-03-02T11:00:00.000Z' } });

    expect(storefront.actions.toJSON()).toEqual(before);
  });

  it("ignores orders of another channel, and plans nothing when its customers never cancel", async () => {
    const { links } = fakeLinks();
    const always = new SimulatedStorefront({ ...mixed, cancelShare: 1 }, links, SEED, 0);
    const never = new SimulatedStorefront({ ...mixed, cancelShare: 0 }, links, SEED, 0);

    await always.onOrderEvent(accepted({ channel: 'shopify:other-shop.myshopify.com' }));
    await never.onOrderEvent(accepted());

    expect(always.actions.size).toBe(0);
    expect(never.actions.size).toBe(0);
  });

  it('places the orders due, never more than due, numbering on from earlier sessions', async () => {
    const { links, published, batches } = fakeLinks();
    const storefront = new SimulatedStorefront(mixed, links, SEED, 2);
    const now = new Date('2026-03-02T10:00:00.000Z');

    await storefront.tick(now, 5);
    await storefront.tick(now, 5);
    await storefront.tick(now, 1);

    expect(batches).toEqual([3]);
    expect(published.map((m) => m.key)).toEqual(['sim-42-000003', 'sim-42-000004', 'sim-42-000005']);
    for (const m of published) {
      expect(m).toMatchObject({ topic: TOPICS.commerceOrders.name, type: COMMERCE_ORDER_PLACED, occurredAt: now.toISOString() });
      expect(validatePayload(OrderPlacedV1, m.payload).ok).toBe(true);
    }
    expect(published[0]!.payload).toEqual(orderFor(mixed, SEED, 3, now).order);
    expect(storefront.placedTotal).toBe(5);
    const byKind = storefront.counts.byKind;
    expect(byKind['single-supplier'] + byKind['multi-supplier'] + byKind['warehouse-and-supplier']).toBe(3);
  });

  it('places at most 100 orders a tick, catching up over the next ticks', async () => {
    const { links, batches } = fakeLinks();
    const storefront = new SimulatedStorefront(mixed, links, SEED, 0);

    for (let i = 0; i < 4; i++) await storefront.tick(PLACED_AT, 250);

    expect(batches).toEqual([100, 100, 50]);
    expect(storefront.placedTotal).toBe(250);
  });

  it('places an order under the same event id in a restarted session, so a re-placed order is a duplicate', async () => {
    const first = fakeLinks();
    const second = fakeLinks();

    await new SimulatedStorefront(mixed, first.links, SEED, 0).tick(PLACED_AT, 1);
    await new SimulatedStorefront(mixed, second.links, SEED, 0).tick(new Date(PLACED_AT.getTime() + HOUR), 1);

    expect(second.published[0]!.eventId).toBe(first.published[0]!.eventId);
  });

  it("asks to cancel one unit when it is due, on the commerce topic, in the contract's shape, once", async () => {
    const { links, published } = fakeLinks();
    const storefront = new SimulatedStorefront({ ...mixed, cancelShare: 1 }, links, SEED, 0);
    await storefront.onOrderEvent(accepted());
    const planned = storefront.actions.toJSON()[0]!.item;

    await storefront.tick(new Date(cancelAt.getTime() - 1), 0);
    expect(published).toEqual([]);
    await storefront.tick(cancelAt, 0);
    await storefront.tick(new Date(cancelAt.getTime() + HOUR), 0);

    expect(published).toHaveLength(1);
    const request = published[0]!;
    expect(request).toMatchObject({ topic: TOPICS.commerceOrders.name, key: 'sim-42-000001', type: COMMERCE_ORDER_CANCELLATION_REQUESTED });
    expect(request.payload).toMatchObject({
      type: COMMERCE_ORDER_CANCELLATION_REQUESTED,
      channel: SIMULATED_CHANNEL,
      externalOrderId: 'sim-42-000001',
      requestId: 'cancel-sim-42-000001',
      lines: [{ lineId: planned.kind === 'cancel' ? planned.lineId : 'not a cancellation', quantity: 1 }],
      requestedAt: cancelAt.toISOString(),
    });
    expect(validatePayload(CancellationRequestV1, request.payload).ok).toBe(true);
    expect(storefront.actions.size).toBe(0);
    expect(storefront.counts.cancellationsRequested).toBe(1);
  });

  it('asks to cancel under a stable event id: a resumed run sending it again sends a duplicate', async () => {
    const first = fakeLinks();
    const second = fakeLinks();
    const world = { ...mixed, cancelShare: 1 };
    const storefront = new SimulatedStorefront(world, first.links, SEED, 0);
    await storefront.onOrderEvent(accepted());
    const resumed = new SimulatedStorefront(world, second.links, SEED, 0, storefront.actions.toJSON());

    await storefront.tick(cancelAt, 0);
    await resumed.tick(new Date(cancelAt.getTime() + MINUTE), 0);

    expect(second.published[0]!.eventId).toBe(first.published[0]!.eventId);
    expect(second.published[0]!.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('returns a unit of a shipment returnAfterHours after it shipped, when its customers always return', async () => {
    const { links, published } = fakeLinks();
    const storefront = new SimulatedStorefront({ ...mixed, returnShare: 1 }, links, SEED, 0, [], new Set([orderId]));
    const returnAt = new Date(Date.parse('2026-03-02T14:00:00.000Z') + 6 * HOUR);

    await storefront.onOrderEvent(shipmentAdded());
    await storefront.onOrderEvent(shipmentAdded());
    await storefront.tick(new Date(returnAt.getTime() - 1), 0);
    expect(published).toEqual([]);
    await storefront.tick(returnAt, 0);
    await storefront.tick(new Date(returnAt.getTime() + HOUR), 0);

    expect(published).toHaveLength(1);
    const request = published[0]!;
    expect(request).toMatchObject({ topic: TOPICS.commerceReturns.name, key: orderId, type: COMMERCE_RETURN_REQUESTED });
    expect(request.payload).toMatchObject({ type: COMMERCE_RETURN_REQUESTED, orderId, externalReturnId: 'ret-ACME-000042-S1', lines: [{ lineId: '2', quantity: 1 }], requestedAt: returnAt.toISOString() });
    expect(validatePayload(ReturnRequestV1, request.payload).ok).toBe(true);
    expect(storefront.counts.returnsRequested).toBe(1);
  });

  it('returns nothing when its customers never return, the shipment has no lines, or the order is not its own', async () => {
    const { links } = fakeLinks();
    const never = new SimulatedStorefront({ ...mixed, returnShare: 0 }, links, SEED, 0, [], new Set([orderId]));
    const always = new SimulatedStorefront({ ...mixed, returnShare: 1 }, links, SEED, 0, [], new Set([orderId]));
    const stranger = new SimulatedStorefront({ ...mixed, returnShare: 1 }, links, SEED, 0);

    await never.onOrderEvent(shipmentAdded());
    await always.onOrderEvent(shipmentAdded({ lines: [] }));
    await stranger.onOrderEvent(shipmentAdded());

    expect(never.actions.size).toBe(0);
    expect(always.actions.size).toBe(0);
    expect(stranger.actions.size).toBe(0);
  });
});
