import { TOPICS } from '@oms/contracts';
import { cancellationRequested } from '../../tools/simulator/storefront';
import { allocation, order, purchaseOrder } from './expect-helpers';
import { orderHistory, published, settlementsOf, sourcingKnows } from './rejected-no-alternative';
import type { E2eSystem } from './system';

/**
 * 4. The customer cancels one line after the supplier acknowledged the PO: the request reaches the
 * supplier as a pending cancellation, the supplier accepts, and the line is cancelled and refunded.
 * s4-delta ships only a simulated day after acknowledging (240 s here), so the scenario ends when
 * the cancellation is settled, the armchair still with the supplier.
 *
 * Figures (minor units, tax 8% per line): armchair 1 × 12000, tax 960 → 12960, at cost 6500;
 * footstool 1 × 4500, tax 360 → 4860, at cost 2000; shipping 599 (no tax). Charge 12960 + 4860 +
 * 599 = 18419, tax 1320.
 * Refund: the footstool's one unit, 4860 of which tax 360; the armchair is still to ship, so the
 * shipping charge stays (it comes back only when every unit ends cancelled).
 * Payables accrue on shipment: nothing shipped, nothing accrued, nothing owed. Finance does record
 * that the PO's commitment for the cancelled unit is released (SupplierPayableReleased 1 × 2000,
 * ledger.ts `ReleasePurchaseOrder`): it posts nothing (reconciliation.ts) and owes nothing.
 * Margin: none yet (margin is recognised as units ship).
 * Chargebacks: none. The supplier agreed to a cancellation the retailer asked for (`by: 'retailer'`);
 * only a supplier cancelling accepted units on its own is charged back (chargebacks.ts).
 */
export async function customerCancelsALine(system: E2eSystem): Promise<void> {
  await sourcingKnows(system, [
    ['s4-delta', 'E2E-D1'],
    ['s4-delta', 'E2E-D2'],
  ]);
  const { orderId, externalOrderId } = await system.placeOrder('cancel', [
    { sku: 'E2E-D1', quantity: 1 },
    { sku: 'E2E-D2', quantity: 1 },
  ]);

  const placed = await order(system, orderId, (o) => o.purchaseOrders.length === 1, 'the PO to s4-delta');
  const poId = placed.purchaseOrders[0]!.poId;
  expect(placed.purchaseOrders[0]!.supplierId).toBe('s4-delta');
  await purchaseOrder(system, poId, (p) => p.status === 'acknowledged', 's4-delta acknowledged the PO');

  const requestId = `${system.run}-cancel-footstool`;
  await system.publish(cancellationRequested(externalOrderId, requestId, [{ lineId: '2', quantity: 1 }], system.clock.now()));

  // The supplier answers the pending cancellation (it accepts them) and the gateway cancels the
  // unit; the armchair stays open on the PO, acknowledged and waiting to ship.
  const po = await purchaseOrder(system, poId, (p) => p.history.some((e) => e.type === 'PurchaseOrderCancelled'), 'the footstool cancelled on the PO');
  expect(po.status).toBe('acknowledged');
  expect(po.history.map((e) => e.type).filter((t) => t !== 'SupplierNotified')).toEqual([
    'PurchaseOrderCreated',
    'PurchaseOrderDispatched',
    'PurchaseOrderAcknowledged',
    'PurchaseOrderCancellationRequested',
    'PurchaseOrderCancelled',
  ]);
  const poRequestId = `${requestId}:s4-delta`;
  expect(po.history.find((e) => e.type === 'PurchaseOrderCancellationRequested')!.data).toMatchObject({ requestId: poRequestId, lines: [{ lineId: '2', quantity: 1 }] });
  expect(po.history.find((e) => e.type === 'PurchaseOrderCancelled')!.data).toMatchObject({ by: 'retailer', requestId: poRequestId, lines: [{ lineId: '2', quantity: 1 }] });

  // Order intake: it took the request (every unit asked for was open), then cancelled and refunded
  // the footstool when sourcing settled it; the armchair is still with the supplier.
  // Its facts come on several topics, each in its own time: wait for the last of each kind.
  const settled = await order(
    system,
    orderId,
    (o) => o.refunded > 0 && orderHistory(o).some((e) => e.type === 'PurchaseOrderRecorded' && e.data['step'] === 'cancelled'),
    'the footstool cancelled on the PO and refunded on the order',
  );
  expect(settled).toMatchObject({ status: 'processing', cancellation: 'partial', refunded: 4860, cancelledValue: 4860 });
  expect(settled.totals.total).toBe(18419);
  expect(settled.lines.map(({ lineId, sku, ordered, shipped, cancelled, refunded, status }) => ({ lineId, sku, ordered, shipped, cancelled, refunded, status }))).toEqual([
    { lineId: '1', sku: 'E2E-D1', ordered: 1, shipped: 0, cancelled: 0, refunded: 0, status: 'acknowledged' },
    { lineId: '2', sku: 'E2E-D2', ordered: 1, shipped: 0, cancelled: 1, refunded: 4860, status: 'cancelled' },
  ]);
  expect(settled.lines[0]).toMatchObject({ sentToSupplier: 1, acknowledged: 1 });
  expect(settled.purchaseOrders).toEqual([{ poId, supplierId: 's4-delta', state: 'acknowledged' }]);
  expect(settled.shipments).toEqual([]);
  const history = orderHistory(settled);
  const requested = history.filter((e) => e.type === 'CancellationRequested');
  expect(requested.map((e) => e.data)).toEqual([expect.objectContaining({ requestId, lines: [{ lineId: '2', quantity: 1 }], notCancellable: [] })]);
  const cancelledOnOrder = history.filter((e) => e.type === 'LinesCancelled' && (e.data['lines'] as unknown[]).length > 0);
  expect(cancelledOnOrder.map((e) => e.data)).toEqual([
    expect.objectContaining({ lines: [{ lineId: '2', quantity: 1 }], reason: 'cancelled at the customer request', refund: { amount: 4860, currency: 'USD' } }),
  ]);
  const cancellationId = String(cancelledOnOrder[0]!.data['cancellationId']);
  // ...and both were told to the storefront.
  await published(system, TOPICS.omsOrders.name, orderId, requested, 'OrderCancellationRequested');
  await published(system, TOPICS.omsOrders.name, orderId, cancelledOnOrder);

  // Sourcing: the unit came back from the node as asked, not as a failure (s4-delta is not ruled
  // out for the line), the customer's cancellation settled, and nothing re-planned.
  const plan = await allocation(system, orderId, (a) => a.history.some((e) => e.type === 'OrderLinesCancelled'), 'the cancellation settled in the allocation');
  expect(plan.version).toBe(1);
  expect(plan.groups.map((g) => ({ nodeId: g.nodeId, lines: g.lines.map(({ lineId, quantity }) => ({ lineId, quantity })) }))).toEqual([{ nodeId: 's4-delta', lines: [{ lineId: '1', quantity: 1 }] }]);
  expect(plan.history.filter((e) => e.type === 'FulfilmentCancellationRequested').map((e) => e.data)).toEqual([
    expect.objectContaining({ requestId: poRequestId, nodeId: 's4-delta', lines: [{ lineId: '2', quantity: 1 }] }),
  ]);
  expect(plan.history.filter((e) => e.type === 'UnitsReturnedByNode').map((e) => e.data)).toEqual([
    expect.objectContaining({ nodeId: 's4-delta', lines: [{ lineId: '2', quantity: 1 }], outcome: 'cancelled', excludedLineIds: [] }),
  ]);
  expect(plan.history.filter((e) => e.type === 'OrderLinesCancelled').map((e) => e.data)).toEqual([
    expect.objectContaining({ cancellationId, nodeId: 's4-delta', lines: [{ lineId: '2', quantity: 1 }] }),
  ]);
  expect(plan.history.filter((e) => e.type === 'LinesUnfulfillable')).toEqual([]);

  // Finance: exactly these settlement events so far, and the ledger's figures.
  const finance = await settlementsOf(
    system,
    orderId,
    (s) => s.some((e) => e.type === 'RefundIssued') && s.some((e) => e.type === 'SupplierPayableReleased'),
    'the footstool refunded and its commitment released',
  );
  expect(finance.settled.map((e) => e.type).sort()).toEqual(['CustomerChargeRecognised', 'RefundIssued', 'SupplierPayableReleased']);
  expect(finance.of('CustomerChargeRecognised').map((c) => c['total'])).toEqual([18419]);
  expect(finance.of('RefundIssued')).toEqual([
    expect.objectContaining({
      refundId: `cancellation:${cancellationId}`,
      cause: 'cancellation',
      causeId: cancellationId,
      lines: [{ lineId: '2', quantity: 1, items: 4500, discount: 0, tax: 360, amount: 4860 }],
      amount: 4860,
      currency: 'USD',
    }),
  ]);
  expect(finance.of('RefundIssued')[0]).not.toHaveProperty('shipping');
  expect(finance.of('SupplierPayableReleased')).toEqual([
    expect.objectContaining({ poId, supplierId: 's4-delta', lines: [{ lineId: '2', quantity: 1, unitCost: 2000, amount: 2000 }], amount: 2000, currency: 'USD' }),
  ]);
  expect(finance.figures).toEqual([
    { orderId, currency: 'USD', charged: 18419, refunded: 4860, taxCharged: 1320, taxRefunded: 360, payableAccrued: 0, payableReleased: 2000, chargebacks: 0, creditsExpected: 0, margin: 0 },
  ]);
}
