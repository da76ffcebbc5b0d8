import { openEmbeddedEventStore, type EventStore } from '@oms/event-store';
import { ManualClock } from '@oms/platform';
import type { Received } from '../domain/purchase-order-events';
import { GatewayEnv } from '../gateway.env';
import { PurchaseOrderIndex } from './purchase-order-index';
import { PurchaseOrderApplication } from './purchase-orders';
import { SupplierDirectory, type RegisteredSupplier } from './supplier-directory';
import { SupplierInbox } from './supplier-inbox';

/*
 * Two gateway replicas on one store, each with its own PO cache and no subscription feeding it:
 * each decides on what it last read, as a replica does between two polls. One supplier message
 * reaching both (a retry through the load balancer) gets one answer, whichever decides first.
 */

const HOUR = 3_600_000;
const SUPPLIER = 's-replicas';
let store: EventStore;
const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));

function replica() {
  const env = Object.assign(new GatewayEnv(), { BRAND_NAME: 'Northwind Home' });
  const suppliers = new SupplierDirectory(store, clock, env);
  const index = new PurchaseOrderIndex(store);
  const purchaseOrders = new PurchaseOrderApplication(clock, env, index, suppliers);
  return { suppliers, index, purchaseOrders, inbox: new SupplierInbox(store, clock, index, purchaseOrders) };
}

let a: ReturnType<typeof replica>;
let b: ReturnType<typeof replica>;
let supplier: RegisteredSupplier;
let orders = 0;

/** A new PO of one line, known to both replicas at the same revision. */
async function newPo(): Promise<string> {
  const orderId = `order-${++orders}`;
  const poId = await a.purchaseOrders.createFromGroup(
    {
      orderId,
      groupId: `${orderId}:1:${SUPPLIER}`,
      supplierId: SUPPLIER,
      planVersion: 1,
      currency: 'USD',
      lines: [{ lineId: '1', sku: 'LAMP', quantity: 2, unitCost: 1000 }],
      shipTo: { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
      deliverBy: new Date(clock.now().getTime() + 96 * HOUR).toISOString(),
    },
    `request-${orderId}`,
  );
  await Promise.all([a.index.get(poId), b.index.get(poId)]);
  return poId;
}

const message = (body: object): Received => ({ channel: 'api', receivedAt: clock.now().toISOString(), supplierId: SUPPLIER, contentType: 'application/json', body: JSON.stringify(body) });
type Acknowledgement = { lines: { lineId: string; accepted?: number; rejected?: number }[] };
const ACCEPT: Acknowledgement = { lines: [{ lineId: '1', accepted: 2 }] };
const acknowledge = (on: ReturnType<typeof replica>, poId: string, body: Acknowledgement) => on.inbox.acknowledge(supplier, poId, body.lines, message(body));

beforeAll(async () => {
  store = await openEmbeddedEventStore();
  a = replica();
  b = replica();
  ({ supplier } = await a.suppliers.register(SUPPLIER, { name: 'Replicas Co', code: 'REP', connector: 'api', confirmWithinHours: 2, shipWithinHours: 48, enforceShipBy: false, timeoutPolicy: 'resource', status: 'active' }));
  await b.suppliers.load(SUPPLIER);
});

afterAll(async () => {
  await store.close();
});

describe('one supplier message through two gateway replicas', () => {
  it('is applied once and known to both as already applied, whichever replica the copy reaches, however stale', async () => {
    const poId = await newPo();
    expect(await acknowledge(a, poId, ACCEPT)).toMatchObject({ kind: 'applied', status: 'acknowledged' });
    // b decided on the revision a appended at: the store takes b's append as a's.
    expect(await acknowledge(b, poId, ACCEPT)).toEqual({ kind: 'duplicate', status: 'acknowledged' });
    // Later copies, on a replica that has seen it applied.
    expect(await acknowledge(a, poId, ACCEPT)).toEqual({ kind: 'duplicate', status: 'acknowledged' });
    expect(await acknowledge(b, poId, ACCEPT)).toEqual({ kind: 'duplicate', status: 'acknowledged' });
    // Another answer is still refused: the first acknowledgement stands.
    expect(await acknowledge(b, poId, { lines: [{ lineId: '1', rejected: 2 }] })).toMatchObject({ kind: 'refused', reason: 'Acknowledgement refused: the PO is acknowledged' });
    const history = await a.index.history(poId);
    expect(history.map((e) => e.type)).toEqual(['PurchaseOrderCreated', 'PurchaseOrderAcknowledged', 'SupplierMessageRefused']);
  });

  it('is known as applied by a replica whose PO is older than the answer it lost to', async () => {
    const poId = await newPo();
    // b still has the PO as created; a dispatches it, applies the answer and a shipment after it.
    await a.purchaseOrders.markDispatched(poId, 'api');
    await acknowledge(a, poId, ACCEPT);
    await a.purchaseOrders.ship(supplier.supplierId, poId, { shipmentId: 'S1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', shippedAt: clock.now().toISOString(), lines: [{ lineId: '1', quantity: 1 }] }, message({ shipment: 'S1' }));
    expect(await acknowledge(b, poId, ACCEPT)).toEqual({ kind: 'duplicate', status: 'partially_shipped' });
  });

  it('is refused by both when the deadline won, even when both decide the refusal on the same revision', async () => {
    const poId = await newPo();
    clock.advance(3 * HOUR);
    expect(await a.purchaseOrders.expireDue()).toBe(1);
    await b.index.get(poId);
    const late = await acknowledge(a, poId, ACCEPT);
    expect(late).toMatchObject({ kind: 'refused', status: 'timed_out' });
    // b refuses the copy on the revision a recorded its refusal at: the same refusal, answered as one.
    expect(await acknowledge(b, poId, ACCEPT)).toEqual(late);
    const history = await a.index.history(poId);
    expect(history.map((e) => e.type)).toEqual(['PurchaseOrderCreated', 'PurchaseOrderTimedOut', 'SupplierMessageRefused']);
  });
});
