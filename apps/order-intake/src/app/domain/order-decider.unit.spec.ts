import fc from 'fast-check';
import { orderDecider, type OrderFact } from './order-decider';
import type { CancellationState, OrderEvent, OrderStatus } from './order-events';
import type { LineQuantity } from './order-types';
import { viewOrder } from './order-view';
import {
  address,
  changeShippingAddress,
  facts,
  fold,
  given,
  history,
  iso,
  LINE_TOTALS,
  NOW,
  only,
  openState,
  ORDER_ID,
  placedOrder,
  placeOrder,
  planGroups,
  recordFact,
  requestCancellation,
  SHIPPING_TOTAL,
  at,
} from './testing/order-fixtures';

/** The events of the placement followed by each fact recorded in turn (announcements included). */
const recorded = (...fs: readonly OrderFact[]): OrderEvent[] => history(placeOrder(), ...fs.map((f) => recordFact(f)));

const statusChanged = (status: OrderStatus, previousStatus: OrderStatus, cancellation: CancellationState = 'none', now: Date = NOW): OrderEvent => ({
  type: 'OrderStatusChanged',
  data: { status, previousStatus, cancellation, changedAt: now.toISOString() },
});

const plan = facts.plan(1, planGroups());
const shipW = facts.shipment('SH-W', 'W', [{ lineId: 'L1', quantity: 2 }]);
const shipS1 = facts.shipment('SH-S1', 'S1', [
  { lineId: 'L2', quantity: 1 },
  { lineId: 'L3', quantity: 2 },
]);
const shipS2 = facts.shipment('SH-S2', 'S2', [{ lineId: 'L4', quantity: 3 }]);

const acceptedData = () => ({
  orderId: ORDER_ID,
  channel: 'shopify',
  externalOrderId: '5800000000001',
  orderNumber: '#2042',
  placedAt: '2026-03-02T08:59:00.000Z',
  acceptedAt: NOW.toISOString(),
  currency: 'EUR',
  customer: { id: 'c-1', email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' },
  shipTo: address(),
  lines: [
    { lineId: 'L1', sku: 'SKU-1', name: 'Kettle', quantity: 2, unitPrice: 2500, discount: 0, tax: 0, total: 5000 },
    { lineId: 'L2', sku: 'SKU-2', name: 'Toaster', quantity: 1, unitPrice: 4000, discount: 0, tax: 0, total: 4000 },
    { lineId: 'L3', sku: 'SKU-3', quantity: 2, unitPrice: 1250, discount: 0, tax: 0, total: 2500 },
    { lineId: 'L4', sku: 'SKU-4', name: 'Mug', quantity: 3, unitPrice: 400, discount: 200, tax: 0, total: 1000 },
  ],
  shipping: { method: 'standard', amount: 595, discount: 0, tax: 0, total: 595 },
  taxesIncluded: false,
  totals: { subtotal: 12_700, discount: 200, shipping: 595, tax: 0, total: 13_095 },
  discrepancies: [],
  fingerprint: 'fp-1',
});

describe('orderDecider', () => {
  it('starts with no order', () => {
    expect(orderDecider.initialState()).toEqual({ status: 'none' });
  });

  describe('PlaceOrder', () => {
    it('accepts a new order with its priced lines, shipping, totals, fingerprint and the time it was accepted', () => {
      given().when(placeOrder()).then([{ type: 'OrderAccepted', data: acceptedData() }]);
    });

    it('carries discrepancies with the platform, and leaves out an order number not given', () => {
      const { orderNumber: _orderNumber, ...withoutNumber } = placedOrder({ platformTotals: { total: 13_000 } });
      const [event] = given().when(placeOrder(withoutNumber)).events();
      expect(event?.type).toBe('OrderAccepted');
      expect(event?.data).not.toHaveProperty('orderNumber');
      expect(event?.data).toMatchObject({ discrepancies: [{ field: 'total', reported: 13_000, computed: 13_095 }] });
    });

    it('decides nothing when the same order (same fingerprint) comes again, even later', () => {
      given(...history(placeOrder())).when(placeOrder(placedOrder(), 'fp-1', at(60))).then([]);
    });

    it('takes a retry of an order accepted before sealing began (fingerprinted in clear) as the same order', () => {
      const legacy = history(placeOrder(placedOrder(), 'clear-fp'));
      const retry = placeOrder(placedOrder(), 'sealed-fp', at(60));
      given(...legacy).when({ ...retry, data: { ...retry.data, unsealedFingerprint: 'clear-fp' } } as typeof retry).then([]);
      expect(orderDecider.decide({ ...retry, data: { ...retry.data, unsealedFingerprint: 'other-clear-fp' } } as typeof retry, openState(legacy))).toMatchObject([{ type: 'OrderPlacementConflicted' }]);
    });

    it('records a conflict for other content under the same order id, and the first order stands', () => {
      const past = history(placeOrder());
      const other = placedOrder({ orderNumber: '#9999' });
      given(...past).when(placeOrder(other, 'fp-2', at(5))).then([
        {
          type: 'OrderPlacementConflicted',
          data: { orderId: ORDER_ID, channel: 'shopify', externalOrderId: '5800000000001', fingerprint: 'fp-2', rejectedAt: iso(5) },
        },
      ]);
      const after = openState(history(placeOrder(), placeOrder(other, 'fp-2', at(5))));
      expect(after).toEqual(openState(past));
    });

    it('records a conflict, not a rejection, for inconsistent content after an acceptance', () => {
      const [event] = given(...history(placeOrder())).when(placeOrder(placedOrder({ totalCharged: 1 }), 'fp-3')).events();
      expect(event?.type).toBe('OrderPlacementConflicted');
    });

    it('rejects an order whose amounts do not add up, with the problems', () => {
      given()
        .when(placeOrder(placedOrder({ totalCharged: 13_000 }), 'fp-bad'))
        .then([
          {
            type: 'OrderRejected',
            data: {
              orderId: ORDER_ID,
              channel: 'shopify',
              externalOrderId: '5800000000001',
              reason: 'inconsistent_amounts',
              errors: [{ field: 'totalCharged', message: 'is 13000 but the lines, discounts, shipping and taxes add up to 13095' }],
              rejectedAt: NOW.toISOString(),
            },
          },
        ]);
    });

    it('leaves a rejected order rejected: no facts can be recorded on it', () => {
      const rejected = history(placeOrder(placedOrder({ totalCharged: 1 }), 'fp-bad'));
      expect(orderDecider.evolve(orderDecider.initialState(), rejected[0]!)).toEqual({ status: 'rejected', orderId: ORDER_ID });
      given(...rejected).when(recordFact(plan)).then({ error: 'order_not_found' });
    });

    it('accepts a corrected placement after a rejection', () => {
      const rejected = history(placeOrder(placedOrder({ totalCharged: 1 }), 'fp-bad'));
      given(...rejected)
        .when(placeOrder(placedOrder(), 'fp-1', at(10)))
        .then([{ type: 'OrderAccepted', data: { ...acceptedData(), acceptedAt: iso(10) } }]);
    });

    it('rejects the same inconsistent order again when it comes again (nothing was accepted)', () => {
      const command = placeOrder(placedOrder({ totalCharged: 1 }), 'fp-bad');
      const [event] = given(...history(command)).when(command).events();
      expect(event?.type).toBe('OrderRejected');
    });
  });

  describe('commands on no order', () => {
    it.each([
      ['RecordFact', recordFact(plan)],
      ['RequestCancellation', requestCancellation('r-1')],
      ['ChangeShippingAddress', changeShippingAddress('r-1', address())],
    ])('%s throws OrderDomainError order_not_found', (_name, command) => {
      given().when(command).then({ error: 'order_not_found' });
    });
  });

  describe('RecordFact: each fact once', () => {
    const cases: readonly [string, OrderFact][] = [
      ['plan', plan],
      ['purchase order step', facts.purchaseOrder('PO-1', 'S1', 'dispatched', [{ lineId: 'L2', quantity: 1 }])],
      ['shipment', shipW],
      ['delivery', facts.delivery('SH-W')],
      ['cancellation', facts.cancellation('C-1', [{ lineId: 'L4', quantity: 1 }])],
      ['return', facts.return('RT-1', [{ lineId: 'L1', quantity: 1 }])],
      ['refund', facts.refund('RF-1', 2500, [{ lineId: 'L1', quantity: 1, amount: 2500 }])],
    ];

    it.each(cases)('decides nothing for a %s already recorded', (_name, fact) => {
      const past = recorded(fact);
      expect(past.length).toBeGreaterThan(1);
      given(...past).when(recordFact(fact, at(99))).then([]);
    });

    it('records the plan with its version, groups, unfulfillable lines and time', () => {
      const f = facts.plan(1, planGroups(), [{ lineId: 'L4', quantity: 1 }], 3);
      given(...recorded())
        .when(recordFact(f))
        .then([
          { type: 'FulfilmentPlanRecorded', data: { version: 1, groups: planGroups(), unfulfillable: [{ lineId: 'L4', quantity: 1 }], plannedAt: iso(3) } },
          statusChanged('processing', 'accepted'),
        ]);
    });

    it('records a re-plan with a higher version, and ignores a plan with a lower or equal version', () => {
      const groups = [{ groupId: 'G-W2', nodeId: 'W', nodeKind: 'warehouse' as const, lines: [{ lineId: 'L1', quantity: 2 }] }];
      const v2 = facts.plan(2, groups, [], 5);
      given(...recorded(plan))
        .when(recordFact(v2))
        .then([{ type: 'FulfilmentPlanRecorded', data: { version: 2, groups, unfulfillable: [], plannedAt: iso(5) } }]);
      given(...recorded(plan, v2)).when(recordFact(facts.plan(1, planGroups(), [], 7))).then([]);
      given(...recorded(v2)).when(recordFact(facts.plan(2, planGroups(), [], 7))).then([]);
      given(...recorded(v2)).when(recordFact(plan)).then([]);
      expect(openState(recorded(v2, plan)).plan?.version).toBe(2);
    });

    it('records each step of a purchase order once; the first of a step stands', () => {
      const dispatched = facts.purchaseOrder('PO-1', 'S1', 'dispatched', [{ lineId: 'L2', quantity: 1 }], 2);
      const acknowledged = facts.purchaseOrder('PO-1', 'S1', 'acknowledged', [{ lineId: 'L2', quantity: 1, accepted: 1, rejected: 0, backordered: 0 }], 4);
      given(...recorded(dispatched))
        .when(recordFact(acknowledged))
        .then([
          {
            type: 'PurchaseOrderRecorded',
            data: { poId: 'PO-1', supplierId: 'S1', step: 'acknowledged', lines: [{ lineId: 'L2', quantity: 1, accepted: 1, rejected: 0, backordered: 0 }], at: iso(4) },
          },
        ]);
      given(...recorded(dispatched, acknowledged)).when(recordFact(facts.purchaseOrder('PO-1', 'S1', 'dispatched', [{ lineId: 'L3', quantity: 2 }], 9))).then([]);
    });

    it('records an acknowledgement that arrives before the dispatch, then the dispatch', () => {
      const acknowledged = facts.purchaseOrder('PO-1', 'S1', 'acknowledged', [{ lineId: 'L2', quantity: 1, accepted: 1 }], 4);
      const dispatched = facts.purchaseOrder('PO-1', 'S1', 'dispatched', [{ lineId: 'L2', quantity: 1 }], 2);
      const [event] = given(...recorded(acknowledged)).when(recordFact(dispatched)).events();
      expect(event).toEqual({ type: 'PurchaseOrderRecorded', data: { poId: 'PO-1', supplierId: 'S1', step: 'dispatched', lines: [{ lineId: 'L2', quantity: 1 }], at: iso(2) } });
    });

    it('carries the reason of a purchase order step', () => {
      const timedOut: OrderFact = { kind: 'purchase_order', poId: 'PO-1', supplierId: 'S1', step: 'timed_out', lines: [{ lineId: 'L2', quantity: 1 }], reason: 'no answer in 24h', at: iso(2) };
      const [event] = given(...recorded()).when(recordFact(timedOut)).events();
      expect(event).toMatchObject({ type: 'PurchaseOrderRecorded', data: { step: 'timed_out', reason: 'no answer in 24h' } });
    });

    it('records a shipment with its carrier, tracking and PO, once by shipment id whatever the content', () => {
      const f = facts.shipment('SH-S1', 'S1', [{ lineId: 'L2', quantity: 1 }], { poId: 'PO-1', minutes: 70 });
      const [event] = given(...recorded(plan)).when(recordFact(f)).events();
      expect(event).toEqual({
        type: 'ShipmentRecorded',
        data: { shipmentId: 'SH-S1', nodeId: 'S1', poId: 'PO-1', carrier: 'colissimo', trackingNumber: 'TRK-SH-S1', lines: [{ lineId: 'L2', quantity: 1 }], shippedAt: iso(70) },
      });
      given(...recorded(plan, f)).when(recordFact(facts.shipment('SH-S1', 'S1', [{ lineId: 'L3', quantity: 2 }]))).then([]);
    });

    it('records a delivery that arrives before its shipment, and counts it once the shipment is known', () => {
      const past = recorded(plan);
      given(...past)
        .when(recordFact(facts.delivery('SH-W', 600)))
        .then([{ type: 'ShipmentDeliveryRecorded', data: { shipmentId: 'SH-W', deliveredAt: iso(600) } }]);
      const view = viewOrder(openState(recorded(plan, facts.delivery('SH-W', 600), shipW)));
      expect(view.lines[0]).toMatchObject({ lineId: 'L1', shipped: 2, delivered: 2, status: 'delivered' });
      expect(view.shipments).toEqual([expect.objectContaining({ shipmentId: 'SH-W', deliveredAt: iso(600) })]);
    });

    it('records returns and refunds as given', () => {
      given(...recorded(plan, shipW))
        .when(recordFact(facts.return('RT-1', [{ lineId: 'L1', quantity: 1 }], 900)))
        .then([{ type: 'ReturnRecorded', data: { returnId: 'RT-1', lines: [{ lineId: 'L1', quantity: 1 }], receivedAt: iso(900) } }]);
      given(...recorded(plan, shipW))
        .when(recordFact(facts.refund('RF-1', 2600, [{ lineId: 'L1', quantity: 1, amount: 2500 }], 950)))
        .then([{ type: 'RefundRecorded', data: { refundId: 'RF-1', amount: 2600, currency: 'EUR', lines: [{ lineId: 'L1', quantity: 1, amount: 2500 }], issuedAt: iso(950) } }]);
    });

    describe('drops the lines a fact names that the order does not have', () => {
      const unknown = { lineId: 'NOPE', quantity: 4 };

      it('in a plan (groups and unfulfillable)', () => {
        const f = facts.plan(1, [{ groupId: 'G', nodeId: 'W', nodeKind: 'warehouse', lines: [{ lineId: 'L1', quantity: 2 }, unknown] }], [unknown, { lineId: 'L4', quantity: 3 }]);
        expect(only(given(...recorded()).when(recordFact(f)).events(), 'FulfilmentPlanRecorded').data).toMatchObject({
          groups: [{ groupId: 'G', nodeId: 'W', nodeKind: 'warehouse', lines: [{ lineId: 'L1', quantity: 2 }] }],
          unfulfillable: [{ lineId: 'L4', quantity: 3 }],
        });
      });

      it('in a purchase order', () => {
        const f = facts.purchaseOrder('PO-1', 'S1', 'dispatched', [unknown, { lineId: 'L2', quantity: 1 }]);
        expect(only(given(...recorded()).when(recordFact(f)).events(), 'PurchaseOrderRecorded').data.lines).toEqual([{ lineId: 'L2', quantity: 1 }]);
      });

      it('in a shipment', () => {
        const f = facts.shipment('SH-1', 'W', [{ lineId: 'L1', quantity: 1 }, unknown]);
        expect(only(given(...recorded()).when(recordFact(f)).events(), 'ShipmentRecorded').data.lines).toEqual([{ lineId: 'L1', quantity: 1 }]);
      });

      it('in a cancellation (nothing refunded for them)', () => {
        const f = facts.cancellation('C-1', [unknown, { lineId: 'L2', quantity: 1 }]);
        expect(only(given(...recorded()).when(recordFact(f)).events(), 'LinesCancelled').data).toMatchObject({
          lines: [{ lineId: 'L2', quantity: 1 }],
          refund: { amount: 4000, currency: 'EUR' },
        });
      });

      it('in a return and a refund (the refund amount stays as issued)', () => {
        const r = facts.return('RT-1', [unknown, { lineId: 'L1', quantity: 1 }]);
        expect(only(given(...recorded(shipW)).when(recordFact(r)).events(), 'ReturnRecorded').data.lines).toEqual([{ lineId: 'L1', quantity: 1 }]);
        const f = facts.refund('RF-1', 3000, [{ ...unknown, amount: 500 }, { lineId: 'L1', quantity: 1, amount: 2500 }]);
        expect(only(given(...recorded(shipW)).when(recordFact(f)).events(), 'RefundRecorded').data).toMatchObject({
          amount: 3000,
          lines: [{ lineId: 'L1', quantity: 1, amount: 2500 }],
        });
      });
    });
  });

  describe('RecordFact: status announcements', () => {
    it('announces processing with the first plan, and nothing for a re-plan', () => {
      given(...recorded()).when(recordFact(plan, at(1))).then([
        { type: 'FulfilmentPlanRecorded', data: { version: 1, groups: planGroups(), unfulfillable: [], plannedAt: iso(1) } },
        statusChanged('processing', 'accepted', 'none', at(1)),
      ]);
      const replan = given(...recorded(plan)).when(recordFact(facts.plan(2, planGroups()))).events();
      expect(replan.map((e) => e.type)).toEqual(['FulfilmentPlanRecorded']);
    });

    it('announces processing when a purchase order is sent before any plan is known', () => {
      const events = given(...recorded()).when(recordFact(facts.purchaseOrder('PO-1', 'S1', 'dispatched', [{ lineId: 'L2', quantity: 1 }]))).events();
      expect(events.slice(1)).toEqual([statusChanged('processing', 'accepted')]);
    });

    it('announces nothing when the status does not change', () => {
      const f = facts.purchaseOrder('PO-1', 'S1', 'acknowledged', [{ lineId: 'L2', quantity: 1, accepted: 1 }]);
      expect(given(...recorded(plan)).when(recordFact(f)).events().map((e) => e.type)).toEqual(['PurchaseOrderRecorded']);
    });

    it('announces partially_shipped with the first shipment of part of the order', () => {
      const [, ...announced] = given(...recorded(plan)).when(recordFact(shipW)).events();
      expect(announced).toEqual([statusChanged('partially_shipped', 'processing')]);
    });

    it('announces partially_shipped for part of a line', () => {
      const [, ...announced] = given(...recorded(plan)).when(recordFact(facts.shipment('SH-1', 'S2', [{ lineId: 'L4', quantity: 1 }]))).events();
      expect(announced).toEqual([statusChanged('partially_shipped', 'processing')]);
    });

    it('announces shipped once every line is shipped', () => {
      const [, ...announced] = given(...recorded(plan, shipW, shipS1)).when(recordFact(shipS2)).events();
      expect(announced).toEqual([statusChanged('shipped', 'partially_shipped')]);
    });

    it('announces completed and OrderCompleted when everything is delivered, once', () => {
      const past = recorded(plan, shipW, shipS1, shipS2, facts.delivery('SH-W'), facts.delivery('SH-S1'));
      given(...past)
        .when(recordFact(facts.delivery('SH-S2', 700), at(700)))
        .then([
          { type: 'ShipmentDeliveryRecorded', data: { shipmentId: 'SH-S2', deliveredAt: iso(700) } },
          statusChanged('completed', 'shipped', 'none', at(700)),
          { type: 'OrderCompleted', data: { completedAt: iso(700) } },
        ]);
      const completed = recorded(plan, shipW, shipS1, shipS2, facts.delivery('SH-W'), facts.delivery('SH-S1'), facts.delivery('SH-S2'));
      expect(completed.filter((e) => e.type === 'OrderCompleted')).toHaveLength(1);
      expect(openState(completed).announced).toEqual({ status: 'completed', cancellation: 'none', completed: true });
      const later = given(...completed).when(recordFact(facts.return('RT-1', [{ lineId: 'L1', quantity: 1 }]))).events();
      expect(later.map((e) => e.type)).toEqual(['ReturnRecorded']);
    });

    it('announces cancelled, cancellation full, when every unit is cancelled', () => {
      const all = facts.cancellation('C-1', [
        { lineId: 'L1', quantity: 2 },
        { lineId: 'L2', quantity: 1 },
        { lineId: 'L3', quantity: 2 },
        { lineId: 'L4', quantity: 3 },
      ]);
      const [, ...announced] = given(...recorded(plan)).when(recordFact(all)).events();
      expect(announced).toEqual([statusChanged('cancelled', 'processing', 'full')]);
    });

    it('announces a partial cancellation with the status unchanged', () => {
      const [, ...announced] = given(...recorded(plan)).when(recordFact(facts.cancellation('C-1', [{ lineId: 'L4', quantity: 1 }]))).events();
      expect(announced).toEqual([statusChanged('processing', 'processing', 'partial')]);
    });

    it('ends completed with a partial cancellation when everything not cancelled is delivered', () => {
      const events = recorded(
        plan,
        facts.cancellation('C-1', [{ lineId: 'L4', quantity: 1 }]),
        shipW,
        shipS1,
        facts.shipment('SH-S2', 'S2', [{ lineId: 'L4', quantity: 2 }]),
        facts.delivery('SH-W'),
        facts.delivery('SH-S1'),
        facts.delivery('SH-S2'),
      );
      expect(events.filter((e) => e.type === 'OrderStatusChanged').map((e) => e.data)).toEqual([
        expect.objectContaining({ status: 'processing', previousStatus: 'accepted', cancellation: 'none' }),
        expect.objectContaining({ status: 'processing', previousStatus: 'processing', cancellation: 'partial' }),
        expect.objectContaining({ status: 'partially_shipped', previousStatus: 'processing', cancellation: 'partial' }),
        expect.objectContaining({ status: 'shipped', previousStatus: 'partially_shipped', cancellation: 'partial' }),
        expect.objectContaining({ status: 'completed', previousStatus: 'shipped', cancellation: 'partial' }),
      ]);
      expect(events.filter((e) => e.type === 'OrderCompleted')).toHaveLength(1);
    });

    it('announces shipped, cancellation partial, when the rest of a partly shipped order is cancelled', () => {
      const rest = facts.cancellation('C-1', [
        { lineId: 'L2', quantity: 1 },
        { lineId: 'L3', quantity: 2 },
        { lineId: 'L4', quantity: 3 },
      ]);
      const [, ...announced] = given(...recorded(plan, shipW)).when(recordFact(rest)).events();
      expect(announced).toEqual([statusChanged('shipped', 'partially_shipped', 'partial')]);
    });
  });

  describe('RecordFact: LinesCancelled refunds', () => {
    const cancel = (id: string, lines: readonly LineQuantity[]) => facts.cancellation(id, lines, 'customer request', 30);
    const refundOf = (events: readonly OrderEvent[]) => only(events, 'LinesCancelled').data.refund;

    it('refunds exactly what the cancelled units cost: 1 then 2 of a 1000 line over 3 units are 334 then 666', () => {
      given(...recorded(plan))
        .when(recordFact(cancel('C-1', [{ lineId: 'L4', quantity: 1 }])))
        .then([
          {
            type: 'LinesCancelled',
            data: { cancellationId: 'C-1', lines: [{ lineId: 'L4', quantity: 1 }], reason: 'customer request', refund: { amount: 334, currency: 'EUR' }, cancelledAt: iso(30) },
          },
          statusChanged('processing', 'processing', 'partial'),
        ]);
      const second = given(...recorded(plan, cancel('C-1', [{ lineId: 'L4', quantity: 1 }]))).when(recordFact(cancel('C-2', [{ lineId: 'L4', quantity: 2 }]))).events();
      expect(refundOf(second)).toEqual({ amount: 666, currency: 'EUR' });
      expect(only(second, 'LinesCancelled').data.lines).toEqual([{ lineId: 'L4', quantity: 2 }]);
    });

    it('refunds 2 then 1 of the same line as 667 then 333', () => {
      const first = recorded(plan, cancel('C-1', [{ lineId: 'L4', quantity: 2 }]));
      expect(refundOf(first)).toEqual({ amount: 667, currency: 'EUR' });
      expect(refundOf(given(...first).when(recordFact(cancel('C-2', [{ lineId: 'L4', quantity: 1 }]))).events())).toEqual({ amount: 333, currency: 'EUR' });
    });

    it('never refunds more than the line: a cancellation beyond what is left takes only what is left', () => {
      const past = recorded(plan, cancel('C-1', [{ lineId: 'L4', quantity: 2 }]));
      const capped = given(...past).when(recordFact(cancel('C-2', [{ lineId: 'L4', quantity: 3 }]))).events();
      expect(only(capped, 'LinesCancelled').data).toMatchObject({ lines: [{ lineId: 'L4', quantity: 1 }], refund: { amount: 333 } });
      const nothingLeft = given(...past, ...capped).when(recordFact(cancel('C-3', [{ lineId: 'L4', quantity: 1 }]))).events();
      expect(nothingLeft).toEqual([
        { type: 'LinesCancelled', data: { cancellationId: 'C-3', lines: [], reason: 'customer request', refund: { amount: 0, currency: 'EUR' }, cancelledAt: iso(30) } },
      ]);
      expect(viewOrder(openState([...past, ...capped, ...nothingLeft]))).toMatchObject({ cancelledValue: 1000, cancellation: 'partial' });
    });

    it('adds up to exactly the line total over any sequence of partial cancellations, and never beyond', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }), (quantities) => {
          const events = recorded(plan, ...quantities.map((q, i) => cancel(`C-${i}`, [{ lineId: 'L4', quantity: q }])));
          const cancellations = events.filter((e): e is Extract<OrderEvent, { type: 'LinesCancelled' }> => e.type === 'LinesCancelled');
          const units = cancellations.flatMap((e) => e.data.lines).reduce((n, l) => n + l.quantity, 0);
          const refunded = cancellations.reduce((n, e) => n + e.data.refund.amount, 0);
          const total = quantities.reduce((a, b) => a + b, 0);
          expect(units).toBe(Math.min(total, 3));
          expect(refunded).toBe(units === 3 ? 1000 : [0, 334, 667][units]);
          cancellations.forEach((e) => expect(e.data.refund.amount).toBeLessThanOrEqual(334 * e.data.lines.reduce((n, l) => n + l.quantity, 0)));
        }),
        { numRuns: 200 },
      );
    });

    it('refunds what the customer paid including added taxes', () => {
      const order = placedOrder({
        lines: [
          { lineId: 'A', sku: 'A', quantity: 3, unitPrice: 333, taxes: [{ name: 'VAT', amount: 100 }] },
          { lineId: 'B', sku: 'B', quantity: 1, unitPrice: 100 },
        ],
        shipping: { amount: 0 },
        totalCharged: 1199,
      });
      const events = history(placeOrder(order), recordFact(cancel('C-1', [{ lineId: 'A', quantity: 1 }])), recordFact(cancel('C-2', [{ lineId: 'A', quantity: 2 }])));
      expect(events.filter((e) => e.type === 'LinesCancelled').map((e) => e.type === 'LinesCancelled' && e.data.refund.amount)).toEqual([367, 732]);
    });

    it('cannot cancel units already shipped: the quantity is capped at what is unshipped', () => {
      const past = recorded(plan, facts.shipment('SH-S2', 'S2', [{ lineId: 'L4', quantity: 2 }]));
      const events = given(...past).when(recordFact(cancel('C-1', [{ lineId: 'L4', quantity: 3 }]))).events();
      expect(only(events, 'LinesCancelled').data).toMatchObject({ lines: [{ lineId: 'L4', quantity: 1 }], refund: { amount: 334 } });
      const view = viewOrder(openState([...past, ...events]));
      expect(view.lines[3]).toMatchObject({ shipped: 2, cancelled: 1 });
    });

    it('cancels nothing and refunds nothing on a fully shipped line, announcing nothing', () => {
      const events = given(...recorded(plan, shipW)).when(recordFact(cancel('C-1', [{ lineId: 'L1', quantity: 2 }]))).events();
      expect(events).toEqual([
        { type: 'LinesCancelled', data: { cancellationId: 'C-1', lines: [], reason: 'customer request', refund: { amount: 0, currency: 'EUR' }, cancelledAt: iso(30) } },
      ]);
    });

    it('refunds shipping with the cancellation that leaves the whole order cancelled', () => {
      const everything = cancel('C-1', [
        { lineId: 'L1', quantity: 2 },
        { lineId: 'L2', quantity: 1 },
        { lineId: 'L3', quantity: 2 },
        { lineId: 'L4', quantity: 3 },
      ]);
      expect(refundOf(recorded(plan, everything))).toEqual({ amount: 12_500 + SHIPPING_TOTAL, currency: 'EUR' });

      const first = recorded(plan, cancel('C-1', [{ lineId: 'L1', quantity: 2 }, { lineId: 'L2', quantity: 1 }, { lineId: 'L3', quantity: 2 }]));
      expect(refundOf(first).amount).toBe(LINE_TOTALS['L1']! + LINE_TOTALS['L2']! + LINE_TOTALS['L3']!);
      const last = given(...first).when(recordFact(cancel('C-2', [{ lineId: 'L4', quantity: 3 }]))).events();
      expect(refundOf(last).amount).toBe(1000 + SHIPPING_TOTAL);
      expect(viewOrder(openState([...first, ...last]))).toMatchObject({ status: 'cancelled', cancellation: 'full', cancelledValue: 13_095 });
    });

    it('does not refund shipping when part of the order has shipped and the rest is cancelled', () => {
      const rest = cancel('C-1', [
        { lineId: 'L2', quantity: 1 },
        { lineId: 'L3', quantity: 2 },
        { lineId: 'L4', quantity: 3 },
      ]);
      expect(refundOf(given(...recorded(plan, shipW)).when(recordFact(rest)).events()).amount).toBe(7500);
    });

    it('refunds in the order currency', () => {
      const events = history(placeOrder(placedOrder({ currency: 'USD' })), recordFact(cancel('C-1', [{ lineId: 'L2', quantity: 1 }])));
      expect(refundOf(events)).toEqual({ amount: 4000, currency: 'USD' });
    });
  });

  describe('RequestCancellation', () => {
    it('requests every line in full when no lines are given, with the reason and time', () => {
      given(...recorded(plan))
        .when(requestCancellation('R-1', { reason: 'changed my mind', now: at(20) }))
        .then([
          {
            type: 'CancellationRequested',
            data: {
              requestId: 'R-1',
              lines: [
                { lineId: 'L1', quantity: 2 },
                { lineId: 'L2', quantity: 1 },
                { lineId: 'L3', quantity: 2 },
                { lineId: 'L4', quantity: 3 },
              ],
              notCancellable: [],
              reason: 'changed my mind',
              requestedAt: iso(20),
            },
          },
        ]);
    });

    it('requests part of a line', () => {
      given(...recorded(plan))
        .when(requestCancellation('R-1', { lines: [{ lineId: 'L4', quantity: 1 }] }))
        .then([{ type: 'CancellationRequested', data: { requestId: 'R-1', lines: [{ lineId: 'L4', quantity: 1 }], notCancellable: [], requestedAt: NOW.toISOString() } }]);
    });

    it('reports shipped quantities as not cancellable, already shipped', () => {
      const past = recorded(plan, shipW, facts.shipment('SH-S2', 'S2', [{ lineId: 'L4', quantity: 2 }]));
      const lines = [
        { lineId: 'L4', quantity: 3 },
        { lineId: 'L1', quantity: 1 },
        { lineId: 'L2', quantity: 1 },
      ];
      given(...past)
        .when(requestCancellation('R-1', { lines }))
        .then([
          {
            type: 'CancellationRequested',
            data: {
              requestId: 'R-1',
              lines: [
                { lineId: 'L4', quantity: 1 },
                { lineId: 'L2', quantity: 1 },
              ],
              notCancellable: [
                { lineId: 'L4', quantity: 2, reason: 'already shipped' },
                { lineId: 'L1', quantity: 1, reason: 'already shipped' },
              ],
              requestedAt: NOW.toISOString(),
            },
          },
        ]);
    });

    it('reports cancelled quantities as not cancellable, already cancelled', () => {
      const past = recorded(plan, facts.cancellation('C-1', [{ lineId: 'L4', quantity: 1 }]));
      const [event] = given(...past).when(requestCancellation('R-1')).events();
      expect(event).toMatchObject({
        type: 'CancellationRequested',
        data: {
          lines: [
            { lineId: 'L1', quantity: 2 },
            { lineId: 'L2', quantity: 1 },
            { lineId: 'L3', quantity: 2 },
            { lineId: 'L4', quantity: 2 },
          ],
          notCancellable: [{ lineId: 'L4', quantity: 1, reason: 'already cancelled' }],
        },
      });
    });

    it('only records the request: nothing is cancelled until the cancellation fact', () => {
      const past = recorded(plan);
      const events = given(...past).when(requestCancellation('R-1')).events();
      expect(events.map((e) => e.type)).toEqual(['CancellationRequested']);
      const before = viewOrder(openState(past));
      expect(viewOrder(openState([...past, ...events]))).toEqual(before);
    });

    it('throws unknown_line for a line not on the order', () => {
      given(...recorded(plan))
        .when(requestCancellation('R-1', { lines: [{ lineId: 'L1', quantity: 1 }, { lineId: 'NOPE', quantity: 1 }] }))
        .then({ error: 'unknown_line' });
    });

    it('decides nothing for a request id already recorded', () => {
      const past = history(placeOrder(), recordFact(plan), requestCancellation('R-1', { lines: [{ lineId: 'L4', quantity: 1 }] }));
      given(...past).when(requestCancellation('R-1', { lines: [{ lineId: 'L1', quantity: 2 }], now: at(30) })).then([]);
    });
  });

  describe('ChangeShippingAddress', () => {
    const newAddress = address({ name: 'Jane Doe', line1: '9 Rue de la République', city: 'Paris', postalCode: '75001' });

    it('records the new address, nothing shipped yet, and the view ships there', () => {
      const past = recorded(plan);
      given(...past)
        .when(changeShippingAddress('A-1', newAddress, at(15)))
        .then([{ type: 'ShippingAddressChanged', data: { requestId: 'A-1', shipTo: newAddress, alreadyShipped: [], changedAt: iso(15) } }]);
      const events = given(...past).when(changeShippingAddress('A-1', newAddress)).events();
      expect(viewOrder(openState([...past, ...events])).shipTo).toEqual(newAddress);
    });

    it('reports what has already shipped to the old address', () => {
      const past = recorded(plan, shipW, facts.shipment('SH-S2', 'S2', [{ lineId: 'L4', quantity: 2 }]));
      const [event] = given(...past).when(changeShippingAddress('A-1', newAddress)).events();
      expect(event).toMatchObject({
        type: 'ShippingAddressChanged',
        data: {
          alreadyShipped: [
            { lineId: 'L1', quantity: 2 },
            { lineId: 'L4', quantity: 2 },
          ],
        },
      });
    });

    it('throws nothing_left_to_ship when every unit is shipped or cancelled', () => {
      const past = recorded(plan, shipW, shipS1, facts.shipment('SH-S2', 'S2', [{ lineId: 'L4', quantity: 2 }]), facts.cancellation('C-1', [{ lineId: 'L4', quantity: 1 }]));
      given(...past).when(changeShippingAddress('A-1', newAddress)).then({ error: 'nothing_left_to_ship' });
      given(...recorded(plan, shipW, shipS1, shipS2)).when(changeShippingAddress('A-1', newAddress)).then({ error: 'nothing_left_to_ship' });
    });

    it('still accepts a change while one unit is left to ship', () => {
      const past = recorded(plan, shipW, shipS1, facts.shipment('SH-S2', 'S2', [{ lineId: 'L4', quantity: 2 }]));
      expect(given(...past).when(changeShippingAddress('A-1', newAddress)).events().map((e) => e.type)).toEqual(['ShippingAddressChanged']);
    });

    it('decides nothing for a request id already recorded', () => {
      const past = history(placeOrder(), changeShippingAddress('A-1', newAddress));
      given(...past).when(changeShippingAddress('A-1', address({ city: 'Marseille' }), at(40))).then([]);
      expect(openState(past).shipTo).toEqual(newAddress);
    });
  });

  describe('evolve', () => {
    it('is pure: deciding and folding leave the given state untouched', () => {
      const past = recorded(plan, shipW);
      const state = openState(past);
      const snapshot = JSON.parse(JSON.stringify(state)) as unknown;
      const events = orderDecider.decide(recordFact(facts.cancellation('C-1', [{ lineId: 'L4', quantity: 1 }])), state);
      fold(events, state);
      expect(JSON.parse(JSON.stringify(state))).toEqual(snapshot);
    });
  });
});
