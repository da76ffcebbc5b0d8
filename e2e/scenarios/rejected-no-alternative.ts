import { TOPICS } from '@oms/contracts';
import { waitFor } from '@oms/testing';
import { allocation, order, purchaseOrder, type OrderBody } from './expect-helpers';
import type { E2eSystem } from './system';

/** JSON with keys sorted: compares payloads read from Kafka and from HTTP (other realms under jest) by value. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));

export interface HistoryEntry {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** The settlement event types finance publishes (settlement-messages.ts); its other ledger events stay private. */
const SETTLEMENT_TYPES = new Set([
  'CustomerChargeRecognised',
  'RefundIssued',
  'SupplierPayableAccrued',
  'SupplierPayableReleased',
  'MarginRecognised',
  'SupplierInvoiceMatched',
  'SupplierInvoiceDisputed',
  'ChargebackRaised',
  'SupplierCreditExpected',
  'ReturnedToStock',
]);

/**
 * Waits until each of these events a service recorded about the order is on `topic` as its relay
 * publishes it (payload = the order id and the event's data, type = `publishedAs` or its own).
 * Matched by content, not counted: the broker and its topic names are shared, and another
 * end-to-end run started alongside this one takes the same order through its own six services,
 * which publish their own events about it (same ids, their own clock's times). This keeps what
 * the test reads to this run's services; it cannot keep the other run's messages out of them.
 */
export async function published(system: E2eSystem, topic: string, orderId: string, events: readonly HistoryEntry[], publishedAs?: string): Promise<void> {
  const missing = () => events.filter((e) => !system.about(topic, orderId, publishedAs ?? e.type).some((m) => canonical(m.payload) === canonical({ orderId, ...e.data })));
  await waitFor(() => missing().length === 0, { what: `${events.map((e) => e.type).join(', ')} on ${topic}`, timeoutMs: 60_000 }).catch((error: Error) => {
    const seen = missing().map((e) => ({ recorded: e, published: system.about(topic, orderId, publishedAs ?? e.type).map((m) => m.payload) }));
    throw new Error(`${error.message}\nnot published as recorded: ${JSON.stringify(seen, null, 1).slice(0, 4000)}`);
  });
}

/**
 * Finance's settlement events about an order once `done` holds for them, as its ledger recorded
 * them (`GET /ledgers/:orderId`), each then found on `finance.settlements.v1`; with the ledger's
 * figures. The ledger, not the topic, says what finance settled (see `published`).
 */
export async function settlementsOf(system: E2eSystem, orderId: string, done: (settled: readonly HistoryEntry[]) => boolean, what: string) {
  const settledIn = (history: readonly HistoryEntry[]) => history.filter((e) => SETTLEMENT_TYPES.has(e.type)).map(({ type, data }) => ({ type, data }));
  const ledger = await system.until<{ figures: Record<string, unknown>[]; orderMargin: number; history: HistoryEntry[] }>(
    'finance-reconciler',
    `/ledgers/${orderId}`,
    (l) => done(settledIn(l.history)),
    what,
  );
  const settled = settledIn(ledger.history);
  await published(system, TOPICS.financeSettlements.name, orderId, settled);
  const of = (type: string) => settled.filter((e) => e.type === type).map((e) => e.data);
  return { settled, of, figures: ledger.figures, orderMargin: ledger.orderMargin };
}

/**
 * Waits until sourcing holds each node's offer and a stock level for the sku. The simulated
 * suppliers send their first stock feeds once the world is running: an order planned before a
 * node's feed finds its stock unknown (stale) and the node ineligible.
 */
export async function sourcingKnows(system: E2eSystem, offers: readonly (readonly [nodeId: string, sku: string])[]): Promise<void> {
  for (const [nodeId, sku] of offers) {
    await system.until<{ offers: Record<string, unknown>; stock?: { levels: Record<string, { quantity: number }> } }>(
      'sourcing',
      `/nodes/${nodeId}`,
      (n) => n.offers[sku] !== undefined && (n.stock?.levels[sku]?.quantity ?? 0) > 0,
      `${nodeId}'s offer and stock of ${sku} in sourcing`,
    );
  }
}

/** The order's own history, as order intake recorded it. */
export const orderHistory = (o: OrderBody) => (o as OrderBody & { history: HistoryEntry[] }).history;

/**
 * 3. The only seller of a sku rejects it at acknowledgement: sourcing has nowhere else to send the
 * units, declares them unfulfillable, and order intake cancels and refunds exactly those units;
 * the rest of the order ships and completes.
 *
 * Figures (minor units, tax 8% per line, rounded): basket 2 × 2750 = 5500, tax 440 → line total
 * 5940, at s3-reject's cost 1200; side table 1 × 6000, tax 480 → 6480, from s1-alpha at 3000;
 * shipping 599 (no tax). Charge 5940 + 6480 + 599 = 13019, tax 440 + 480 = 920.
 * Refund: both basket units, taken from the first unit up (refund-allocation.ts: 5940 over 2 units
 * by largest remainder = 2970 + 2970, tax 440 = 220 + 220, items 5500): 5940 exactly, of which tax
 * 440. Shipping comes back only when every unit of the order ends cancelled (ledger.ts
 * `refundCancellation`, order-decider.ts `cancelLines`); the side table ships, so the 599 stays.
 * Payables accrue on shipment: s1-alpha 1 × 3000; s3-reject shipped nothing and is owed nothing.
 * Its PO had committed 2 × 1200 = 2400, released when it declined the units at acknowledgement
 * (SupplierPayableReleased, which posts nothing: it closes the commitment, owes nothing).
 * Margin: side table 6000 − 3000 = 3000; the cancelled baskets never recognised revenue.
 * Chargebacks: none. Declining a PO at acknowledgement is not cancelling units after accepting
 * them: chargebacks.ts charges `cancelled_after_acceptance` only for a `by: 'supplier'`
 * PurchaseOrderCancelled of an acknowledged PO, and the gateway publishes a rejection as a
 * PurchaseOrderAcknowledged with rejected units, never as a cancellation.
 */
export async function rejectedNoAlternative(system: E2eSystem): Promise<void> {
  await sourcingKnows(system, [
    ['s3-reject', 'E2E-R1'],
    ['s1-alpha', 'E2E-A1'],
  ]);
  const { orderId } = await system.placeOrder('rejected', [
    { sku: 'E2E-R1', quantity: 2 },
    { sku: 'E2E-A1', quantity: 1 },
  ]);

  // Order intake: the baskets cancelled and refunded, the side table delivered; the order completes.
  // Its facts come on several topics, each in its own time: wait for the last of each kind.
  const done = await order(
    system,
    orderId,
    (o) => o.status === 'completed' && o.refunded > 0 && orderHistory(o).filter((e) => e.type === 'PurchaseOrderRecorded' && e.data['step'] === 'acknowledged').length === 2,
    'the side table delivered, the baskets refunded and both suppliers’ answers recorded',
  );
  expect(done).toMatchObject({ status: 'completed', cancellation: 'partial', refunded: 5940, cancelledValue: 5940 });
  expect(done.totals.total).toBe(13019);
  expect(done.lines.map(({ lineId, sku, ordered, shipped, delivered, cancelled, returned, refunded, status }) => ({ lineId, sku, ordered, shipped, delivered, cancelled, returned, refunded, status }))).toEqual([
    { lineId: '1', sku: 'E2E-R1', ordered: 2, shipped: 0, delivered: 0, cancelled: 2, returned: 0, refunded: 5940, status: 'cancelled' },
    { lineId: '2', sku: 'E2E-A1', ordered: 1, shipped: 1, delivered: 1, cancelled: 0, returned: 0, refunded: 0, status: 'delivered' },
  ]);
  expect(done.lines[0]).toMatchObject({ rejected: 2, unfulfillable: 2, acknowledged: 0, planned: [] });
  expect(done.shipments.map((s) => s.nodeId)).toEqual(['s1-alpha']);
  const cancelledOnOrder = orderHistory(done).filter((e) => e.type === 'LinesCancelled' && (e.data['lines'] as unknown[]).length > 0);
  expect(cancelledOnOrder.map((e) => e.data)).toEqual([
    expect.objectContaining({ cancellationId: `${orderId}:unfulfillable:2`, lines: [{ lineId: '1', quantity: 2 }], refund: { amount: 5940, currency: 'USD' } }),
  ]);
  // ...and told the storefront, with exactly what the units cost the customer.
  await published(system, TOPICS.omsOrders.name, orderId, cancelledOnOrder);

  // The gateway: nothing accepted at acknowledgement ends the PO (status `cancelled`, by the
  // supplier's answer; the gateway has no separate `rejected` status).
  const bySupplier = Object.fromEntries(done.purchaseOrders.map((p) => [p.supplierId, p]));
  expect(Object.keys(bySupplier).sort()).toEqual(['s1-alpha', 's3-reject']);
  // The order's view keeps the supplier's answer as the PO's last step (`acknowledged`, with the
  // line's 2 units `rejected`); the PO's own lifecycle, where it ended, is the gateway's.
  expect(done.purchaseOrders.map((p) => p.state)).toEqual(['acknowledged', 'acknowledged']);
  const rejectedPoId = bySupplier['s3-reject']!.poId;
  const rejected = await purchaseOrder(system, rejectedPoId, (p) => p.status === 'cancelled', 's3-reject’s PO ended by its rejection');
  expect(rejected.purchaseOrder.lines.map(({ lineId, quantity, unitCost }) => ({ lineId, quantity, unitCost }))).toEqual([{ lineId: '1', quantity: 2, unitCost: 1200 }]);
  expect(rejected.history.map((e) => e.type).filter((t) => t !== 'SupplierNotified')).toEqual(['PurchaseOrderCreated', 'PurchaseOrderDispatched', 'PurchaseOrderAcknowledged']);
  expect(rejected.history.find((e) => e.type === 'PurchaseOrderAcknowledged')!.data['lines']).toEqual([
    { lineId: '1', accepted: 0, rejected: 2, backordered: 0, reason: 'out of stock at the supplier' },
  ]);
  const shipped = await purchaseOrder(system, bySupplier['s1-alpha']!.poId, (p) => p.status === 'closed', 's1-alpha’s PO closed after its invoice');
  expect(shipped.history.map((e) => e.type)).toEqual(
    expect.arrayContaining(['PurchaseOrderCreated', 'PurchaseOrderDispatched', 'PurchaseOrderAcknowledged', 'PurchaseOrderShipped', 'PurchaseOrderInvoiced', 'PurchaseOrderClosed']),
  );
  expect(shipped.history.map((e) => e.type)).not.toContain('PurchaseOrderCancelled');

  // Sourcing: the rejection gave the units back and ruled s3-reject out for the line; the re-plan
  // (version 2) found no other node: only the side table's group is left, the baskets unfulfillable.
  const plan = await allocation(system, orderId, (a) => a.version === 2, 'the re-plan');
  expect(plan.groups.map((g) => ({ nodeId: g.nodeId, lines: g.lines.map(({ lineId, quantity }) => ({ lineId, quantity })) }))).toEqual([{ nodeId: 's1-alpha', lines: [{ lineId: '2', quantity: 1 }] }]);
  expect((plan as unknown as { unfulfillable: unknown }).unfulfillable).toEqual([{ lineId: '1', quantity: 2 }]);
  expect(plan.history.filter((e) => e.type === 'UnitsReturnedByNode').map((e) => e.data)).toEqual([
    expect.objectContaining({ nodeId: 's3-reject', lines: [{ lineId: '1', quantity: 2 }], outcome: 'rejected', excludedLineIds: ['1'] }),
  ]);
  expect(plan.history.filter((e) => e.type === 'LinesUnfulfillable').map((e) => e.data)).toEqual([
    expect.objectContaining({ cancellationId: `${orderId}:unfulfillable:2`, lines: [{ lineId: '1', quantity: 2 }] }),
  ]);
  expect(plan.history.filter((e) => e.type === 'FulfilmentRequested').map((e) => e.data['nodeId'])).toEqual(expect.arrayContaining(['s1-alpha', 's3-reject']));
  expect(plan.history.filter((e) => e.type === 'FulfilmentRequested')).toHaveLength(2);

  // Finance: exactly these settlement events, and the ledger's figures.
  const finance = await settlementsOf(
    system,
    orderId,
    (settled) => ['SupplierInvoiceMatched', 'MarginRecognised', 'RefundIssued', 'SupplierPayableReleased'].every((t) => settled.some((e) => e.type === t)),
    's1-alpha’s invoice matched, the baskets refunded, s3-reject’s commitment released',
  );
  expect(finance.settled.map((e) => e.type).sort()).toEqual([
    'CustomerChargeRecognised',
    'MarginRecognised',
    'RefundIssued',
    'SupplierInvoiceMatched',
    'SupplierPayableAccrued',
    'SupplierPayableReleased',
  ]);
  expect(finance.of('CustomerChargeRecognised').map((c) => c['total'])).toEqual([13019]);
  expect(finance.of('RefundIssued')).toEqual([
    expect.objectContaining({
      refundId: `cancellation:${orderId}:unfulfillable:2`,
      cause: 'cancellation',
      causeId: `${orderId}:unfulfillable:2`,
      lines: [{ lineId: '1', quantity: 2, items: 5500, discount: 0, tax: 440, amount: 5940 }],
      amount: 5940,
      currency: 'USD',
    }),
  ]);
  expect(finance.of('RefundIssued')[0]).not.toHaveProperty('shipping');
  expect(finance.of('SupplierPayableAccrued')).toEqual([
    expect.objectContaining({ supplierId: 's1-alpha', lines: [{ lineId: '2', quantity: 1, unitCost: 3000, amount: 3000 }], amount: 3000 }),
  ]);
  expect(finance.of('SupplierPayableReleased')).toEqual([
    expect.objectContaining({
      poId: rejectedPoId,
      supplierId: 's3-reject',
      sourceId: `acknowledgement:${rejectedPoId}`,
      reason: 'declined at acknowledgement',
      lines: [{ lineId: '1', quantity: 2, unitCost: 1200, amount: 2400 }],
      amount: 2400,
    }),
  ]);
  expect(finance.of('SupplierInvoiceMatched')).toEqual([expect.objectContaining({ supplierId: 's1-alpha', amount: 3000 })]);
  expect(finance.of('MarginRecognised')).toEqual([
    expect.objectContaining({ nodeId: 's1-alpha', lines: [{ lineId: '2', quantity: 1, revenue: 6000, cost: 3000, margin: 3000 }], margin: 3000, orderMargin: 3000 }),
  ]);
  expect(finance.figures).toEqual([
    { orderId, currency: 'USD', charged: 13019, refunded: 5940, taxCharged: 920, taxRefunded: 440, payableAccrued: 3000, payableReleased: 2400, chargebacks: 0, creditsExpected: 0, margin: 3000 },
  ]);
  expect(finance.orderMargin).toBe(3000);
}
