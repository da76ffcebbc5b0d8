import { CATALOG_EVENTS, FULFILMENT_FACTS, FULFILMENT_REQUESTS, ORDER_EVENTS, SETTLEMENT_INVOICE_EVENTS, TOPICS } from '@oms/contracts';
import { randomUUID } from 'node:crypto';
import { money, SimulationSummary } from './summary';

const AT = '2026-03-02T10:00:00.000Z';

/** Folds one message under a fresh event id, as a consumer sees it. */
const fold = (summary: SimulationSummary, topic: string, type: string, payload: Record<string, unknown>, eventId: string = randomUUID()) => summary.apply(topic, type, payload, eventId);

const orders = TOPICS.omsOrders.name;
const pos = TOPICS.supplierPurchaseOrders.name;
const settlements = TOPICS.financeSettlements.name;

/** The PO facts as the gateway publishes them on `supplier.purchase-orders.v1`. */
function poFact(poId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { orderId: 'o-1', poId, poNumber: `ACME-${poId}`, supplierId: 'acme-home', at: AT, ...extra };
}
const ackLines = (...lines: [accepted: number, rejected: number][]) => lines.map(([accepted, rejected], i) => ({ lineId: String(i + 1), accepted, rejected, backordered: 0 }));

describe('SimulationSummary', () => {
  it('counts a redelivered message (same event id) once', () => {
    const summary = new SimulationSummary();
    const eventId = randomUUID();

    fold(summary, orders, ORDER_EVENTS.accepted, { orderId: 'o-1', currency: 'USD' }, eventId);
    fold(summary, orders, ORDER_EVENTS.accepted, { orderId: 'o-1', currency: 'USD' }, eventId);
    fold(summary, settlements, 'CustomerChargeRecognised', { orderId: 'o-1', total: 1000 }, 'charge-1');
    fold(summary, settlements, 'CustomerChargeRecognised', { orderId: 'o-1', total: 1000 }, 'charge-1');

    expect(summary.counts.ordersAccepted).toBe(1);
    expect(summary.money.charged).toBe(1000);
  });

  it('follows each order through its statuses', () => {
    const summary = new SimulationSummary();
    for (const orderId of ['o-1', 'o-2', 'o-3']) fold(summary, orders, ORDER_EVENTS.accepted, { orderId, currency: 'USD' });

    fold(summary, orders, ORDER_EVENTS.statusChanged, { orderId: 'o-1', status: 'processing', previousStatus: 'accepted', cancellation: 'none', changedAt: AT });
    fold(summary, orders, ORDER_EVENTS.statusChanged, { orderId: 'o-1', status: 'shipped', previousStatus: 'processing', cancellation: 'none', changedAt: AT });
    fold(summary, orders, ORDER_EVENTS.completed, { orderId: 'o-1' });
    fold(summary, orders, ORDER_EVENTS.statusChanged, { orderId: 'o-2', status: 'partially_shipped', previousStatus: 'processing', cancellation: 'partial', changedAt: AT });
    fold(summary, orders, ORDER_EVENTS.rejected, { reason: 'invalid', errors: [], rejectedAt: AT });

    expect(Object.fromEntries(summary.orders)).toEqual({ 'o-1': 'completed', 'o-2': 'partially_shipped', 'o-3': 'accepted' });
    expect(summary.counts).toMatchObject({ ordersAccepted: 3, ordersRejected: 1 });
    expect(summary.render('run')[2]).toBe('Orders     3 accepted, 1 rejected:  accepted 1 · partially_shipped 1 · completed 1');
  });

  it('counts shipments, cancellation requests and cancelled lines of orders', () => {
    const summary = new SimulationSummary();

    fold(summary, orders, ORDER_EVENTS.shipmentAdded, { orderId: 'o-1', shipmentId: 's-1', lines: [{ lineId: '1', quantity: 1 }] });
    fold(summary, orders, ORDER_EVENTS.cancellationRequested, { orderId: 'o-1' });
    fold(summary, orders, ORDER_EVENTS.linesCancelled, { orderId: 'o-1', cancellationId: 'c-1', lines: [{ lineId: '1', quantity: 1 }, { lineId: '2', quantity: 2 }] });

    expect(summary.counts).toMatchObject({ shipmentsToCustomers: 1, cancellationRequests: 1, linesCancelled: 2 });
  });

  describe('purchase orders', () => {
    it('are awaiting acknowledgement once created, and a redelivered creation does not undo a later state', () => {
      const summary = new SimulationSummary();

      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderCreated, poFact('po-1'));
      expect(summary.pos.get('po-1')).toBe('awaiting acknowledgement');
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderAcknowledged, poFact('po-1', { lines: ackLines([2, 0]) }));
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderCreated, poFact('po-1'));

      expect(summary.pos.get('po-1')).toBe('acknowledged');
    });

    it('are acknowledged when any line is accepted, rejected when none is, counting rejected lines either way', () => {
      const summary = new SimulationSummary();

      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderAcknowledged, poFact('po-1', { lines: ackLines([2, 0], [0, 1]) }));
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderAcknowledged, poFact('po-2', { lines: ackLines([0, 2], [0, 3]) }));

      expect(Object.fromEntries(summary.pos)).toEqual({ 'po-1': 'acknowledged', 'po-2': 'rejected' });
      expect(summary.counts.rejectedPoLines).toBe(3);
    });

    it('time out, and stay timed out when the cancellation that follows arrives', () => {
      const summary = new SimulationSummary();

      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderTimedOut, poFact('po-1', { deadline: 'confirm', due: AT, lines: [{ lineId: '1', quantity: 1 }], resolution: 'resource', timedOutAt: AT }));
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderCancelled, poFact('po-1', { by: 'retailer', lines: [{ lineId: '1', quantity: 1 }] }));

      expect(summary.pos.get('po-1')).toBe('timed out');
      expect(summary.counts.timeOuts).toBe(1);
      expect(summary.counts.supplierCancellations).toBe(0);
    });

    it('ship, counting tracking numbers the gateway found invalid, and stay shipped when the rest is cancelled by the supplier', () => {
      const summary = new SimulationSummary();
      const shipment = (poId: string, trackingValid: boolean) =>
        poFact(poId, { nodeId: 'acme-home', shipmentId: `ACME-${poId}-S1`, carrier: 'UPS', trackingNumber: '1Z', trackingValid, lines: [{ lineId: '1', quantity: 1 }], shippedAt: AT });

      fold(summary, pos, FULFILMENT_FACTS.shipmentDispatched, shipment('po-1', true));
      fold(summary, pos, FULFILMENT_FACTS.shipmentDispatched, shipment('po-2', false));
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderCancelled, poFact('po-2', { by: 'supplier', lines: [{ lineId: '2', quantity: 1 }] }));
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderCancelled, poFact('po-3', { by: 'retailer', lines: [{ lineId: '1', quantity: 1 }] }));

      expect(Object.fromEntries(summary.pos)).toEqual({ 'po-1': 'shipped', 'po-2': 'shipped', 'po-3': 'cancelled' });
      expect(summary.counts).toMatchObject({ invalidTracking: 1, supplierCancellations: 1 });
    });

    it('count refused supplier messages without changing the PO', () => {
      const summary = new SimulationSummary();
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderCreated, poFact('po-1'));

      fold(summary, pos, FULFILMENT_FACTS.supplierMessageRefused, poFact('po-1', { reason: 'shipment of more units than open' }));

      expect(summary.counts.refusedSupplierMessages).toBe(1);
      expect(summary.pos.get('po-1')).toBe('awaiting acknowledgement');
    });

    it('are shown by state in the rendered summary', () => {
      const summary = new SimulationSummary();
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderCreated, poFact('po-1'));
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderAcknowledged, poFact('po-2', { lines: ackLines([0, 1]) }));
      fold(summary, pos, FULFILMENT_FACTS.purchaseOrderAcknowledged, poFact('po-3', { lines: ackLines([0, 1]) }));

      expect(summary.render('run')[4]).toBe('POs        3 sent:  awaiting acknowledgement 1 · rejected 2');
    });
  });

  it('counts plans, and re-sourcing when a plan has a version above 1', () => {
    const summary = new SimulationSummary();
    const allocations = TOPICS.sourcingAllocations.name;

    fold(summary, allocations, FULFILMENT_FACTS.fulfilmentPlanned, { orderId: 'o-1', version: 1, groups: [], plannedAt: AT });
    fold(summary, allocations, FULFILMENT_FACTS.fulfilmentPlanned, { orderId: 'o-1', version: 2, groups: [], plannedAt: AT });
    fold(summary, allocations, FULFILMENT_FACTS.fulfilmentPlanned, { orderId: 'o-2', version: 1, groups: [], plannedAt: AT });
    fold(summary, allocations, FULFILMENT_FACTS.fulfilmentPlanned, { orderId: 'o-2', version: 3, groups: [], plannedAt: AT });
    fold(summary, allocations, FULFILMENT_REQUESTS.linesUnfulfillable, { orderId: 'o-3', cancellationId: 'u-1', lines: [{ lineId: '1', quantity: 1 }], reason: 'no node', cancelledAt: AT });
    fold(summary, TOPICS.wmsShipments.name, FULFILMENT_REQUESTS.fulfilmentShortageReported, { orderId: 'o-4', nodeId: 'wh-reno', groupId: 'g', reportId: 'r', lines: [{ lineId: '1', quantity: 1 }], at: AT });

    expect(summary.counts).toMatchObject({ plans: 4, reSources: 2, unfulfillableLines: 1, warehouseShortages: 1 });
  });

  it('counts returns routed by destination, refused, refunded and in exception', () => {
    const summary = new SimulationSummary();
    const returns = TOPICS.returns.name;

    fold(summary, returns, 'ReturnRouted', { returnId: 'r-1', orderId: 'o-1', parts: [{ destination: 'supplier' }, { destination: 'returnless' }], routedAt: AT });
    fold(summary, returns, 'ReturnRouted', { returnId: 'r-2', orderId: 'o-2', parts: [{ destination: 'warehouse' }], routedAt: AT });
    fold(summary, returns, 'ReturnRejected', { returnId: 'r-3', orderId: 'o-3', errors: [], rejectedAt: AT });
    fold(summary, returns, FULFILMENT_FACTS.refundApproved, { orderId: 'o-1' });
    fold(summary, returns, 'ReturnException', { orderId: 'o-2' });

    expect(summary.counts).toMatchObject({ returnsRouted: 2, returnsRejected: 1, refundsApproved: 1, returnExceptions: 1 });
    expect(summary.counts.returnParts).toEqual({ supplier: 1, warehouse: 1, returnless: 1 });
  });

  it('sums money from the settlement events: charges, refunds, payables, chargebacks, credits and margin', () => {
    const summary = new SimulationSummary();

    fold(summary, orders, ORDER_EVENTS.accepted, { orderId: 'o-1', currency: 'EUR' });
    fold(summary, settlements, 'CustomerChargeRecognised', { orderId: 'o-1', currency: 'EUR', total: 12_345, chargedAt: AT });
    fold(summary, settlements, 'CustomerChargeRecognised', { orderId: 'o-2', currency: 'EUR', total: 655, chargedAt: AT });
    fold(summary, settlements, FULFILMENT_FACTS.refundIssued, { orderId: 'o-1', refundId: 'rf-1', amount: 1_000, currency: 'EUR', issuedAt: AT });
    fold(summary, settlements, FULFILMENT_FACTS.refundIssued, { orderId: 'o-1', refundId: 'rf-2', amount: 250, currency: 'EUR', issuedAt: AT });
    fold(summary, settlements, 'SupplierPayableAccrued', { orderId: 'o-1', amount: 6_000 });
    fold(summary, settlements, 'SupplierPayableReleased', { orderId: 'o-1', amount: 1_500 });
    fold(summary, settlements, 'ChargebackRaised', { orderId: 'o-1', amount: 500 });
    fold(summary, settlements, 'SupplierCreditExpected', { orderId: 'o-1', amount: 700 });
    fold(summary, settlements, 'MarginRecognised', { orderId: 'o-1', margin: 4_000, orderMargin: 4_000, currency: 'EUR' });
    fold(summary, settlements, 'MarginRecognised', { orderId: 'o-1', margin: -1_200, orderMargin: 2_800, currency: 'EUR' });
    fold(summary, settlements, SETTLEMENT_INVOICE_EVENTS.matched, { orderId: 'o-1', poId: 'po-1', supplierId: 'acme-home', invoiceNumber: 'INV-1' });
    fold(summary, settlements, SETTLEMENT_INVOICE_EVENTS.disputed, { orderId: 'o-1', poId: 'po-2', supplierId: 'acme-home', invoiceNumber: 'INV-2' });

    expect(summary.money).toEqual({ charged: 13_000, refunded: 1_250, refunds: 2, payables: 6_000, released: 1_500, chargebacks: 500, creditsExpected: 700, margin: 2_800 });
    expect(summary.counts).toMatchObject({ invoicesMatched: 1, invoicesDisputed: 1 });
    const rendered = summary.render('run');
    expect(rendered[8]).toBe('Money      charged EUR 130.00 · refunded EUR 12.50 (2) · payables EUR 60.00 · released EUR 15.00 · chargebacks EUR 5.00 · margin EUR 28.00');
    expect(rendered[9]).toBe('           invoices 1 matched, 1 disputed · supplier credits expected EUR 7.00');
  });

  it('ignores a settlement amount that is not a number', () => {
    const summary = new SimulationSummary();

    fold(summary, settlements, 'CustomerChargeRecognised', { orderId: 'o-1', total: '1000' });
    fold(summary, settlements, FULFILMENT_FACTS.refundIssued, { orderId: 'o-1' });

    expect(summary.money).toMatchObject({ charged: 0, refunded: 0, refunds: 1 });
  });

  it('shows supplier scorecards sorted by supplier, suspended above flagged', () => {
    const summary = new SimulationSummary();
    const scorecards = TOPICS.supplierScorecards.name;
    const scorecard = (supplierId: string, extra: Record<string, unknown>) => fold(summary, scorecards, CATALOG_EVENTS.supplierScorecardUpdated, { supplierId, flagged: false, asOf: AT, ...extra });

    scorecard('fable-clocks', { score: 0.412, reliability: 0.5, flagged: true });
    scorecard('acme-home', { score: 0.97, reliability: 0.99 });
    scorecard('dormant-lighting', { score: 0.1, flagged: true, suspended: true });
    scorecard('brightline', {});

    expect(summary.render('run').at(-1)).toBe('Suppliers  acme-home 0.97 · brightline n/a · dormant-lighting 0.10 SUSPENDED · fable-clocks 0.41 FLAGGED');
  });

  it('shows the latest scorecard of a supplier: a reinstated supplier is no longer suspended', () => {
    const summary = new SimulationSummary();
    const scorecards = TOPICS.supplierScorecards.name;

    fold(summary, scorecards, CATALOG_EVENTS.supplierScorecardUpdated, { supplierId: 'acme-home', score: 0.3, flagged: true, suspended: true, asOf: AT });
    fold(summary, scorecards, CATALOG_EVENTS.supplierScorecardUpdated, { supplierId: 'acme-home', score: 0.8, flagged: false, suspended: false, asOf: AT });

    expect(summary.render('run').at(-1)).toBe('Suppliers  acme-home 0.80');
  });

  it('says when there are no scorecards yet, and renders an empty run without numbers', () => {
    const rendered = new SimulationSummary().render('Simulation sim-42');

    expect(rendered[0]).toBe('Simulation sim-42');
    expect(rendered[2]).toBe('Orders     0 accepted:  —');
    expect(rendered.at(-1)).toMatch(/^Suppliers {2}no scorecards yet/);
  });

  it('ignores topics and types it does not follow', () => {
    const summary = new SimulationSummary();

    fold(summary, 'some.other.v1', ORDER_EVENTS.accepted, { orderId: 'o-1' });
    fold(summary, orders, 'SomethingNew', { orderId: 'o-1' });

    expect(summary.orders.size).toBe(0);
    expect(summary.counts.ordersAccepted).toBe(0);
  });
});

describe('money', () => {
  it.each([
    [123_456, 'USD', 'USD 1,234.56'],
    [5, 'USD', 'USD 0.05'],
    [0, 'USD', 'USD 0.00'],
    [100, 'EUR', 'EUR 1.00'],
    [-123_456, 'USD', '-USD 1,234.56'],
    [-5, 'USD', '-USD 0.05'],
    [123_456_789_01, 'USD', 'USD 123,456,789.01'],
  ])('%d minor units of %s → %s', (minor, currency, text) => {
    expect(money(minor, currency)).toBe(text);
  });
});
