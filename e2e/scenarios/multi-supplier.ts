import { TOPICS } from '@oms/contracts';
import { traceIdOf } from '@oms/telemetry';
import { waitFor } from '@oms/testing';
import { randomBytes } from 'node:crypto';
import { amounts, allocation, order, purchaseOrder } from './expect-helpers';
import type { E2eSystem } from './system';

/**
 * 1. One order from the retailer's warehouse and two suppliers: three shipments, one coherent
 * order that ends completed; finance shows the charge, two payables and the margin.
 *
 * Figures (minor units): pillow 1 × 2000 (tax 160) from the warehouse at cost 800; side table
 * 2 × 6000 (tax 960) from s1-alpha at 3000; lamp 1 × 5000 (tax 400) from s1-beta at 2500; shipping
 * 599. Charge 19000 + 1520 + 599 = 21119. Payables 6000 (alpha) and 2500 (beta). Margin on the
 * goods: (2000 − 800) + (12000 − 6000) + (5000 − 2500) = 9700.
 */
export async function multiSupplierOrder(system: E2eSystem): Promise<void> {
  // The storefront starts a trace: it must reach every service the order passes through.
  const traceId = randomBytes(16).toString('hex');
  const { orderId } = await system.placeOrder(
    'multi',
    [
      { sku: 'E2E-W1', quantity: 1 },
      { sku: 'E2E-A1', quantity: 2 },
      { sku: 'E2E-B1', quantity: 1 },
    ],
    { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
  );

  const done = await order(system, orderId, (o) => o.status === 'completed', 'the order completed');
  expect(done.lines.map((l) => ({ sku: l.sku, ordered: l.ordered, shipped: l.shipped, delivered: l.delivered, cancelled: l.cancelled, status: l.status }))).toEqual([
    { sku: 'E2E-W1', ordered: 1, shipped: 1, delivered: 1, cancelled: 0, status: 'delivered' },
    { sku: 'E2E-A1', ordered: 2, shipped: 2, delivered: 2, cancelled: 0, status: 'delivered' },
    { sku: 'E2E-B1', ordered: 1, shipped: 1, delivered: 1, cancelled: 0, status: 'delivered' },
  ]);
  expect(done.shipments.map((s) => s.nodeId).sort()).toEqual(['e2e-wh', 's1-alpha', 's1-beta']);
  expect(done.shipments.every((s) => /^1Z[A-Z0-9]{16}$/.test(s.trackingNumber) && s.deliveredAt)).toBe(true);
  expect(done.totals.total).toBe(21119);
  expect(done.refunded).toBe(0);

  const plan = await allocation(system, orderId, () => true, 'the allocation');
  expect(plan.version).toBe(1);
  expect(plan.groups.map((g) => g.nodeId).sort()).toEqual(['e2e-wh', 's1-alpha', 's1-beta']);

  expect(done.purchaseOrders.map((p) => p.supplierId).sort()).toEqual(['s1-alpha', 's1-beta']);
  for (const { poId } of done.purchaseOrders) {
    const po = await purchaseOrder(system, poId, (p) => p.status === 'closed', `PO ${poId} closed after its invoice`);
    expect(po.history.map((e) => e.type)).toEqual(expect.arrayContaining(['PurchaseOrderCreated', 'PurchaseOrderDispatched', 'PurchaseOrderAcknowledged', 'PurchaseOrderShipped', 'PurchaseOrderInvoiced', 'PurchaseOrderClosed']));
  }

  await waitFor(() => system.settlements(orderId, 'MarginRecognised').length === 3 && system.settlements(orderId, 'SupplierInvoiceMatched').length === 2, {
    what: 'three margins and two matched invoices',
    timeoutMs: 60_000,
  }).catch((error: Error) => {
    throw new Error(`${error.message}; settlement events seen: ${system.about(TOPICS.financeSettlements.name, orderId).map((m) => m.type).join(', ')}`);
  });
  expect(amounts(system, orderId, 'CustomerChargeRecognised', 'total')).toEqual([{ total: 21119 }]);
  expect(amounts(system, orderId, 'SupplierPayableAccrued').sort((a, b) => String(a['supplierId']).localeCompare(String(b['supplierId'])))).toEqual([
    { supplierId: 's1-alpha', amount: 6000 },
    { supplierId: 's1-beta', amount: 2500 },
  ]);
  const margins = system.settlements(orderId, 'MarginRecognised');
  expect(margins.reduce((sum, m) => sum + (m['margin'] as number), 0)).toBe(9700);
  expect(Math.max(...margins.map((m) => m['orderMargin'] as number))).toBe(9700);
  expect(system.settlements(orderId, 'RefundIssued')).toEqual([]);
  expect(system.settlements(orderId, 'ChargebackRaised')).toEqual([]);

  // One trace from the storefront's message to the settlement: order intake accepted it, sourcing
  // planned it, the gateway made the POs, finance recognised the charge — each in a span of that
  // trace, carried by the events' metadata and the messages' `traceparent` headers.
  const traced = (topic: string, type: string) => system.about(topic, orderId, type).map((m) => traceIdOf(m.headers['traceparent']));
  expect(traced(TOPICS.omsOrders.name, 'OrderAccepted')).toEqual([traceId]);
  expect(traced(TOPICS.sourcingAllocations.name, 'FulfilmentPlanned')).toEqual([traceId]);
  expect(traced(TOPICS.supplierPurchaseOrders.name, 'PurchaseOrderCreated')).toEqual([traceId, traceId]);
  expect(traced(TOPICS.financeSettlements.name, 'CustomerChargeRecognised')).toEqual([traceId]);
}
